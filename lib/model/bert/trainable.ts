/**
 * The BERT token classifier as the training loop sees it ({@link TrainableModel}): subword windows batched by
 * length, the token cross-entropy of each word's first subword (loss.ts), tagging by the first-subword rule,
 * Hugging Face layout folders. With a CRF head (profile `model.crf: true`) the loss is the CRF's over each
 * window's words, tagging decodes whole sentences, and the head is saved beside the weights
 * (`crf.safetensors`, lib/model/crf/head.ts).
 *
 * @module
 */
import { type BertTokenizer, makeBatches, type WindowBatch } from "../../tokenizer/mod.ts";
import { iob2TransitionRules } from "../crf/crf.ts";
import { CRF_HEAD_FILE, type CrfHead, crfHeadBytes } from "../crf/head.ts";
import type { TrainableModel } from "../trainable.ts";
import { labelNames } from "./config.ts";
import { saveModelFolder } from "./folder.ts";
import { bertBatchLoss, bertCrfBatchLoss } from "./loss.ts";
import type { BertForTokenClassification } from "./network.ts";
import { saveTokenClassifier } from "./pretrained.ts";
import type { EncodedSplit } from "./windows.ts";

/** What {@link bertTrainable} wraps. */
export interface BertTrainableOptions {
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
  /** The encoded training windows (none for a model that is only scored). */
  train?: EncodedSplit;
  /** Window length and stride when tagging (the profile's). */
  maxLength: number;
  stride: number;
  /** Windows per forward pass when tagging. */
  evalBatchSize: number;
}

/**
 * A BERT classifier and its tokenizer as a {@link TrainableModel}; with `crfHead`, the CRF's loss and
 * decoding. Disposing it frees the model (and the head).
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any, train: any; // the example's inputs
 * const trainable = bertTrainable({ model, tokenizer, train, maxLength: 128, stride: 32, evalBatchSize: 64 });
 * const [first] = trainable.epochBatches({ batchSize: 32, seed: 1 });
 * ```
 */
export function bertTrainable(
  options: BertTrainableOptions & { crfHead?: CrfHead },
): TrainableModel<WindowBatch> {
  const { model, tokenizer, train, crfHead } = options;
  const tagging = {
    classifier: model,
    tokenizer,
    batchSize: options.evalBatchSize,
    maxLength: options.maxLength,
    stride: options.stride,
  };
  const base: TrainableModel<WindowBatch> = {
    name: "bert",
    parameters: model.parameters,
    trainExamples: train?.windows.length ?? 0,
    epochBatches: ({ batchSize, seed }) =>
      makeBatches(train?.windows ?? [], {
        batchSize,
        bucketByLength: true,
        shuffleSeed: seed,
        padId: tokenizer.specialIds.pad,
      }),
    batchTokens: (batch) => batch.attentionMask.reduce((sum, v) => sum + v, 0),
    loss: (batch, { dropoutSeed }) => bertBatchLoss(model, batch, dropoutSeed),
    tagging: () => tagging,
    save: (dir) => saveModelFolder(model, tokenizer, dir),
    dispose: () => model.dispose(),
  };
  if (!crfHead) return base;
  const rules = iob2TransitionRules(labelNames(model.config));
  return {
    ...base,
    name: "bert-crf",
    parameters: new Map([...model.parameters, ...crfHead]),
    loss: (batch, { dropoutSeed }) => bertCrfBatchLoss(model, crfHead, rules, batch, dropoutSeed),
    tagging: () => ({ ...tagging, crfHead }),
    save: async (dir) =>
      saveTokenClassifier(model, dir, {
        vocab: tokenizer.vocab,
        extraFiles: { [CRF_HEAD_FILE]: await crfHeadBytes(crfHead) },
      }),
    dispose: () => {
      model.dispose();
      for (const variable of crfHead.values()) variable.dispose();
    },
  };
}
