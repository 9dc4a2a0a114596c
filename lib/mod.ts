/**
 * The public API: the names a notebook, a script or the README needs to run the workflow, from one import.
 * Each stage is a function with stated inputs and outputs, and the commands (`deno task …`, lib/cli/) call
 * the same ones:
 *
 * | stage | function | in → out | command |
 * |---|---|---|---|
 * | load | {@link loadChosenCorpus}, {@link loadCorpus} | corpus (`NER_CORPUS`, else BC5CDR) → documents, BIO sentences per split | — |
 * | convert | {@link convertCorpus} | corpus → IOB2 sentences + report (outputs/bio[-<corpus>]/) | `deno task convert` |
 * | train | {@link chooseProfile} → {@link trainProfile} | default profile (bilstm-crf, or biobert) → run folder (best model, metrics) | `deno task train` |
 * | evaluate | {@link chooseEvaluation} → {@link evaluateRun} | run / predictions → scores, report.md, figures | — |
 * | predict | {@link chooseModel} → {@link createNerPipeline} | model folder (either family) + text → entities | `deno task ner`, `serve` |
 *
 * Both model families (the word-level BiLSTM-CRF and BERT) go through every stage: training and inference find
 * a model's code by its `model_type` (lib/model/registry.ts).
 *
 * Everything else (stage internals, the notebook runner, the web server) stays in its stage's
 * folder: `lib/<stage>/mod.ts`. The ONNX export and runtime are at `lib/onnx/mod.ts` (importing it loads
 * ONNX Runtime's native library). The benchmarks build on this library from outside it (bench/).
 *
 * @example Run NER on new text
 * ```ts
 * import { createNerPipeline } from "./mod.ts";
 * const ner = await createNerPipeline({ model: "outputs/bilstm-crf/best" }); // a word-level or BERT folder
 * console.log(await ner("Cisplatin caused nephrotoxicity."));
 * ```
 *
 * @module
 */

// load
export { CORPORA, loadChosenCorpus, loadCorpus } from "./corpus/mod.ts";
export type { Corpus, CorpusEntry, CorpusSource, LoadCorpusOptions, SplitConversion } from "./corpus/mod.ts";
export { SPLITS } from "./corpus/types.ts";
export type { Document, Mention, Split } from "./corpus/types.ts";
export {
  corpusOriginRows,
  corpusPalette,
  corpusSummaryRows,
  exampleDocumentsHtml,
  highlightMentionsHtml,
  mentionFrequencyFigure,
  mentionLengthFigure,
  mentionsPerSplitFigure,
  mentionsPerTypeRows,
  mentionVocabularyRows,
  splitSizeTables,
  typesByFrequency,
} from "./corpus/mod.ts";

// convert
export {
  conversionCheckTables,
  convertCorpus,
  convertedCorpusDir,
  findIobReference,
  walkthroughDocument,
} from "./corpus/mod.ts";
export type {
  ConversionSummary,
  ConvertCorpusOptions,
  ConvertedCorpus,
  ConvertedSplit,
} from "./corpus/mod.ts";
export { labelsFromSentences } from "./bio/labels.ts";
export { sentencesFromDocument, sentencesFromText } from "./bio/convert.ts";
export { spansFromBioTags } from "./bio/tags.ts";
export { reportedLabels, type ReportedTypes } from "./bio/reported_types.ts";
export { readSentencesJsonl, writeSentencesJsonl } from "./bio/jsonl.ts";
export { bioSentenceHtml } from "./bio/html.ts";
export type { Sentence, Word } from "./bio/types.ts";

// train
export { initBackend } from "./backend/mod.ts";
export type { BackendChoice } from "./backend/select.ts";
export {
  chooseModel,
  chooseProfile,
  type ChosenModel,
  liveTrainingDisplay,
  loadProfile,
  type ProfileChoice,
  readTrainLog,
  type RunMetrics,
  summarizeModel,
  type TrainOptions,
  type TrainProfile,
  trainProfile,
} from "./train/mod.ts";
export { learningCurvesFigure } from "./plot/figures.ts";

// evaluate
export { classificationReport, evaluateTags, formatClassificationReport } from "./metrics/report.ts";
export type { ClassificationReport, TagEvaluation } from "./metrics/report.ts";
export { chooseEvaluation, type EvaluationChoice } from "./analysis/evaluation_inputs.ts";
export { evaluateRun, type EvaluateRunOptions, type RunEvaluation } from "./analysis/evaluate_run.ts";
export { ERROR_KINDS } from "./analysis/errors.ts";
export { exampleHtml } from "./analysis/examples.ts";

// predict
export { createNerPipeline, type NerPipeline, type NerPipelineOptions } from "./predict/pipeline.ts";
export { AGGREGATION_STRATEGIES, type AggregationStrategy, type Entity } from "./predict/types.ts";
export { offsetConverter, spansToCodePoints, spansToUtf16 } from "./util/code_points.js";
export { EXAMPLE_SENTENCES } from "./predict/examples.ts";
export { type DemoExamples, demoExamples } from "./predict/demo_examples.ts";
export {
  distinctEntityColors,
  ENTITY_PALETTE,
  entityColors,
  labelEntityTypes,
  markSpansHtml,
  markSpansText,
  mentionsHeading,
  paletteFor,
  renderEntityTableHtml,
  renderHighlightHtml,
  renderLegendHtml,
} from "./highlight/mod.ts";

// show and save
export { displayBundle, displayFigure, displayHtml, displayTable } from "./notebook/display.ts";
export { escapeHtml } from "./util/escape_html.js";
export { projectPath } from "./util/paths.ts";
export { writeFileAtomic } from "./util/atomic.ts";
