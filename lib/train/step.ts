/**
 * One optimizer step: forward with dropout → token cross-entropy → gradients → global-norm clipping → AdamW.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TokenClassifier } from "../model/types.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { tokenClassificationLoss } from "./loss.ts";
import { type AdamW, clipByGlobalNorm } from "./optimizer.ts";
import { withSeededMathRandom } from "./seeded_dropout.ts";

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

/**
 * Runs one training step and returns the batch's loss (before the update) and its non-padding token count.
 * Throws when the loss is not finite (the update is then not applied).
 *
 * @example
 * ```ts
 * const { loss } = trainStep({ model, optimizer, batch, learningRate: 5e-4, maxGradNorm: 1, dropoutSeed: step });
 * ```
 */
export function trainStep(options: TrainStepOptions): { loss: number; tokens: number } {
  const { model, optimizer, batch } = options;
  if (!batch.labels) throw new Error("trainStep: the batch has no labels");
  const names = [...model.parameters.keys()];
  const variables = [...model.parameters.values()];
  const { value, grads } = withSeededMathRandom(options.dropoutSeed, () =>
    tf.variableGrads(() => {
      const logits = model.forward(batch, { training: true });
      return tf.tidy(() => tokenClassificationLoss(logits, batch.labels!));
    }, variables));
  try {
    const loss = value.dataSync()[0];
    if (!Number.isFinite(loss)) {
      throw new Error(
        `training diverged: loss ${loss} (learning rate ${options.learningRate}); ` +
          `try a lower learningRate`,
      );
    }
    tf.tidy(() => {
      const byName: Record<string, tf.Tensor> = {};
      variables.forEach((variable, i) => byName[names[i]] = grads[variable.name]);
      const { clipped } = clipByGlobalNorm(byName, options.maxGradNorm);
      optimizer.applyGradients(clipped, options.learningRate);
    });
    return { loss, tokens: batch.attentionMask.reduce((sum, v) => sum + v, 0) };
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}
