/**
 * Inference: text → entities with character offsets into the original text, like transformers'
 * `pipeline("ner")`, with its five aggregation strategies; word-level tagging for evaluation; batch jobs
 * over text, JSONL and PubTator files.
 *
 * @example
 * ```ts
 * import { createNerPipeline } from "./mod.ts";
 * const ner = await createNerPipeline({ model: "outputs/biobert/best", aggregation: "simple" });
 * const entities = await ner("Cisplatin caused nephrotoxicity.");
 * // [{ start: 0, end: 9, text: "Cisplatin", type: "Chemical", score: 0.99 }, …]
 * ```
 *
 * @module
 */
export {
  AGGREGATION_STRATEGIES,
  type AggregationStrategy,
  DEFAULT_AGGREGATION,
  type Entity,
  isAggregationStrategy,
  type RecognizeOptions,
  type Recognizer,
  type ScoredToken,
} from "./types.ts";
export { createNerPipeline, type NerPipeline, type NerPipelineOptions } from "./pipeline.ts";
export { documentSentences, type TextDocument } from "./document_sentences.ts";
export { tagSentences } from "./tag.ts";
export { type RecognitionParts, recognizeDocuments } from "./recognize.ts";
export { type AggregateOptions, aggregateTokens, firstSubwordTags, softmaxRows } from "./aggregate.ts";
export { type ScoreOptions, scoreSentences, type WindowEncoder } from "./score.ts";
export { EXAMPLE_SENTENCES } from "./examples.ts";
export {
  INPUT_FORMATS,
  type InputDocument,
  type InputFormat,
  InputProblem,
  readDocuments,
  readLines,
} from "./inputs.ts";
export { formatDocument, type OutputFormat, parseShard, runBatchJob, type Shard } from "./batch.ts";
export {
  SHARD_BLOCK_DOCUMENTS,
  SHARD_COUNT_ENV,
  shardFromEnvironment,
  shardRange,
  subShard,
} from "./shard.ts";
export { runWorkerJob, WorkerFailedError, type WorkerJobOptions, type WorkerJobResult } from "./workers.ts";
export {
  autoRuntime,
  defaultRuntime,
  loadScoringModel,
  type Runtime,
  RUNTIME_ENV,
  type RuntimeChoice,
  RUNTIMES,
} from "./runtime.ts";
