/**
 * Error analysis of NER predictions: gold vs predicted spans per sentence, the error taxonomy, confusions,
 * split entities, seen/unseen and length recall, frequent errors, examples with context; synthetic
 * perturbations of gold tags (benchmarks, tests); and the evaluation of a run (metrics + analysis + figures +
 * report.md).
 *
 * @example
 * ```ts
 * declare const gold: any, predicted: any, train: any; // the example's inputs
 * import { analyzeErrors, exampleText } from "./mod.ts";
 * const analysis = analyzeErrors({ gold, predicted, train });
 * for (const example of analysis.examples.boundary) console.log(exampleText(example));
 * ```
 *
 * @module
 */
export {
  analyzeErrors,
  type AnalyzeOptions,
  type Confusion,
  type ErrorAnalysis,
  type ErrorExample,
  LENGTH_BUCKETS,
  type LengthBucket,
  type RecallBucket,
  type StringCount,
} from "./analyze.ts";
export { classifySentence, type EntityGroup, ERROR_KINDS, type ErrorKind } from "./errors.ts";
export { exampleHtml, type ExampleRenderOptions, exampleText } from "./examples.ts";
export {
  confusionHeatmapFigure,
  errorBreakdownFigure,
  recallByLengthFigure,
  seenUnseenFigure,
} from "./figures.ts";
export { joinWords, type SentenceSpanOptions, sentenceSpans, type Span } from "./spans.ts";
export {
  evaluateRun,
  type EvaluateRunOptions,
  evaluationFigures,
  type RunEvaluation,
  scorePredictions,
} from "./evaluate_run.ts";
export { evaluationMarkdown, type ReportContent, type ReportFigure } from "./report_md.ts";
export { type PerturbOptions, perturbTags } from "./perturb.ts";
export { loadOrPredict, type PredictionsOptions } from "./predictions.ts";
export {
  chooseEvaluation,
  type ChooseEvaluationOptions,
  type EvaluationChoice,
} from "./evaluation_inputs.ts";
