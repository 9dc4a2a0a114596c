/**
 * The BERT token classifier as the training loop sees it ({@link TrainableTagger}): subword windows
 * batched by length, token cross-entropy on each word's first subword, tagging by the first-subword rule
 * (lib/predict), Hugging Face layout folders.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import type { BertForTokenClassification } from "../model/mod.ts";
import { tagSentences } from "../predict/tag.ts";
import { type BertTokenizer, makeBatches, type WindowBatch } from "../tokenizer/mod.ts";
import type { EncodedSplit } from "./data.ts";
import { saveModelFolder } from "../model/bert/folder.ts";
import { bertBatchLoss } from "./step.ts";
import type { TrainableTagger } from "./tagger.ts";

/** What {@link bertTagger} wraps. */
export interface BertTaggerOptions {
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
  /** The encoded training windows (none for a model that is only evaluated). */
  train?: EncodedSplit;
  /** Window length and stride when tagging (the profile's). */
  maxLength: number;
  stride: number;
  /** Windows per forward pass when tagging. */
  evalBatchSize: number;
}

/**
 * A BERT classifier and its tokenizer as a {@link TrainableTagger}. Disposing it frees the model.
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any, train: any; // the example's inputs
 * const tagger = bertTagger({ model, tokenizer, train, maxLength: 128, stride: 32, evalBatchSize: 64 });
 * const [first] = tagger.epochBatches({ batchSize: 32, seed: 1 });
 * ```
 */
export function bertTagger(options: BertTaggerOptions): TrainableTagger<WindowBatch> & {
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
} {
  const { model, tokenizer, train } = options;
  return {
    kind: "bert",
    model,
    tokenizer,
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
    tagSentences: (sentences: readonly Sentence[]) =>
      tagSentences(sentences, {
        classifier: model,
        tokenizer,
        batchSize: options.evalBatchSize,
        maxLength: options.maxLength,
        stride: options.stride,
      }),
    save: (dir) => saveModelFolder(model, tokenizer, dir),
    dispose: () => model.dispose(),
  };
}
