/**
 * The label set of a corpus, derived from its data: `O`, then `B-`/`I-` of every entity type found,
 * types sorted by code point (as seqeval sorts them), so the same data always gives the same list and ids.
 *
 * @module
 */
import { compareCodePoints } from "../util/code_points.ts";
import { OUTSIDE } from "./tags.ts";

/**
 * The IOB2 labels of `sentences` (see the module doc). Throws on a tag that is not `O`, `B-…` or `I-…`.
 *
 * @example
 * ```ts
 * labelsFromSentences([{ tags: ["B-Gene", "O", "I-Cell"] }, { tags: ["B-Cancer"] }]);
 * // ["O", "B-Cancer", "I-Cancer", "B-Cell", "I-Cell", "B-Gene", "I-Gene"]
 * ```
 */
export function labelsFromSentences(sentences: Iterable<{ tags: readonly string[] }>): string[] {
  const types = new Set<string>();
  for (const { tags } of sentences) {
    for (const tag of tags) {
      if (tag === OUTSIDE) continue;
      const match = /^[BI]-(.+)$/.exec(tag);
      if (!match) throw new Error(`tag ${JSON.stringify(tag)} is not an IOB2 tag (O, B-… or I-…)`);
      types.add(match[1]);
    }
  }
  return [OUTSIDE, ...[...types].sort(compareCodePoints).flatMap((type) => [`B-${type}`, `I-${type}`])];
}
