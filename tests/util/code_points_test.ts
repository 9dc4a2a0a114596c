/** UTF-16 ↔ code point offsets: what Python's `len` and slicing count, on astral text and lone surrogates. */
import { assertEquals, assertThrows } from "@std/assert";
import { offsetConverter, spansToCodePoints, spansToUtf16 } from "../../lib/util/code_points.js";

/** The text: in Python, its second "α-tocopherol" is text[36:48]; in JavaScript, text.slice(37, 49). */
const TEXT = "IL-2 and α-tocopherol 😀 were given; α-tocopherol again.";

Deno.test("the issue's example: code points as Python counts them, back and forth", () => {
  const second = { start: 37, end: 49, type: "Chemical" };
  assertEquals(TEXT.slice(second.start, second.end), "α-tocopherol");
  const [inCodePoints] = spansToCodePoints(TEXT, [second]);
  assertEquals(inCodePoints, { start: 36, end: 48, type: "Chemical" });
  assertEquals([...TEXT].slice(36, 48).join(""), "α-tocopherol");
  assertEquals(spansToUtf16(TEXT, [inCodePoints]), [second]);
  assertEquals(offsetConverter(TEXT).codePointLength, 55); // Python: len(TEXT) == 55
});

Deno.test("every character boundary maps to the count of characters before it, and back", () => {
  const texts = [
    "",
    "plain ASCII",
    "😀",
    "😀😀 𝛼𝛽 κ",
    "a\uD800b\uDC00c", // lone surrogates: one code point each
    "\uDC00\uD83D\uDE00\uD800", // a low, a pair, a high
    "x👩‍🔬y", // a ZWJ sequence: three code points, one of them astral twice
  ];
  for (const text of texts) {
    const offsets = offsetConverter(text);
    const characters = [...text];
    assertEquals(offsets.codePointLength, characters.length, text);
    let utf16 = 0;
    for (let codePoint = 0; codePoint <= characters.length; codePoint++) {
      assertEquals(offsets.toCodePoints(utf16), codePoint, `${JSON.stringify(text)} @${utf16}`);
      assertEquals(offsets.toUtf16(codePoint), utf16, `${JSON.stringify(text)} #${codePoint}`);
      utf16 += characters[codePoint]?.length ?? 0;
    }
  }
});

Deno.test("an offset inside a surrogate pair counts that character as before it; out of range is refused", () => {
  const offsets = offsetConverter("a😀b");
  assertEquals(offsets.toCodePoints(2), 2);
  assertThrows(
    () => offsets.toCodePoints(5),
    RangeError,
    "offset 5 is not an integer in 0…4 (UTF-16 code units)",
  );
  assertThrows(() => offsets.toUtf16(4), RangeError, "offset 4 is not an integer in 0…3 (code points)");
  assertThrows(() => offsets.toUtf16(1.5), RangeError);
});

Deno.test("one megabyte of astral text converts in linear time", () => {
  const text = "😀 aspirin ".repeat(100_000);
  const spans = Array.from({ length: 100_000 }, (_, i) => ({ start: i * 11 + 3, end: i * 11 + 10 }));
  const started = performance.now();
  const converted = spansToCodePoints(text, spans);
  assertEquals(converted.at(-1), { start: 99_999 * 10 + 2, end: 99_999 * 10 + 9 });
  assertEquals(spansToUtf16(text, converted), spans);
  assertEquals(performance.now() - started < 5_000, true);
});

Deno.test("the module's documented examples hold", () => {
  const offsets = offsetConverter("😀 α-tocopherol");
  assertEquals([offsets.codePointLength, offsets.toCodePoints(3), offsets.toUtf16(2)], [14, 2, 3]);
  assertEquals(spansToCodePoints("😀 aspirin", [{ start: 3, end: 10, type: "Chemical" }]), [
    { start: 2, end: 9, type: "Chemical" },
  ]);
  const [span] = spansToUtf16("😀 aspirin", [{ start: 2, end: 9, type: "Chemical" }]);
  assertEquals("😀 aspirin".slice(span.start, span.end), "aspirin");
  // lib/util/code_points.js's header: the second "α-tocopherol" of this
  // text starts at 19 in code points (Python: text.rindex("α-tocopherol") == 19), at 20 in UTF-16.
  const text = "α-tocopherol 😀 and α-tocopherol";
  assertEquals([text.lastIndexOf("α-tocopherol"), offsetConverter(text).toCodePoints(20)], [20, 19]);
});
