/**
 * The labelled data of a training run: BIO sentences of a split, checked against the profile's labels, then
 * encoded into model windows (first-subword labels, long sentences windowed with a stride).
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import type { EncodedWindow } from "../tokenizer/types.ts";

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

/** Options of {@link encodeSentences}. */
export interface EncodeSentencesOptions {
  label2id: Record<string, number>;
  maxLength: number;
  stride: number;
}

/** Windows of a split and, for each window, the index of the sentence it comes from. */
export interface EncodedSplit {
  windows: EncodedWindow[];
  sentenceOfWindow: number[];
  /** Non-padding tokens in all windows ([CLS]/[SEP] included). */
  tokens: number;
}

/**
 * Encodes labelled sentences into windows with first-subword labels (other subwords and special tokens carry
 * IGNORE_INDEX).
 *
 * @example
 * ```ts
 * declare const tokenizer: any, train: any, label2id: any; // the example's inputs
 * const { windows } = encodeSentences(tokenizer, train, { label2id, maxLength: 128, stride: 32 });
 * ```
 */
export function encodeSentences(
  tokenizer: BertTokenizer,
  sentences: readonly Sentence[],
  options: EncodeSentencesOptions,
): EncodedSplit {
  const windows: EncodedWindow[] = [];
  const sentenceOfWindow: number[] = [];
  let tokens = 0;
  sentences.forEach((sentence, index) => {
    const encoded = tokenizer.encodeWords(sentence.words, {
      maxLength: options.maxLength,
      stride: options.stride,
      labels: sentence.tags,
      label2id: options.label2id,
    });
    for (const window of encoded) {
      windows.push(window);
      sentenceOfWindow.push(index);
      tokens += window.inputIds.length;
    }
  });
  return { windows, sentenceOfWindow, tokens };
}
