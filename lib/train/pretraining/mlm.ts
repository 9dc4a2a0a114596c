/**
 * Masked-language-model pretraining on the training split's own text, before fine-tuning a model that starts
 * from scratch (task-adaptive pretraining: the encoder first learns how the abstracts' WordPieces relate,
 * without labels). Only the training text is used — never dev or test.
 *
 * The MLM head is the token classifier itself with one class per predicted WordPiece: the `topTokens` most
 * frequent WordPieces of the training text (a full 29k-way softmax at every position would cost more than
 * the encoder); masked positions holding a rarer WordPiece are corrupted but carry no label. BERT's masking:
 * 15 % of the non-special positions, of which 80 % become [MASK], 10 % a random WordPiece, 10 % stay.
 * After pretraining, the encoder (`bert.*`) is copied into the token classifier and the head is discarded.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { makeBertConfig } from "../../model/bert/config.ts";
import { BertForTokenClassification } from "../../model/bert/network.ts";
import { type BertTokenizer, type EncodedWindow, IGNORE_INDEX, makeBatches } from "../../tokenizer/mod.ts";
import type { TrainEvents } from "../progress/events.ts";
import { AdamW } from "../optimizer.ts";
import type { MlmOptions } from "../../model/model_type.ts";
import type { ScratchModelConfig } from "../../model/types.ts";
import { SeededRandom } from "../../util/random.ts";
import { linearWarmupDecay } from "../schedule.ts";
import { trainStep } from "../step.ts";

/** One MLM epoch's training windows: masked input ids, labels = class of the original WordPiece. */
export function maskWindows(
  windows: readonly EncodedWindow[],
  options: {
    classOf: Map<number, number>;
    maskId: number;
    vocabSize: number;
    maskProbability: number;
    rng: SeededRandom;
  },
): EncodedWindow[] {
  const { classOf, maskId, vocabSize, maskProbability, rng } = options;
  return windows.map((window) => {
    const inputIds = window.inputIds.slice();
    const labels = new Array<number>(inputIds.length).fill(IGNORE_INDEX);
    window.wordIds.forEach((wordId, t) => {
      if (wordId === null || rng.next() >= maskProbability) return;
      labels[t] = classOf.get(window.inputIds[t]) ?? IGNORE_INDEX;
      const roll = rng.next();
      if (roll < 0.8) inputIds[t] = maskId;
      else if (roll < 0.9) inputIds[t] = rng.nextInt(vocabSize);
    });
    return { ...window, inputIds, labels };
  });
}

/** The `count` most frequent WordPiece ids of `windows` (special tokens excluded), most frequent first. */
export function frequentTokens(windows: readonly EncodedWindow[], count: number): number[] {
  const counts = new Map<number, number>();
  for (const window of windows) {
    window.wordIds.forEach((wordId, t) => {
      if (wordId !== null) counts.set(window.inputIds[t], (counts.get(window.inputIds[t]) ?? 0) + 1);
    });
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, count).map(([id]) => id);
}

/** Options of {@link pretrainEncoder}. */
export interface PretrainOptions {
  sizes: ScratchModelConfig;
  tokenizer: BertTokenizer;
  /** The training split's windows (their NER labels are not used). */
  windows: readonly EncodedWindow[];
  mlm: MlmOptions;
  seed: number;
  maxGradNorm: number;
  weightDecay: number;
  /** Where progress goes: the run's events (epoch-start, mlm-step, epoch-trained). */
  events?: TrainEvents;
  signal?: AbortSignal;
}

/**
 * Pretrains a from-scratch encoder with MLM on `windows` and returns its `bert.*` parameter values (model
 * layout) for `BertForTokenClassification.create({ values })`. The caller disposes the returned tensors.
 *
 * @example
 * ```ts
 * import { BertForTokenClassification } from "../../model/bert/network.ts";
 * declare const sizes: any, tokenizer: any, train: any, mlm: any, config: any; // the example's inputs
 * const values = await pretrainEncoder({ sizes, tokenizer, windows: train.windows, mlm, seed: 42, maxGradNorm: 1, weightDecay: 0.01 });
 * const model = BertForTokenClassification.create(config, { seed: 42, values });
 * ```
 */
export async function pretrainEncoder(options: PretrainOptions): Promise<Map<string, tf.Tensor>> {
  const { mlm, tokenizer, seed } = options;
  const predicted = frequentTokens(options.windows, mlm.topTokens);
  const classOf = new Map(predicted.map((id, index) => [id, index]));
  const config = makeBertConfig(
    { ...options.sizes, vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.specialIds.pad },
    { labels: predicted.map((id) => tokenizer.idToToken(id)), source: "MLM pretraining" },
  );
  const model = BertForTokenClassification.create(config, { seed });
  const optimizer = new AdamW(model.parameters, { weightDecay: options.weightDecay });
  try {
    const stepsPerEpoch = Math.ceil(options.windows.length / mlm.batchSize);
    const totalSteps = mlm.epochs * stepsPerEpoch;
    const lrAt = linearWarmupDecay({
      learningRate: mlm.learningRate,
      warmupSteps: Math.round(mlm.warmupRatio * totalSteps),
      totalSteps,
    });
    const rng = new SeededRandom(seed ^ 0x5eed);
    let step = 0;
    for (let epoch = 0; epoch < mlm.epochs; epoch++) {
      const masked = maskWindows(options.windows, {
        classOf,
        maskId: tokenizer.specialIds.mask,
        vocabSize: tokenizer.vocabSize,
        maskProbability: mlm.maskProbability ?? 0.15,
        rng,
      });
      const batches = makeBatches(masked, {
        batchSize: mlm.batchSize,
        bucketByLength: true,
        shuffleSeed: rng.nextInt(2 ** 31),
        padId: tokenizer.specialIds.pad,
      });
      await options.events?.emit({
        kind: "epoch-start",
        stage: "mlm",
        epoch: epoch + 1,
        epochs: mlm.epochs,
        batches: batches.length,
      });
      let loss = NaN;
      for (const [index, batch] of batches.entries()) {
        options.signal?.throwIfAborted();
        ({ loss } = await trainStep({
          model,
          optimizer,
          batch,
          learningRate: lrAt(step),
          maxGradNorm: options.maxGradNorm,
          dropoutSeed: seed * 1_000_003 + 7_777_777 + step,
        }));
        step++;
        await options.events?.emit({ kind: "mlm-step", batch: index + 1, loss });
        // Lets timers and I/O (e.g. a notebook display) run between steps.
        if (step % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await options.events?.emit({ kind: "epoch-trained", batches: batches.length, loss });
    }
    const encoder = new Map<string, tf.Tensor>();
    for (const [name, variable] of model.parameters) {
      if (name.startsWith("bert.")) encoder.set(name, variable.clone());
    }
    return encoder;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
