/**
 * The labelled data of a training run: BIO sentences of a split, checked against the run's labels before the
 * first step (each model type encodes them its own way: lib/model/bert/, lib/model/word_crf/).
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";

/**
 * Throws a clear error when `sentences` of split `split` cannot be trained on with `labels`: an empty split,
 * a sentence whose tags and words differ in number, or a tag that is not a label (naming document and
 * sentence).
 *
 * @example
 * ```ts
 * declare const train: any; // the example's inputs
 * checkSentences(train, { split: "train", labels: ["O", "B-Chemical", "I-Chemical"] });
 * ```
 */
export function checkSentences(
  sentences: readonly Sentence[],
  options: { split: string; labels: readonly string[]; source?: string },
): void {
  const where = options.source ? `${options.split} split (${options.source})` : `${options.split} split`;
  if (sentences.length === 0) throw new Error(`${where} is empty: nothing to train or evaluate on`);
  const known = new Set(options.labels);
  const unknown = new Map<string, string>();
  for (const sentence of sentences) {
    const at = `document ${sentence.docId}, sentence ${sentence.index}`;
    if (!Array.isArray(sentence.words) || !Array.isArray(sentence.tags)) {
      throw new Error(`${where}, ${at}: a sentence needs "words" and "tags" lists`);
    }
    if (sentence.tags.length !== sentence.words.length) {
      throw new Error(`${where}, ${at}: ${sentence.tags.length} tags for ${sentence.words.length} words`);
    }
    for (const tag of sentence.tags) if (!known.has(tag) && !unknown.has(tag)) unknown.set(tag, at);
  }
  if (unknown.size > 0) {
    const list = [...unknown].map(([tag, at]) => `"${tag}" (first in ${at})`).join(", ");
    throw new Error(`${where}: unknown labels ${list}; the labels are ${[...known].join(", ")}`);
  }
}
