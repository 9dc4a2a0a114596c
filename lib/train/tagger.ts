/**
 * What the training loop needs of a model, whatever its architecture: its parameters, one epoch's labelled
 * batches, the loss of a batch, tagging (for dev and test) and saving. The BERT token classifier
 * (bert_tagger.ts) and the word-level BiLSTM-CRF (word_crf_tagger.ts) implement it; fit.ts and trainer.ts
 * know nothing else of either.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Sentence } from "../bio/types.ts";

/** A model being trained, with its training data already encoded. */
export interface TrainableTagger<Batch = unknown> {
  /** The architecture, as its config.json's model_type says: "bert" or "word-crf". */
  readonly kind: string;
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
  /** One predicted IOB2 tag per word of each sentence, dropout off. */
  tagSentences(sentences: readonly Sentence[]): Promise<string[][]>;
  /** Writes the model folder (atomically) that inference and evaluation load. */
  save(dir: string): Promise<void>;
  dispose(): void;
}

/**
 * The number of trainable values of a model.
 *
 * @example
 * ```ts
 * declare const tagger: TrainableTagger; // the example's inputs
 * console.log(parameterCount(tagger.parameters));
 * ```
 */
export function parameterCount(parameters: Map<string, tf.Variable>): number {
  let total = 0;
  for (const variable of parameters.values()) total += variable.size;
  return total;
}
