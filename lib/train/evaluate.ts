/**
 * Evaluation during and after training: the model tags sentences (lib/predict's `tagSentences`: first-subword
 * rule, windows merged as in inference) and lib/metrics scores them with strict-mode (IOB2) seqeval.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { AVERAGE_ROWS, classificationReport } from "../metrics/mod.ts";
import type { TokenClassifier } from "../model/types.ts";
import { tagSentences } from "../predict/tag.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import type { EvalScores } from "./metrics_file.ts";

/** Options of {@link evaluateSentences}. */
export interface EvaluateOptions {
  model: TokenClassifier;
  tokenizer: BertTokenizer;
  sentences: readonly Sentence[];
  maxLength: number;
  stride: number;
  batchSize: number;
}

/**
 * Strict-mode seqeval precision, recall and F1 (micro average, and per type) of the model's tags on `sentences`.
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any, sentences: any; // the example's inputs
 * const dev = await evaluateSentences({ model, tokenizer, sentences, maxLength: 128, stride: 32, batchSize: 64 });
 * console.log(dev.f1, dev.perType.Chemical.f1);
 * ```
 */
export async function evaluateSentences(options: EvaluateOptions): Promise<EvalScores> {
  const { sentences } = options;
  // Sentences of similar length share batches (less padding); tags go back to input order.
  const order = sentences.map((_, i) => i).sort((a, b) =>
    sentences[a].words.length - sentences[b].words.length
  );
  const sortedTags = await tagSentences(order.map((i) => sentences[i]), {
    classifier: options.model,
    tokenizer: options.tokenizer,
    batchSize: options.batchSize,
    maxLength: options.maxLength,
    stride: options.stride,
  });
  const predicted: string[][] = new Array(sentences.length);
  order.forEach((sentence, k) => predicted[sentence] = sortedTags[k]);
  const report = classificationReport(sentences.map((s) => s.tags), predicted, {
    mode: "strict",
    // All-O predictions early in training are expected, not worth a warning.
    onWarning: () => {},
  });
  const micro = report["micro avg"];
  const perType = Object.fromEntries(
    Object.entries(report)
      .filter(([name]) => !(AVERAGE_ROWS as readonly string[]).includes(name))
      .map((
        [type, row],
      ) => [type, {
        precision: row.precision,
        recall: row.recall,
        f1: row["f1-score"],
        support: row.support,
      }]),
  );
  return { precision: micro.precision, recall: micro.recall, f1: micro["f1-score"], perType };
}
