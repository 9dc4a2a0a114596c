/**
 * A BERT's training data: labelled sentences encoded into subword windows with first-subword labels (other
 * subwords and special tokens carry IGNORE_INDEX), long sentences windowed with a stride.
 *
 * @module
 */
import type { Sentence } from "../../bio/types.ts";
import type { BertTokenizer } from "../../tokenizer/mod.ts";
import type { EncodedWindow } from "../../tokenizer/types.ts";

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
 * Encodes labelled sentences into windows with first-subword labels.
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
