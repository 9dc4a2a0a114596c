/**
 * The token-classification loss: cross-entropy averaged over the positions that carry a label (PyTorch's
 * `CrossEntropyLoss(ignore_index=-100)`, what Hugging Face's BertForTokenClassification uses).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { IGNORE_INDEX } from "../../tokenizer/types.ts";

/**
 * Mean cross-entropy of `logits` `[batch, seq, labels]` against `labels` (row-major `[batch, seq]`,
 * {@link IGNORE_INDEX} where no label applies). Zero when no position is labelled.
 *
 * @example
 * ```ts
 * declare const model: any, batch: any; // the example's inputs
 * const loss = tokenClassificationLoss(model.forward(batch, { training: true }), batch.labels!);
 * ```
 */
export function tokenClassificationLoss(logits: tf.Tensor3D, labels: Int32Array): tf.Scalar {
  const [batchSize, seqLength, numLabels] = logits.shape;
  if (labels.length !== batchSize * seqLength) {
    throw new Error(`loss: ${labels.length} labels for logits of shape [${logits.shape}]`);
  }
  const mask = new Float32Array(labels.length);
  const targets = new Int32Array(labels.length);
  let labelled = 0;
  labels.forEach((label, i) => {
    if (label === IGNORE_INDEX) return;
    if (label < 0 || label >= numLabels) throw new Error(`loss: label id ${label} outside [0, ${numLabels})`);
    mask[i] = 1;
    targets[i] = label;
    labelled++;
  });
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits.reshape([-1, numLabels]));
    const picked = logProbs.mul(tf.oneHot(tf.tensor1d(targets, "int32"), numLabels)).sum(1);
    return picked.mul(tf.tensor1d(mask)).sum().div(-Math.max(1, labelled)) as tf.Scalar;
  });
}
