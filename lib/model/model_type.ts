/**
 * What a model type is to the rest of the project ({@link ModelType}): everything training and inference do
 * with a model that depends on its architecture — check a profile, build a model from it, load and save a
 * folder, score with it, export it. Each type is one folder of lib/model (bert/, word_crf/) and one entry of
 * the registry (registry.ts); nothing outside them asks which architecture it holds.
 *
 * @module
 */
import type { BertTokenizer } from "../tokenizer/mod.ts";
import type { EncodedWindow } from "../tokenizer/types.ts";
import type * as tf from "@tensorflow/tfjs-core";
import type { LabelledCorpus, ScoringParts, TrainableModel } from "./trainable.ts";
import type { ScratchModelConfig } from "./types.ts";

/** What a model type reads of a training profile (lib/train/profile.ts's `TrainProfile` holds more). */
export interface ModelProfile<Spec = unknown> {
  name: string;
  /** The profile's `model` section: what its architecture's type reads. */
  model: Spec;
  /** WordPiece vocabulary sources (BERT): see lib/model/bert/folder.ts's `resolveVocab`. */
  vocab?: string[];
  /** BERT only: subword tokens per window, [CLS] and [SEP] included, and the context two windows share. */
  maxLength?: number;
  stride?: number;
  /** MLM pretraining of a from-scratch BERT encoder (`null`: none); see lib/model/bert/spec.ts. */
  pretraining?: MlmOptions | null;
  evalBatchSize: number;
  seed: number;
}

/** The `pretraining` section of a profile: MLM on the training text before fine-tuning (BERT from scratch). */
export interface MlmOptions {
  epochs: number;
  learningRate: number;
  warmupRatio: number;
  batchSize: number;
  /** WordPieces the MLM head predicts (the most frequent in the training text). */
  topTokens: number;
  /** Share of non-special positions masked. Default 0.15. */
  maskProbability?: number;
}

/**
 * MLM pretraining as the training stage runs it (lib/train/pretraining/mlm.ts): the encoder values it learns
 * from the training windows, for a BERT of the given sizes read through `tokenizer`.
 */
export type EncoderPretraining = (start: {
  sizes: ScratchModelConfig;
  tokenizer: BertTokenizer;
  windows: readonly EncodedWindow[];
}) => Promise<Map<string, tf.Tensor>>;

/** What {@link ModelType.build} needs besides the profile. */
export interface BuildOptions {
  /** The corpora to train on, in the run's order, each with its training sentences. */
  corpora: readonly LabelledCorpus[];
  log: (message: string) => void;
  /** How the profile's `pretraining` is run, and the folder its starting point is saved to. */
  pretraining?: { run: EncoderPretraining; saveTo: string };
}

/** What {@link ModelType.load} needs besides the folder. */
export interface LoadOptions<Spec = unknown> {
  profile: ModelProfile<Spec>;
  /** The corpora to go on training on, with their training sentences; none for a model only scored. */
  corpora?: readonly LabelledCorpus[];
}

/** A profile architecture (`model.architecture`): its profile checks and its description for people. */
export interface Architecture<Spec = unknown, Summary = unknown> {
  /** As profiles write it; "bert" is the default when a profile names none. */
  readonly name: string;
  /** What it is, for people: "a word-level model". */
  readonly description: string;
  /** Every impossible or missing value of a profile for this architecture, as one line each. */
  profileProblems(profile: ModelProfile<Spec>): string[];
  /** What a profile of this architecture trains (sizes, where its weights come from), for people. */
  summarize(profile: ModelProfile<Spec> & { labels: readonly string[] }): Promise<Summary>;
}

/** Why a folder's model runs on tfjs only, in the words runtime choice reports. */
export interface TfjsOnly {
  /** What the folder holds, e.g. "has a CRF head (crf.safetensors)". */
  holds: string;
  /** Why "auto" chose tfjs, e.g. "CRF head (crf.safetensors): tfjs". */
  reason: string;
}

/** A model type's inference on tfjs (lib/predict loads every model folder through it). */
export interface ModelInference {
  /** Why `dir`'s model runs on tfjs only, or undefined when ONNX Runtime may run the folder's export. */
  tfjsOnly(dir: string): Promise<TfjsOnly | undefined>;
  /**
   * The folder loaded for scoring; `documentRules: false` leaves out the document consistency rules its folder
   * names (what `deno task consistency` measures them against).
   */
  load(dir: string, options?: { documentRules?: boolean }): Promise<ScoringParts>;
}

/** Options of {@link ModelExport.write}. */
export interface ExportOptions {
  /**
   * Checks the export of model folder `modelDir` built in `onnxDir` (the not yet renamed folder); a throw
   * cancels that export and leaves the previous one as it was.
   */
  check?: (onnxDir: string, modelDir: string) => Promise<void>;
}

/** Where an export was written and how big it is. */
export interface ExportResult {
  /** The model folder exported. */
  dir: string;
  path: string;
  bytes: number;
  /** The int8 model, for exports that have one (BERT's). */
  quantizedPath?: string;
  quantizedBytes?: number;
}

/**
 * What an export's `onnx/model.onnx` computes, which tells lib/onnx how to run it: "token-logits" (BERT:
 * `input_ids`, `attention_mask`, `token_type_ids` → `logits` per subword) or "word-emissions" (the word-level
 * model: word, shape and character ids → CRF `emissions` per word, decoded in TypeScript).
 */
export type ExportGraph = "token-logits" | "word-emissions";

/** A model type's ONNX export (`deno task export-onnx`): the files ONNX Runtime and transformers.js read. */
export interface ModelExport {
  readonly graph: ExportGraph;
  /**
   * Writes `dir`'s export into `dir/onnx/`, atomically; one result per model folder exported (a multi-corpus
   * folder: one per corpus, each its own atomic export).
   */
  write(dir: string, options?: ExportOptions): Promise<ExportResult[]>;
}

/** One model type: the registry's entry (see the module doc). */
export interface ModelType<Spec = unknown, Summary = unknown> {
  /** config.json's `model_type` ("bert", "word-crf"), or the multi-corpus folder's "word-crf-multi". */
  readonly modelType: string;
  /** The profile architecture it trains. */
  readonly architecture: Architecture<Spec, Summary>;
  /** Whether it trains on one corpus, or on several at once (one head each). */
  readonly corpora: "one" | "several";
  /** Whether folder `dir`, whose config.json (if any) reads `config`, holds a model of this type. */
  holds(dir: string, config: Record<string, unknown> | undefined): Promise<boolean>;
  /** A fresh model of the profile to train on `options.corpora`, its training data encoded. */
  build(profile: ModelProfile<Spec>, options: BuildOptions): Promise<TrainableModel>;
  /** A saved folder (`best/`, a checkpoint) as a model to go on training or to score. */
  load(dir: string, options: LoadOptions<Spec>): Promise<TrainableModel>;
  /** Inference with a folder of this type. */
  readonly inference: ModelInference;
  /** The ONNX export; absent: the type has none (its folders run on tfjs only). */
  readonly export?: ModelExport;
}
