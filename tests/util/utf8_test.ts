/** Strict UTF-8 decoding: the offset and line of the first invalid byte, checked against TextDecoder. */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { decodeUtf8, decodeUtf8Stream, invalidUtf8Offset, Utf8Error } from "../../lib/util/utf8.ts";
import { SeededRandom } from "../../lib/util/random.ts";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const valid = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

Deno.test("invalidUtf8Offset agrees with the platform's fatal decoder on 20 000 random byte strings", () => {
  const rng = new SeededRandom(8);
  // Mostly valid text with a few random bytes: every kind of ill-formed sequence turns up.
  const alphabet = new TextEncoder().encode("aé€😀\n");
  for (let n = 0; n < 20_000; n++) {
    const bytes = Uint8Array.from(
      { length: 1 + rng.nextInt(12) },
      () => rng.nextInt(4) ? alphabet[rng.nextInt(alphabet.length)] : rng.nextInt(256),
    );
    const offset = invalidUtf8Offset(bytes);
    assertEquals(offset === -1, valid(bytes), `${bytes}`);
    // All before the offset is valid text; the sequence at the offset is not.
    if (offset >= 0) assertEquals(valid(bytes.subarray(0, offset)), true, `${bytes} at ${offset}`);
  }
});

Deno.test("overlong forms, surrogates, code points past U+10FFFF and cut-off sequences are refused", () => {
  const cases: [number[], number][] = [
    [[0x61, 0xc0, 0x80], 1], // overlong NUL
    [[0xe0, 0x80, 0xaf], 0], // overlong "/"
    [[0x61, 0x62, 0xed, 0xa0, 0x80], 2], // a UTF-16 surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // "€" cut off
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
  ];
  for (const [bytes, offset] of cases) {
    assertEquals(invalidUtf8Offset(Uint8Array.from(bytes)), offset, `${bytes}`);
  }
  assertEquals(invalidUtf8Offset(Uint8Array.of(0x61, 0xe2, 0x82), true), -1);
});

Deno.test("decodeUtf8 drops a BOM and names offset and line; the stream decoder does the same across chunks", async () => {
  const text = new TextEncoder().encode("\uFEFFline 1\nlíne 2\nline 3 \u20ac\n");
  assertEquals(decodeUtf8(text), "line 1\nlíne 2\nline 3 \u20ac\n");
  const broken = text.slice();
  const at = broken.indexOf(0xe2); // the "€" on line 3
  broken[at + 1] = 0x41;
  const error = assertThrows(() => decodeUtf8(broken), Utf8Error);
  assertEquals([error.offset, error.line], [at, 3]);
  // Chunks of 1, 2 and 5 bytes: cut inside characters, the BOM and the bad sequence.
  for (const size of [1, 2, 5]) {
    const chunks = Array.from(
      { length: Math.ceil(broken.length / size) },
      (_, i) => broken.slice(i * size, (i + 1) * size),
    );
    let decoded = "";
    const streamError = await assertRejects(async () => {
      for await (const part of decodeUtf8Stream(ReadableStream.from(chunks))) decoded += part;
    }, Utf8Error);
    assertEquals([streamError.offset, streamError.line], [at, 3], `chunks of ${size}`);
    assertEquals(decoded, "line 1\nlíne 2\nline 3 ", `chunks of ${size}: all the text before the error`);
    const whole = Array.from(
      { length: Math.ceil(text.length / size) },
      (_, i) => text.slice(i * size, (i + 1) * size),
    );
    assertEquals(
      (await Array.fromAsync(decodeUtf8Stream(ReadableStream.from(whole)))).join(""),
      decodeUtf8(text),
    );
  }
  // A stream that ends inside a character.
  const cut = await assertRejects(
    () => Array.fromAsync(decodeUtf8Stream(ReadableStream.from([Uint8Array.of(0x61, 0x0a, 0xe2, 0x82)]))),
    Utf8Error,
  );
  assertEquals([cut.offset, cut.line], [2, 2]);
});
