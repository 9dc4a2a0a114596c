/**
 * String order by Unicode code point, as Python's `sorted` orders strings: the order of entity types in
 * label sets (lib/bio/labels.ts) and in seqeval's reports (lib/metrics), so both list types alike.
 *
 * @module
 */

/**
 * Compares strings by code point, like Python's `sorted` (JS `<` compares UTF-16 units).
 *
 * @example
 * ```ts
 * ["b", "😀", "ｚ"].sort(compareCodePoints); // ["b", "ｚ", "😀"]: U+FF5A before U+1F600
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a), y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
