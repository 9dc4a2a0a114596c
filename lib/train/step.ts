/**
 * One optimizer step: forward with dropout → token cross-entropy → gradients → global-norm clipping → AdamW.
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
import { tokenClassificationLoss } from "./loss.ts";
import { type AdamW, globalNormScale } from "./optimizer.ts";
import { withSeededMathRandom } from "./seeded_dropout.ts";
import { fixMmapThreshold } from "../util/malloc.ts";

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
export interface TrainStepResult {
  /** The batch's loss before the update. */
  loss: number;
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
  /** Non-padding tokens in the batch. */
  tokens: number;
}

/**
 * Runs one training step. Throws when the loss or the gradient norm is not finite (the update is then not
 * applied and the parameters are unchanged).
 *
 * @example
 * ```ts
 * declare const model: any, optimizer: any, batch: any; // the example's inputs
 * const { loss } = await trainStep({ model, optimizer, batch, learningRate: 5e-4, maxGradNorm: 1, dropoutSeed: 1 });
 * ```
 */
export async function trainStep(options: TrainStepOptions): Promise<TrainStepResult> {
  const { model, optimizer, batch } = options;
  if (!batch.labels) throw new Error("trainStep: the batch has no labels");
  fixMmapThreshold();
  const names = [...model.parameters.keys()];
  const variables = [...model.parameters.values()];
  const { value, grads } = withSeededMathRandom(options.dropoutSeed, () =>
    tf.variableGrads(() => {
      const logits = model.forward(batch, { training: true });
      return tf.tidy(() => tokenClassificationLoss(logits, batch.labels!));
    }, variables));
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
    optimizer.applyGradients(byName, options.learningRate, { gradientScale: scale, disposeGradients: true });
    return { loss, gradNorm, tokens: batch.attentionMask.reduce((sum, v) => sum + v, 0) };
  } finally {
    tf.dispose([value, norm, scale, summary, ...Object.values(grads)]);
  }
}
