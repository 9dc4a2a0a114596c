/**
 * Evaluation during and after training: the model tags sentences (the same tagging as inference,
 * lib/predict/tag.ts) and lib/metrics scores them with strict-mode (IOB2) seqeval — each corpus of the run
 * with its own labels (a multi-corpus model: with its own head).
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { AVERAGE_ROWS, classificationReport } from "../metrics/mod.ts";
import type { LabelledCorpus, TrainableModel } from "../model/trainable.ts";
import { scoreOptionsOf } from "../predict/bert_crf.ts";
import { tagSentences } from "../predict/tag.ts";
import type { EvalScores } from "./metrics_file.ts";

/**
 * Strict seqeval scores of a run's corpora, each tagged as the model tags that corpus (its index): for one
 * corpus its own scores; for several, as micro scores their unweighted means — what a multi-corpus run selects
 * its best epoch on — with `perCorpus` holding each corpus's own scores and `perType` each `corpus/type`.
 *
 * @example
 * ```ts
 * declare const model: any, dev: any; // the example's inputs
 * const scores = await scoreCorpora(model, dev);
 * console.log(scores.f1, scores.perCorpus?.bc5cdr.f1);
 * ```
 */
export async function scoreCorpora(
  model: Pick<TrainableModel, "tagging">,
  corpora: readonly LabelledCorpus[],
): Promise<EvalScores> {
  if (corpora.length === 1) {
    return await evaluateSentences(model, corpora[0].sentences, { judge: corpora[0].judge });
  }
  const perCorpus: Record<string, EvalScores> = {};
  for (const [i, corpus] of corpora.entries()) {
    perCorpus[corpus.name] = await evaluateSentences(model, corpus.sentences, {
      corpus: i,
      judge: corpus.judge,
    });
  }
  const scores = Object.values(perCorpus);
  const mean = (key: "precision" | "recall" | "f1") =>
    scores.reduce((sum, s) => sum + s[key], 0) / scores.length;
  const perType = Object.fromEntries(
    Object.entries(perCorpus).flatMap(([name, s]) =>
      Object.entries(s.perType).map(([type, row]) => [`${name}/${type}`, row])
    ),
  );
  return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1"), perType, perCorpus };
}

/**
 * Strict-mode seqeval precision, recall and F1 (micro average, and per type) of a model's tags on
 * `sentences` of its corpus number `options.corpus` (default 0), gold and predicted tags seen through
 * `options.judge` when given (lib/model/trainable.ts's `LabelledCorpus.judge`). Sentences of similar length
 * are tagged together (less padding); tags go back to input order.
 *
 * @example
 * ```ts
 * declare const model: any, sentences: any; // the example's inputs
 * const dev = await evaluateSentences(model, sentences);
 * console.log(dev.f1, dev.perType.Chemical.f1);
 * ```
 */
export async function evaluateSentences(
  model: Pick<TrainableModel, "tagging">,
  sentences: readonly Sentence[],
  options: { corpus?: number; judge?: (tags: readonly string[]) => string[] } = {},
): Promise<EvalScores> {
  const judge = options.judge ?? ((tags: readonly string[]) => [...tags]);
  const order = sentences.map((_, i) => i).sort((a, b) =>
    sentences[a].words.length - sentences[b].words.length
  );
  const sortedTags = await tagSentences(
    order.map((i) => sentences[i]),
    scoreOptionsOf(model.tagging(options.corpus ?? 0)),
  );
  const predicted: string[][] = new Array(sentences.length);
  order.forEach((sentence, k) => predicted[sentence] = judge(sortedTags[k]));
  const report = classificationReport(sentences.map((s) => judge(s.tags)), predicted, {
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
