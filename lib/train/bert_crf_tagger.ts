/**
 * A BERT classifier with a CRF head (profile `model.crf: true`) as the training loop sees it: the windows and
 * batches of the plain BERT tagger; the loss is the CRF's negative log-likelihood of each window's words, whose
 * emissions are the logits at their first subwords (the positions that carry a label); tagging decodes whole
 * sentences (lib/predict/bert_crf.ts). Saved as the BERT folder plus `crf.safetensors`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Sentence } from "../bio/types.ts";
import { CRF_HEAD_FILE, crfHeadBytes, crfHeadScores } from "../model/crf/head.ts";
import { labelNames } from "../model/bert/config.ts";
import type { BertForTokenClassification } from "../model/mod.ts";
import { crfNegLogLikelihood, iob2TransitionRules } from "../model/crf/crf.ts";
import { BertCrfScorer } from "../predict/bert_crf.ts";
import { tagSentences } from "../predict/tag.ts";
import { saveTokenClassifier } from "../model/bert/pretrained.ts";
import { type BertTokenizer, IGNORE_INDEX, type WindowBatch } from "../tokenizer/mod.ts";
import type { TrainableTagger } from "./tagger.ts";
import { withSeededMathRandom } from "../model/bert/seeded_dropout.ts";

/** Rows of `[batch·seq, K]` logits holding each window's labelled positions, and their tags and counts. */
export function labelledPositions(
  batch: WindowBatch,
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
 * The BERT tagger `base` (bert_tagger.ts) with a CRF `head` trained with it. Disposing frees both.
 *
 * @example
 * ```ts
 * import { newCrfHead } from "../model/crf/head.ts";
 * declare const base: any; // a bertTagger(...)
 * const tagger = bertCrfTagger(base, newCrfHead(5), { maxLength: 128, stride: 32, evalBatchSize: 64 });
 * ```
 */
export function bertCrfTagger(
  base: TrainableTagger<WindowBatch> & { model: BertForTokenClassification; tokenizer: BertTokenizer },
  head: Map<string, tf.Variable>,
  options: { maxLength: number; stride: number; evalBatchSize: number },
): TrainableTagger<WindowBatch> {
  const { model, tokenizer } = base;
  const rules = iob2TransitionRules(labelNames(model.config));
  const scorer = new BertCrfScorer({
    classifier: model,
    tokenizer,
    head,
    batchSize: options.evalBatchSize,
    ...options,
  });
  return {
    ...base,
    kind: "bert-crf",
    parameters: new Map([...model.parameters, ...head]),
    loss: (batch, { dropoutSeed }) =>
      withSeededMathRandom(dropoutSeed, () => {
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
      }),
    tagSentences: (sentences: readonly Sentence[]) =>
      tagSentences(sentences, { classifier: scorer, batchSize: options.evalBatchSize }),
    save: async (dir) =>
      saveTokenClassifier(model, dir, {
        vocab: tokenizer.vocab,
        extraFiles: { [CRF_HEAD_FILE]: await crfHeadBytes(head) },
      }),
    dispose: () => scorer.dispose(),
  };
}
