/**
 * Strict UTF-8: text input is decoded with a fatal decoder (never silently replaced with U+FFFD), a leading
 * byte-order mark is dropped, and invalid input is reported by the byte offset and line of its first bad
 * byte — which the platform's TextDecoder does not say.
 *
 * @module
 */

/** Invalid UTF-8 at byte `offset` (0-based, counting any BOM), on 1-based `line`. */
export class Utf8Error extends Error {
  constructor(readonly offset: number, readonly line: number) {
    super(`invalid UTF-8 at byte offset ${offset} (line ${line})`);
    this.name = "Utf8Error";
  }
}

/**
 * The offset of the first ill-formed UTF-8 sequence (overlong forms, surrogates and code points past
 * U+10FFFF included): where its first byte is, as Python reports it; -1 when all of `bytes` is valid. A
 * sequence cut off by the end is invalid unless `allowIncompleteEnd`.
 *
 * @example
 * ```ts
 * invalidUtf8Offset(Uint8Array.of(0x61, 0xc3, 0xa9, 0xff)); // 3
 * invalidUtf8Offset(Uint8Array.of(0x61, 0xe9, 0x2e)); // 1 (a lead byte without its continuation)
 * invalidUtf8Offset(new TextEncoder().encode("héllo")); // -1
 * ```
 */
export function invalidUtf8Offset(bytes: Uint8Array, allowIncompleteEnd = false): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Length of the sequence, and the range its second byte must fall in (Unicode table 3-7).
    let length: number, low = 0x80, high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return allowIncompleteEnd ? -1 : i;
      const byte = bytes[i + k];
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * The longest string the runtime (V8) holds, in UTF-16 code units: 2^29 − 24. Text read whole must fit in
 * one; a UTF-8 file of at most this many bytes always does.
 */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

/** 1-based line of byte `offset`: one more than the newlines before it. */
function lineAt(bytes: Uint8Array, offset: number, firstLine: number): number {
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Decodes a whole file's bytes as strict UTF-8 (a leading BOM dropped); throws a {@link Utf8Error} with
 * the offset and line of the first invalid byte, and a RangeError when valid text is too long for one
 * string ({@link MAX_STRING_LENGTH}).
 *
 * @example
 * ```ts
 * const text = decodeUtf8(await Deno.readFile("CDR_TrainingSet.PubTator.txt"));
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    const offset = invalidUtf8Offset(bytes);
    // The decoder fails the same way on valid text too long for one string: never "invalid at offset -1".
    if (offset < 0) {
      throw new RangeError(
        `${bytes.length} bytes of text are longer than the longest string (${MAX_STRING_LENGTH} characters)`,
        { cause: error },
      );
    }
    throw new Utf8Error(offset, lineAt(bytes, offset, 1));
  }
}

/**
 * Decodes a byte stream as strict UTF-8 (a leading BOM dropped), yielding text chunks; throws a
 * {@link Utf8Error} with the offset (from the stream's start) and line of the first invalid byte, after
 * yielding all the text before it.
 *
 * @example
 * ```ts
 * for await (const text of decodeUtf8Stream(Deno.stdin.readable)) console.log(text.length);
 * ```
 */
export async function* decodeUtf8Stream(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let consumed = 0; // bytes of the stream before `carry`
  let line = 1; // line at the start of `carry`
  let carry = new Uint8Array(0); // the end of the last chunk: an incomplete sequence the decoder holds
  for await (const chunk of stream) {
    const input = carry.length ? concat(carry, chunk) : chunk;
    const bad = invalidUtf8Offset(input, true);
    if (bad >= 0) {
      // Everything before the bad byte is valid: yield it, then refuse.
      const before = decoder.decode(input.subarray(carry.length, bad), { stream: true });
      if (before) yield before;
      throw new Utf8Error(consumed + bad, lineAt(input, bad, line));
    }
    const text = decoder.decode(chunk, { stream: true });
    const tail = incompleteTail(input);
    line = lineAt(input, input.length - tail, line);
    consumed += input.length - tail;
    carry = input.slice(input.length - tail);
    if (text) yield text;
  }
  if (carry.length) throw new Utf8Error(consumed, line);
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** How many bytes at the end of (valid) `bytes` start a sequence the end cuts off (0–3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
