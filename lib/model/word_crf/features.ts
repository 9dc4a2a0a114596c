/**
 * What the word-level model reads of a word besides its characters: the vocabulary key of its word
 * embedding (lower-cased, digits folded to 0, so "IL-2"/"IL-6" and "Cisplatin"/"cisplatin" share rows —
 * case lives in the character encoder and the shape class) and its shape class.
 *
 * @module
 */

/** Shape classes of a word, fed as a small embedding (casing is the cheapest strong cue for chemicals). */
export const WORD_SHAPES = [
  "pad",
  "lower",
  "upper",
  "title",
  "mixed",
  "numeric",
  "alnum-digit",
  "punct",
  "other",
] as const;

/** One of {@link WORD_SHAPES}. */
export type WordShape = typeof WORD_SHAPES[number];

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;

/**
 * The shape class of a word.
 *
 * @example
 * ```ts
 * wordShape("Naloxone"); // "title"
 * wordShape("5-FU"); // "other"
 * wordShape("IL2"); // "alnum-digit"
 * ```
 */
export function wordShape(word: string): WordShape {
  if (word.length === 0) return "other";
  // One pass, no copy of the word: spreading a 10 MB word into an array of its characters took 116 MB.
  let letters = 0, upper = 0, lower = 0, digits = 0, length = 0, first = "";
  for (const char of word) {
    if (length++ === 0) first = char;
    if (LETTER.test(char)) {
      letters++;
      if (UPPER.test(char)) upper++;
      else if (LOWER.test(char)) lower++;
    } else if (DIGIT.test(char)) digits++;
  }
  if (digits === length) return "numeric";
  if (letters + digits < length) return letters + digits === 0 ? "punct" : "other";
  if (digits > 0) return "alnum-digit";
  if (upper === 0) return "lower";
  if (lower === 0) return "upper";
  return UPPER.test(first) && upper === 1 ? "title" : "mixed";
}

/**
 * The key a word's embedding is looked up by: lower case, every digit replaced by 0.
 *
 * @example
 * ```ts
 * wordKey("IL-12"); // "il-00"
 * ```
 */
export function wordKey(word: string): string {
  return word.toLowerCase().replace(/\p{Nd}/gu, "0");
}
