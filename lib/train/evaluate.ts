/**
 * Evaluation during and after training: the model tags sentences (its tagger's `tagSentences`, the same
 * tagging as inference) and lib/metrics scores them with strict-mode (IOB2) seqeval.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { AVERAGE_ROWS, classificationReport } from "../metrics/mod.ts";
import type { EvalScores } from "./metrics_file.ts";
import type { TrainableTagger } from "./tagger.ts";

/**
 * Strict-mode seqeval precision, recall and F1 (micro average, and per type) of a model's tags on
 * `sentences`. Sentences of similar length are tagged together (less padding); tags go back to input order.
 *
 * @example
 * ```ts
 * declare const tagger: any, sentences: any; // the example's inputs
 * const dev = await evaluateSentences(tagger, sentences);
 * console.log(dev.f1, dev.perType.Chemical.f1);
 * ```
 */
export async function evaluateSentences(
  tagger: Pick<TrainableTagger, "tagSentences">,
  sentences: readonly Sentence[],
): Promise<EvalScores> {
  const order = sentences.map((_, i) => i).sort((a, b) =>
    sentences[a].words.length - sentences[b].words.length
  );
  const sortedTags = await tagger.tagSentences(order.map((i) => sentences[i]));
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
