/**
 * The inference front door, in the spirit of transformers' `pipeline("ner")`:
 *
 * ```ts
 * const ner = await createNerPipeline({ model: "outputs/biobert/best" });
 * await ner("Naloxone reverses clonidine-induced hypotension.");
 * // [{ start: 0, end: 8, text: "Naloxone", type: "Chemical", score: 0.99 }, …]
 * ```
 *
 * Text of any length: it is split into sentences (lib/bio), each sentence into windows (lib/tokenizer,
 * overlapping with a stride when longer than the model's length), windows of many sentences are batched,
 * and per-word predictions come from the window that owns each word — so no entity is cut or duplicated at
 * a window edge. Entity offsets count Unicode code points of the caller's text, as Python does (see
 * {@link Entity}; lib/util/code_points.js's `spansToUtf16` gives offsets for slicing in JavaScript).
 *
 * @module
 */
import { join } from "node:path";
import { sentencesFromText } from "../bio/mod.ts";
import type { ReportedTypes } from "../bio/reported_types.ts";
import type { Sentence } from "../bio/types.ts";
import { checkVocabFitsModel, labelNames } from "../model/bert/config.ts";
import { isWordLevelModel, type ScoringModel } from "../model/types.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import type { TextDocument } from "./document_sentences.ts";
import { recognizeDocuments as recognizeWith } from "./recognize.ts";
import {
  defaultRuntime,
  loadScoringModel,
  type Runtime,
  RUNTIME_ENV,
  type RuntimeChoice,
} from "./runtime.ts";
import type { WindowEncoder } from "./score.ts";
import { tagSentences } from "./tag.ts";
import {
  type AggregationStrategy,
  DEFAULT_AGGREGATION,
  type Entity,
  isAggregationStrategy,
  type RecognizeOptions,
} from "./types.ts";

/** Options of {@link createNerPipeline}. */
export interface NerPipelineOptions {
  /**
   * A model folder (HF layout: config.json, model.safetensors or pytorch_model.bin, vocab.txt), a hub model
   * id (downloaded into the cache), or a model in memory.
   */
  model: string | ScoringModel;
  /**
   * What runs a folder's model: "tfjs" (model.safetensors or pytorch_model.bin), "onnx" (onnx/model.onnx,
   * from `deno task export-onnx`), "onnx-q8" (its int8 onnx/model_quantized.onnx) or "auto" (onnx when that
   * export was made from the folder's weights and labels, else tfjs). Default: `NER_RUNTIME`, else "auto".
   */
  runtime?: RuntimeChoice;
  /** A `vocab.txt` path or a tokenizer. Default: `vocab.txt` of the model folder; required with a model object. */
  tokenizer?: string | WindowEncoder;
  /** Default strategy of calls ({@link DEFAULT_AGGREGATION} = "first"). */
  aggregation?: AggregationStrategy;
  /** Windows per forward pass. Default 32. */
  batchSize?: number;
  /** Batches' worth of windows sorted by length together, to pad less. Default 8 (see `scoreSentences`). */
  poolBatches?: number;
  /** Window length with [CLS] and [SEP]. Default 128 (capped by the model's position embeddings). */
  maxLength?: number;
  /** Subwords shared by consecutive windows of a long sentence. Default 32. */
  stride?: number;
  /** Text → sentences with word offsets into the text. Default: lib/bio's `sentencesFromText`. */
  splitSentences?: (text: string) => Sentence[];
  /** What the pipeline calls its model (web app, CLI output). Default: the folder, or "in-memory model". */
  name?: string;
}

/** The pipeline: call it with a text; its methods serve evaluation, training and batch jobs. */
export interface NerPipeline {
  (text: string, options?: RecognizeOptions): Promise<Entity[]>;
  /** Label names in id order. */
  readonly labels: readonly string[];
  /** Types the model learns apart but its entities report as others (lib/bio/reported_types.ts). */
  readonly reportedTypes: ReportedTypes | undefined;
  /** The default aggregation strategy of calls. */
  readonly aggregation: AggregationStrategy;
  /** The model's name (folder or "in-memory model"); not `name`, which every function already has. */
  readonly modelName: string;
  /**
   * What runs a model the pipeline loaded: the tfjs backend it chose (`initBackend`: the best that works,
   * or `NER_BACKEND`) or "onnx"; undefined for a model given in memory (it runs where it was made).
   */
  readonly backend: string | undefined;
  /** The runtime a model the pipeline loaded runs on; undefined for a model given in memory. */
  readonly runtime: Runtime | undefined;
  /** Why that runtime: "auto"'s reason, or "asked for" (undefined for a model given in memory). */
  readonly runtimeReason: string | undefined;
  readonly classifier: ScoringModel;
  /**
   * Entities of many documents, streamed in input order; windows of consecutive documents share batches.
   *
   * @example
   * ```ts
   * declare const ner: any, readDocs: any; // the example's inputs
   * for await (const { doc, entities } of ner.recognizeDocuments(readDocs())) console.log(doc.id, entities);
   * ```
   */
  recognizeDocuments<D extends TextDocument>(
    docs: Iterable<D> | AsyncIterable<D>,
    options?: RecognizeOptions,
  ): AsyncGenerator<{ doc: D; entities: Entity[] }>;
  /**
   * One predicted IOB2 tag per word of each sentence, by the first-subword rule (the label HF-style training
   * puts on the first subword) — for evaluation and dev-set scoring.
   *
   * @example
   * ```ts
   * declare const ner: any, devSentences: any; // the example's inputs
   * const predicted = await ner.tagSentences(devSentences); // predicted[i].length === devSentences[i].words.length
   * ```
   */
  tagSentences(sentences: Iterable<Sentence> | AsyncIterable<Sentence>): Promise<string[][]>;
  /** Frees the model (only when the pipeline loaded it from a folder). */
  dispose(): void;
}

/**
 * Creates the pipeline: loads the model and tokenizer (from a folder, or uses the given ones). A folder's
 * model runs on the backend the pipeline picks itself (see {@link NerPipeline.backend}).
 *
 * @example
 * ```ts
 * import { spansToUtf16 } from "../util/code_points.js";
 * const ner = await createNerPipeline({ model: "outputs/biobert/best", aggregation: "simple" });
 * const text = "😀 Cisplatin caused nephrotoxicity.";
 * const entities = await ner(text); // [{ start: 2, end: 11, text: "Cisplatin", … }, …]: code points
 * spansToUtf16(text, entities).every((e) => e.text === text.slice(e.start, e.end)); // true
 * ```
 */
export async function createNerPipeline(options: NerPipelineOptions): Promise<NerPipeline> {
  const { model, batchSize = 32, poolBatches, maxLength, stride, splitSentences = sentencesFromText } =
    options;
  const aggregation = options.aggregation ?? DEFAULT_AGGREGATION;
  checkStrategy(aggregation);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const ownsModel = typeof model === "string";
  const askedBy = options.runtime ? "the runtime option" : `${RUNTIME_ENV}=${defaultRuntime()}`;
  const loaded = ownsModel
    ? await loadScoringModel(model, options.runtime ?? defaultRuntime(), askedBy)
    : undefined;
  const classifier = loaded?.model ?? (model as ScoringModel);
  // A word-level model reads words through its own vocab.json: no subword tokenizer.
  const windowModel = isWordLevelModel(classifier) ? undefined : classifier;
  const tokenizerSource = windowModel
    ? options.tokenizer ?? (loaded ? join(loaded.dir, "vocab.txt") : missingTokenizer())
    : undefined;
  const tokenizer = typeof tokenizerSource === "string"
    ? await loadBertTokenizer(tokenizerSource).then((tokenizer) => {
      checkVocabFitsModel(tokenizer.vocabSize, tokenizerSource, windowModel!.config);
      return tokenizer;
    }).catch((error) => {
      if (ownsModel) classifier.dispose(); // nothing half-made stays behind
      throw error;
    })
    : tokenizerSource;
  const labels = labelNames(classifier.config);
  const consistency = isWordLevelModel(classifier) ? classifier.consistency : undefined;
  const reportedTypes = isWordLevelModel(classifier) ? classifier.reportedTypes : undefined;
  const scoreOptions = { classifier, tokenizer, batchSize, poolBatches, maxLength, stride };

  async function* recognizeDocuments<D extends TextDocument>(
    docs: Iterable<D> | AsyncIterable<D>,
    callOptions: RecognizeOptions = {},
  ): AsyncGenerator<{ doc: D; entities: Entity[] }> {
    const strategy = callOptions.aggregation ?? aggregation;
    checkStrategy(strategy);
    yield* recognizeWith(docs, {
      score: scoreOptions,
      labels,
      consistency,
      reportedTypes,
      splitSentences,
      strategy,
      signal: callOptions.signal,
    });
  }

  const recognize = async (text: string, callOptions?: RecognizeOptions): Promise<Entity[]> => {
    if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
    for await (const { entities } of recognizeDocuments([{ text }], callOptions)) return entities;
    return [];
  };

  return Object.assign(recognize, {
    labels,
    reportedTypes,
    aggregation,
    modelName: options.name ?? (typeof model === "string" ? model : "in-memory model"),
    backend: loaded?.backend,
    runtime: loaded?.runtime,
    runtimeReason: loaded?.runtimeReason,
    classifier,
    recognizeDocuments,
    tagSentences: (sentences: Iterable<Sentence> | AsyncIterable<Sentence>) =>
      tagSentences(sentences, scoreOptions),
    dispose() {
      if (ownsModel) classifier.dispose();
    },
  });
}

function missingTokenizer(): never {
  throw new Error("a model given as an object needs `tokenizer` (a vocab.txt path or a tokenizer)");
}

function checkStrategy(strategy: unknown): asserts strategy is AggregationStrategy {
  if (!isAggregationStrategy(strategy)) {
    throw new Error(
      `unknown aggregation strategy ${JSON.stringify(strategy)}: use none, simple, first, average, max`,
    );
  }
}
