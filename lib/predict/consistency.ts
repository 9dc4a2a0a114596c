/**
 * The document consistency rules (lib/bio/consistency.ts) on a word-level model's scored words, for the
 * pipeline: each word's decoded label before the rules, its label after them.
 *
 * @module
 */
import { type ConsistencyOptions, consistentTags } from "../bio/consistency.ts";
import type { Word } from "../bio/types.ts";
import type { ScoredToken } from "./types.ts";

/**
 * The scored words of one document's sentences (a word-level model: one token per word, with its decoded
 * `labelId`) with their labels after the consistency rules — for the pipeline, which then groups them into
 * entities as usual (a changed word's score is its new label's probability). `labels` is a label set that
 * lib/bio/labels.ts's check accepts, so every tag the rules write has an id.
 *
 * @example
 * ```ts
 * declare const words: any, tokens: any; // the example's inputs
 * const consistent = consistentTokens(words, tokens, ["O", "B-Chemical", "I-Chemical"], { propagation: true });
 * ```
 */
export function consistentTokens(
  words: readonly (readonly Word[])[],
  tokens: readonly (readonly ScoredToken[])[],
  labels: readonly string[],
  options: ConsistencyOptions,
): ScoredToken[][] {
  const sentences = words.map((w, index) => ({
    docId: "",
    index,
    start: 0,
    end: 0,
    words: [...w],
    tags: [],
  }));
  const predicted = tokens.map((row) => row.map((token) => labels[token.labelId!]));
  const tags = consistentTags(sentences, predicted, options);
  const ids = new Map(labels.map((label, id) => [label, id]));
  const idOf = (tag: string) => {
    const id = ids.get(tag);
    if (id === undefined) {
      throw new Error(`the consistency rules wrote ${JSON.stringify(tag)}, not in the labels`);
    }
    return id;
  };
  return tokens.map((row, s) => row.map((token, t) => ({ ...token, labelId: idOf(tags[s][t]) })));
}
