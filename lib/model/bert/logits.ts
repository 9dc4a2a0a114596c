/**
 * Raw logits of one text, for checking a model against another implementation:
 * what `deno task ner --model DIR --logits "text"` prints.
 *
 * @module
 */
import { join } from "node:path";
import { type BertTokenizer, loadBertTokenizer } from "../../tokenizer/bert.ts";
import { batchLogits } from "../batch_logits.ts";
import type { WindowModel } from "../types.ts";
import { loadTokenClassifierWithReport } from "./pretrained.ts";
import { checkVocabFitsModel } from "./config.ts";

/** The tokens of one window of a text, their ids, and one logits row (one value per label) per token. */
export interface LogitsReport {
  /** WordPiece tokens, [CLS] first and [SEP] last. */
  tokens: string[];
  /** Their vocabulary ids. */
  inputIds: number[];
  /** One row per token, one value per label (in id order). */
  logits: number[][];
}

/**
 * Tokenizes `text` as one window (`[CLS] … [SEP]`, cut to `max_position_embeddings` tokens with a warning on
 * stderr) and returns the model's logits for every token, special tokens included.
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any; // the example's inputs
 * const report = await textLogits(model, tokenizer, "Naloxone reverses hypertension.");
 * report.logits.length === report.inputIds.length; // true
 * ```
 */
export async function textLogits(
  model: WindowModel,
  tokenizer: BertTokenizer,
  text: string,
): Promise<LogitsReport> {
  let { ids, tokens } = tokenizer.encodeText(text);
  const maxLength = model.config.max_position_embeddings;
  if (ids.length > maxLength) {
    console.error(`[logits] ${ids.length} tokens: keeping the first window of ${maxLength} (with [SEP])`);
    ids = [...ids.slice(0, maxLength - 1), ids[ids.length - 1]];
    tokens = [...tokens.slice(0, maxLength - 1), tokens[tokens.length - 1]];
  }
  const values = await batchLogits(model, {
    batchSize: 1,
    seqLength: ids.length,
    inputIds: Int32Array.from(ids),
    attentionMask: new Int32Array(ids.length).fill(1),
    tokenTypeIds: new Int32Array(ids.length),
  });
  const numLabels = values.length / ids.length;
  const rows = ids.map((_, t) => Array.from(values.subarray(t * numLabels, (t + 1) * numLabels)));
  return { tokens, inputIds: ids, logits: rows };
}

/**
 * Loads the model folder or hub id `model` (weights, config, vocab.txt) and returns {@link textLogits} of `text`.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(await logitsReport({ model: "data/fixtures/model/tiny-bert", text: "Aspirin" })));
 * ```
 */
export async function logitsReport(options: { model: string; text: string }): Promise<LogitsReport> {
  const { model, dir } = await loadTokenClassifierWithReport(options.model);
  try {
    const tokenizer = await loadBertTokenizer(join(dir, "vocab.txt"));
    checkVocabFitsModel(tokenizer.vocabSize, join(dir, "vocab.txt"), model.config);
    return await textLogits(model, tokenizer, options.text);
  } finally {
    model.dispose();
  }
}
