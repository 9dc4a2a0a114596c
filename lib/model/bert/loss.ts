/**
 * A BERT's training losses on a batch of labelled windows, dropout on (its masks seeded, lib/model/bert/
 * seeded_dropout.ts): the token cross-entropy averaged over the positions that carry a label (PyTorch's
 * `CrossEntropyLoss(ignore_index=-100)`, what Hugging Face's BertForTokenClassification uses), or, with a CRF
 * head, the CRF's negative log-likelihood of each window's words, whose emissions are the logits at their first
 * subwords (the positions that carry a label).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { IGNORE_INDEX, type TokenBatch } from "../../tokenizer/types.ts";
import { crfNegLogLikelihood, type TransitionRules } from "../crf/crf.ts";
import { type CrfHead, crfHeadScores } from "../crf/head.ts";
import type { TokenClassifier } from "../types.ts";
import { withSeededMathRandom } from "./seeded_dropout.ts";

/**
 * The mean token cross-entropy of a labelled batch with dropout on, the masks drawn from `Math.random` seeded
 * by `dropoutSeed`.
 *
 * @example
 * ```ts
 * declare const model: any, batch: any; // the example's inputs
 * const loss = bertBatchLoss(model, batch, 7);
 * ```
 */
export function bertBatchLoss(model: TokenClassifier, batch: TokenBatch, dropoutSeed: number): tf.Scalar {
  if (!batch.labels) throw new Error("training: the batch has no labels");
  return withSeededMathRandom(dropoutSeed, () => {
    const logits = model.forward(batch, { training: true });
    return tf.tidy(() => tokenClassificationLoss(logits, batch.labels!));
  });
}

/**
 * The mean CRF negative log-likelihood of a labelled batch's words (one emission row per labelled first
 * subword), dropout on as {@link bertBatchLoss}.
 *
 * @example
 * ```ts
 * import { iob2TransitionRules } from "../crf/crf.ts";
 * import { newCrfHead } from "../crf/head.ts";
 * declare const model: any, batch: any; // the example's inputs
 * const loss = bertCrfBatchLoss(model, newCrfHead(3), iob2TransitionRules(["O", "B-X", "I-X"]), batch, 7);
 * ```
 */
export function bertCrfBatchLoss(
  model: TokenClassifier,
  head: CrfHead,
  rules: TransitionRules,
  batch: TokenBatch,
  dropoutSeed: number,
): tf.Scalar {
  return withSeededMathRandom(dropoutSeed, () => {
    const logits = model.forward(batch, { training: true });
    return tf.tidy(() => {
      const { rows, tags, lengths, width } = labelledPositions(batch);
      const k = logits.shape[2];
      // Windows without a labelled word (none in practice) count as one word of padding: masked out below.
      const emissions = tf.reshape(
        tf.gather(tf.reshape(logits, [-1, k]), tf.tensor1d(rows, "int32")),
        [batch.batchSize, width, k],
      ) as tf.Tensor3D;
      const nll = crfNegLogLikelihood({
        emissions,
        tags,
        lengths: lengths.map((n) => Math.max(n, 1)),
        scores: crfHeadScores(head),
        rules,
      });
      return tf.div(nll, batch.batchSize) as tf.Scalar;
    });
  });
}

/**
 * Rows of `[batch·seq, K]` logits holding each window's labelled positions, and their tags and counts.
 *
 * @example
 * ```ts
 * declare const batch: any; // the example's inputs
 * const { rows, tags, lengths, width } = labelledPositions(batch);
 * ```
 */
export function labelledPositions(
  batch: TokenBatch,
): { rows: Int32Array; tags: Int32Array; lengths: number[]; width: number } {
  const perRow: number[][] = [];
  for (let b = 0; b < batch.batchSize; b++) {
    const positions: number[] = [];
    for (let t = 0; t < batch.seqLength; t++) {
      if (batch.labels![b * batch.seqLength + t] !== IGNORE_INDEX) positions.push(b * batch.seqLength + t);
    }
    perRow.push(positions);
  }
  const width = Math.max(1, ...perRow.map((p) => p.length));
  const rows = new Int32Array(batch.batchSize * width);
  const tags = new Int32Array(batch.batchSize * width);
  perRow.forEach((positions, b) =>
    positions.forEach((row, w) => {
      rows[b * width + w] = row;
      tags[b * width + w] = batch.labels![row];
    })
  );
  return { rows, tags, lengths: perRow.map((p) => p.length), width };
}

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
