/** Random non-overlapping token spans for round-trip tests of tag schemes (seeded: the same cases each run). */
import type { TokenSpan } from "../../lib/bio/tags.ts";

/** `rounds` sentences of 1…`maxLength` tokens, each with random spans of 1–3 tokens of the given types. */
export function randomSpanCases(
  options: { seed: number; rounds: number; maxLength: number; types: readonly string[] },
): { length: number; spans: TokenSpan[] }[] {
  let seed = options.seed;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: options.rounds }, () => {
    const length = 1 + Math.floor(random() * options.maxLength);
    const spans: TokenSpan[] = [];
    for (let i = 0; i < length;) {
      if (random() < 0.45) {
        const end = Math.min(length, i + 1 + Math.floor(random() * 3));
        spans.push({ start: i, end, type: options.types[Math.floor(random() * options.types.length)] });
        i = end;
      } else i++;
    }
    return { length, spans };
  });
}
