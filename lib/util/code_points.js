// @ts-check
/**
 * Character offsets in the one unit that leaves the process: Unicode code points, as Python counts (`len`,
 * slicing). JavaScript strings index UTF-16 code units instead, and the two differ after every character
 * outside the Basic Multilingual Plane (emoji, mathematical letters such as 𝛼): in
 * "α-tocopherol 😀 and α-tocopherol" the second "α-tocopherol" starts at 19 in code points, at 20 in UTF-16.
 * The pipeline works in UTF-16 inside and converts here, at its edges (entities, PubTator files, the web
 * page). A lone surrogate (possible in a JSON string, never in UTF-8 input) is one code point, as in Python.
 * Plain JavaScript with JSDoc types, so the web page imports this same file.
 *
 * @module
 */

/**
 * Converts offsets into one text between UTF-16 code units and code points, each in O(log n) after one
 * O(n) pass over the text (none for text without astral characters).
 *
 * @typedef {object} OffsetConverter
 * @property {number} codePointLength The text's length in code points.
 * @property {(utf16Offset: number) => number} toCodePoints A UTF-16 offset (0 … text.length) in code
 *   points; one inside a surrogate pair counts the pair's character as before it.
 * @property {(codePointOffset: number) => number} toUtf16 A code point offset (0 … codePointLength) in
 *   UTF-16 code units.
 */

/**
 * UTF-16 positions of the high surrogate of each surrogate pair of `text`, in order.
 *
 * @param {string} text
 * @returns {number[]}
 */
function surrogatePairStarts(text) {
  /** @type {number[]} */
  const starts = [];
  if (!/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text)) return starts;
  for (let i = 0; i < text.length - 1; i++) {
    const high = text.charCodeAt(i), low = text.charCodeAt(i + 1);
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) starts.push(i++);
  }
  return starts;
}

/**
 * How many items of the ascending `values` are below `limit` (binary search).
 *
 * @param {ArrayLike<number>} values
 * @param {number} limit
 * @returns {number}
 */
function countBelow(values, limit) {
  let low = 0, high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * @param {number} offset
 * @param {number} length
 * @param {string} unit
 */
function checkOffset(offset, length, unit) {
  if (!Number.isInteger(offset) || offset < 0 || offset > length) {
    throw new RangeError(`offset ${offset} is not an integer in 0…${length} (${unit})`);
  }
}

/**
 * The {@link OffsetConverter} of `text`.
 *
 * @example
 * ```ts
 * const text = "😀 α-tocopherol";
 * const offsets = offsetConverter(text);
 * offsets.codePointLength; // 14 (text.length is 15)
 * offsets.toCodePoints(3); // 2: "α" is the third character
 * offsets.toUtf16(2);      // 3
 * ```
 * @param {string} text
 * @returns {OffsetConverter}
 */
export function offsetConverter(text) {
  const pairStarts = surrogatePairStarts(text);
  // The k-th pair's character is code point number pairStarts[k] - k.
  const pairCodePoints = pairStarts.map((start, k) => start - k);
  const codePointLength = text.length - pairStarts.length;
  return {
    codePointLength,
    toCodePoints(utf16Offset) {
      checkOffset(utf16Offset, text.length, "UTF-16 code units");
      return utf16Offset - countBelow(pairStarts, utf16Offset - 1);
    },
    toUtf16(codePointOffset) {
      checkOffset(codePointOffset, codePointLength, "code points");
      return codePointOffset + countBelow(pairCodePoints, codePointOffset);
    },
  };
}

/**
 * The spans with `start` and `end` turned from UTF-16 offsets into code point offsets of `text` (copies;
 * other fields and their order kept).
 *
 * @example
 * ```ts
 * spansToCodePoints("😀 aspirin", [{ start: 3, end: 10, type: "Chemical" }]);
 * // [{ start: 2, end: 9, type: "Chemical" }]
 * ```
 * @template {{ start: number, end: number }} S
 * @param {string} text
 * @param {readonly S[]} spans
 * @returns {S[]}
 */
export function spansToCodePoints(text, spans) {
  const offsets = offsetConverter(text);
  return spans.map((span) => ({
    ...span,
    start: offsets.toCodePoints(span.start),
    end: offsets.toCodePoints(span.end),
  }));
}

/**
 * The spans with `start` and `end` turned from code point offsets into UTF-16 offsets of `text`, for slicing
 * in JavaScript (copies; other fields and their order kept).
 *
 * @example
 * ```ts
 * const text = "😀 aspirin";
 * const [span] = spansToUtf16(text, [{ start: 2, end: 9, type: "Chemical" }]);
 * text.slice(span.start, span.end); // "aspirin"
 * ```
 * @template {{ start: number, end: number }} S
 * @param {string} text
 * @param {readonly S[]} spans
 * @returns {S[]}
 */
export function spansToUtf16(text, spans) {
  const offsets = offsetConverter(text);
  return spans.map((span) => ({
    ...span,
    start: offsets.toUtf16(span.start),
    end: offsets.toUtf16(span.end),
  }));
}
