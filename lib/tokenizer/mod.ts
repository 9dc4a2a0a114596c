/**
 * Tokenizer stage: a cased BERT WordPiece tokenizer (from a `vocab.txt`), word-aligned encoding with labels
 * and overlapping windows, the rule that merges window outputs back per word, and padded batching.
 *
 * @example
 * ```ts
 * declare const sentence: any, label2id: any; // the example's inputs
 * import { loadBertTokenizer, makeBatches, mergeWindowPredictions } from "./mod.ts";
 * const tokenizer = await loadBertTokenizer(Deno.env.get("BIOBERT_VOCAB")!);
 * const windows = tokenizer.encodeWords(sentence.words, { maxLength: 128, labels: sentence.tags, label2id });
 * const batches = makeBatches(windows, { batchSize: 8, bucketByLength: true });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export {
  BERT_SPECIAL_TOKENS,
  BertTokenizer,
  bertTokenizerConfig,
  bertTokenizerJson,
  loadBertTokenizer,
  parseVocab,
  type SpecialTokenIds,
} from "./bert.ts";
export {
  DEFAULT_MAX_LENGTH,
  DEFAULT_STRIDE,
  encodeWords,
  type LabelOptions,
  type WordPieces,
} from "./encode.ts";
export { mergeWindowPredictions, planWindows, type WindowSpan, wordTokenValues } from "./windows.ts";
export { type BatchOptions, makeBatches, unbatchRows, type WindowBatch } from "./batch.ts";
