/**
 * One forward pass for inference, whatever runs the model (tfjs or ONNX Runtime).
 *
 * @module
 */
import type { TokenBatch } from "../tokenizer/types.ts";
import type { WindowModel } from "./types.ts";

/**
 * The logits of `batch` from either kind of model, as `[batch, seq, numLabels]` values.
 *
 * @example
 * ```ts
 * declare const model: any, batch: any; // the example's inputs
 * const values = await batchLogits(model, batch);
 * ```
 */
export async function batchLogits(model: WindowModel, batch: TokenBatch): Promise<Float32Array> {
  if ("logits" in model) return await model.logits(batch);
  const logits = model.forward(batch, { training: false });
  try {
    return await logits.data() as Float32Array;
  } finally {
    logits.dispose();
  }
}
