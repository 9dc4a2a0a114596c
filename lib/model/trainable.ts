/**
 * What training needs of a model, whatever its type ({@link TrainableModel}): its parameters, one epoch's
 * labelled batches, the loss of a batch, how each corpus's sentences are tagged, and saving. Every model type
 * of the registry (registry.ts) gives one; lib/train's loop knows nothing else of any.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ReportedTypes } from "../bio/reported_types.ts";
import type { Sentence } from "../bio/types.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import type { CrfHead } from "./crf/head.ts";
import type { WindowModel, WordLevelModel } from "./types.ts";

/** A corpus of a run: its name (a multi-corpus model's head folder), its label set and labelled sentences. */
export interface LabelledCorpus {
  name: string;
  labels: readonly string[];
  sentences: readonly Sentence[];
  /**
   * The tags (gold and predicted) as this corpus can judge them, when the model tags more types than the
   * corpus annotates (a model over unified types: lib/corpus/type_mapping.ts's `projectTags`); absent: as
   * they are.
   */
  judge?: (tags: readonly string[]) => string[];
  /** Types its labels learn apart but entities report as another (a unified mapping's `reported`). */
  reportedTypes?: ReportedTypes;
  /** Its entity types' unified types, when its head is one of several merged into unified types. */
  unifiedTypes?: Readonly<Record<string, string>>;
}

/**
 * A model as inference scores with it (lib/predict): a word-level model (it decodes whole sentences itself),
 * or a subword-window model with its tokenizer and, for a BERT with a CRF head, the head that decodes each
 * sentence whole from the window model's first-subword scores.
 */
export type ScoringParts =
  | { classifier: WordLevelModel; tokenizer?: undefined; crfHead?: undefined }
  | { classifier: WindowModel; tokenizer?: BertTokenizer; crfHead?: undefined }
  | { classifier: WindowModel; tokenizer: BertTokenizer; crfHead: CrfHead };

/** How a model in memory tags sentences: its scoring parts and the batching they are tagged with. */
export type TaggingParts = ScoringParts & {
  /** Windows (sentences, for a word-level model) per forward pass. */
  batchSize: number;
  /** A window model's window length and stride (the profile's). */
  maxLength?: number;
  stride?: number;
};

/** A model being trained, with its training data already encoded. */
export interface TrainableModel<Batch = unknown> {
  /** What the run's log calls it: "bert", "bert-crf", "word-crf", "word-crf-multi". */
  readonly name: string;
  /** Trainable parameters by name (what the optimizer updates and the checkpoint saves). */
  readonly parameters: Map<string, tf.Variable>;
  /** Training examples one epoch goes through: subword windows (BERT) or sentences (word-level). */
  readonly trainExamples: number;
  /**
   * Batches of one epoch at `batchSize`, when not ⌈trainExamples / batchSize⌉ (a multi-corpus model batches
   * each corpus apart): what the schedule's step count is sized to.
   */
  stepsPerEpoch?(batchSize: number): number;
  /** One epoch's batches, shuffled by `seed` (same seed, same batches), similar lengths together. */
  epochBatches(options: { batchSize: number; seed: number }): Batch[];
  /** Tokens a batch trains on (subwords with [CLS]/[SEP], or words): the unit of tokens/s. */
  batchTokens(batch: Batch): number;
  /**
   * The parameters a batch's loss reaches, when not all of them (a multi-corpus model: the encoder and the
   * batch's corpus's head): only those are updated, so the other heads keep their values and moments.
   */
  batchParameters?(batch: Batch): Map<string, tf.Variable>;
  /** The mean loss of a batch with dropout on, its masks seeded by `dropoutSeed`. Caller disposes. */
  loss(batch: Batch, options: { dropoutSeed: number }): tf.Scalar;
  /**
   * How the sentences of the run's corpus number `corpus` (0 for a one-corpus run) are tagged, dropout off:
   * what dev and test are scored with.
   */
  tagging(corpus: number): TaggingParts;
  /** Writes the model folder (atomically) that inference and evaluation load. */
  save(dir: string): Promise<void>;
  dispose(): void;
}

/**
 * The number of trainable values of a model.
 *
 * @example
 * ```ts
 * declare const model: TrainableModel; // the example's inputs
 * console.log(parameterCount(model.parameters));
 * ```
 */
export function parameterCount(parameters: Map<string, tf.Variable>): number {
  let total = 0;
  for (const variable of parameters.values()) total += variable.size;
  return total;
}
