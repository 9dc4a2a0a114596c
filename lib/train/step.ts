/**
 * One optimizer step: forward with dropout → loss → gradients → global-norm clipping → AdamW.
 *
 * Everything stays on the device: the clipping scale and the AdamW update are tensor ops, and the only read
 * back is one small asynchronous read of `[loss, gradient norm]` per step — the single point where a step
 * waits for the device. There is no synchronous read (`dataSync`): tfjs-backend-webgpu implements those with a
 * 2D OffscreenCanvas, which Deno lacks, and on any GPU a synchronous read stalls the JS thread.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TokenClassifier } from "../model/types.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { bertBatchLoss } from "../model/bert/loss.ts";
import { type AdamW, globalNormScale } from "./optimizer.ts";
import { fixMmapThreshold } from "../util/malloc.ts";

/** Options of {@link optimizerStep}. */
export interface OptimizerStepOptions {
  /** The parameters to update, by name. */
  parameters: Map<string, tf.Variable>;
  optimizer: AdamW;
  /** The loss to minimise (dropout on); called once, under tfjs's gradient tape. */
  loss: () => tf.Scalar;
  learningRate: number;
  maxGradNorm: number;
}

/** What a step reports: the loss before the update and the global gradient norm before clipping. */
export interface OptimizerStepResult {
  loss: number;
  gradNorm: number;
}

/**
 * One optimizer step of any model: gradients of `loss` → global-norm clipping → AdamW. Throws when the loss
 * or the gradient norm is not finite (the update is then not applied and the parameters are unchanged).
 *
 * @example
 * ```ts
 * declare const model: any, optimizer: any, batch: any; // the example's inputs
 * const { loss } = await optimizerStep({
 *   parameters: model.parameters, optimizer, loss: () => model.loss(batch, { dropoutSeed: 1 }),
 *   learningRate: 1e-3, maxGradNorm: 5,
 * });
 * ```
 */
export async function optimizerStep(options: OptimizerStepOptions): Promise<OptimizerStepResult> {
  fixMmapThreshold();
  const names = [...options.parameters.keys()];
  const variables = [...options.parameters.values()];
  const { value, grads } = tf.variableGrads(options.loss, variables);
  const byName: Record<string, tf.Tensor> = {};
  variables.forEach((variable, i) => byName[names[i]] = grads[variable.name]);
  const { norm, scale } = globalNormScale(byName, options.maxGradNorm);
  const summary = tf.stack([value, norm]);
  try {
    // The one wait on the device per step: the update must not be applied when the step diverged.
    const [loss, gradNorm] = await summary.data();
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      throw new Error(
        `training diverged: loss ${loss}, gradient norm ${gradNorm} (learning rate ${options.learningRate}); ` +
          `try a lower learningRate`,
      );
    }
    options.optimizer.applyGradients(byName, options.learningRate, {
      gradientScale: scale,
      disposeGradients: true,
    });
    return { loss, gradNorm };
  } finally {
    tf.dispose([value, norm, scale, summary, ...Object.values(grads)]);
  }
}

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  model: TokenClassifier;
  optimizer: AdamW;
  /** A labelled batch. */
  batch: TokenBatch;
  learningRate: number;
  maxGradNorm: number;
  /** Seeds this step's dropout masks (same seed → same masks). */
  dropoutSeed: number;
}

/** What {@link trainStep} reports of a step. */
export interface TrainStepResult extends OptimizerStepResult {
  /** Non-padding tokens in the batch. */
  tokens: number;
}

/**
 * One step of a BERT token classifier on a batch of windows: {@link optimizerStep} with the token
 * cross-entropy (lib/model/bert/loss.ts's `bertBatchLoss`).
 *
 * @example
 * ```ts
 * declare const model: any, optimizer: any, batch: any; // the example's inputs
 * const { loss } = await trainStep({ model, optimizer, batch, learningRate: 5e-4, maxGradNorm: 1, dropoutSeed: 1 });
 * ```
 */
export async function trainStep(options: TrainStepOptions): Promise<TrainStepResult> {
  const { model, batch } = options;
  const result = await optimizerStep({
    ...options,
    parameters: model.parameters,
    loss: () => bertBatchLoss(model, batch, options.dropoutSeed),
  });
  return { ...result, tokens: batch.attentionMask.reduce((sum, v) => sum + v, 0) };
}
