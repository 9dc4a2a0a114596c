/**
 * The word-level BiLSTM-CRF (lib/model/word_crf) as the training loop sees it ({@link TrainableTagger}):
 * vocabularies built from the training split, sentences batched by length, the CRF's negative
 * log-likelihood per sentence, Viterbi tagging.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import {
  buildWordVocab,
  type EncodedWords,
  makeWordBatch,
  saveWordCrfModel,
  WORD_CRF_MODEL_TYPE,
  type WordBatch,
  type WordCrfConfig,
  type WordCrfModel,
  WordCrfScorer,
  type WordCrfSizes,
  WordCrfTagger,
  WordVocab,
} from "../model/word_crf/mod.ts";
import { tagSentences } from "../predict/tag.ts";
import { batchOrder } from "../util/batch_order.ts";
import { SeededRandom } from "../util/random.ts";
import type { TrainableTagger } from "./tagger.ts";

/**
 * A fresh word-level model for `labels`: vocabularies from the words of `train`, parameters seeded by `seed`.
 *
 * @example
 * ```ts
 * declare const trainSentences: any; // the example's inputs
 * const sizes = { word_dim: 100, char_dim: 30, char_filters: 50, char_kernel: 3, max_word_chars: 24, shape_dim: 8, hidden_size: 100, dropout: 0.5 };
 * const model = newWordCrfModel(sizes, { labels: ["O", "B-Chemical", "I-Chemical"], train: trainSentences, seed: 1 });
 * ```
 */
export function newWordCrfModel(
  sizes: WordCrfSizes,
  options: {
    labels: readonly string[];
    train: readonly Sentence[];
    seed: number;
    consistency?: WordCrfConfig["consistency"];
  },
): WordCrfModel {
  const vocab = trainingVocab(sizes, options.train);
  return {
    tagger: new WordCrfTagger(wordCrfConfig(sizes, { ...options, vocab }), { seed: options.seed }),
    vocab,
  };
}

/**
 * The word and character vocabularies of training sentences.
 *
 * @example
 * ```ts
 * declare const sizes: any, trainSentences: any; // the example's inputs
 * const vocab = trainingVocab(sizes, trainSentences);
 * ```
 */
export function trainingVocab(sizes: WordCrfSizes, train: readonly Sentence[]): WordVocab {
  const file = buildWordVocab(train.flatMap((sentence) => sentence.words.map((word) => word.text)));
  return new WordVocab(file, { maxWordChars: sizes.max_word_chars });
}

/**
 * The config.json of a word-level model of `labels` reading words through `vocab`.
 *
 * @example
 * ```ts
 * declare const sizes: any, vocab: any; // the example's inputs
 * const config = wordCrfConfig(sizes, { labels: ["O", "B-GENE", "I-GENE"], vocab });
 * ```
 */
export function wordCrfConfig(
  sizes: WordCrfSizes,
  options: { labels: readonly string[]; vocab: WordVocab; consistency?: WordCrfConfig["consistency"] },
): WordCrfConfig {
  return {
    model_type: WORD_CRF_MODEL_TYPE,
    id2label: Object.fromEntries(options.labels.map((label, id) => [String(id), label])),
    label2id: Object.fromEntries(options.labels.map((label, id) => [label, id])),
    word_vocab_size: options.vocab.wordCount,
    char_vocab_size: options.vocab.charCount,
    ...sizes,
    initializer_range: 0.1,
    ...(options.consistency ? { consistency: options.consistency } : {}),
  };
}

/** Options of {@link wordCrfTagger}. */
export interface WordCrfTaggerOptions {
  /** Labelled training sentences (none for a model that is only evaluated). */
  train?: readonly Sentence[];
  /** Probability that a word seen once in training reads as `<unk>` in a training batch. */
  singletonUnkRate?: number;
  /** Sentences per forward pass when tagging. */
  evalBatchSize: number;
}

/**
 * A word-level model as a {@link TrainableTagger}. Disposing it frees the model.
 *
 * @example
 * ```ts
 * declare const model: any, train: any; // the example's inputs
 * const tagger = wordCrfTagger(model, { train, singletonUnkRate: 0.5, evalBatchSize: 128 });
 * ```
 */
export function wordCrfTagger(
  model: WordCrfModel,
  options: WordCrfTaggerOptions,
): TrainableTagger<WordBatch> {
  const { tagger, vocab } = model;
  const train = (options.train ?? []).filter((sentence) => sentence.words.length > 0);
  const encoded: EncodedWords[] = train.map((sentence) =>
    vocab.encode(sentence.words.map((word) => word.text))
  );
  const tags = train.map((sentence) => sentence.tags.map((tag) => tagger.config.label2id[tag]));
  const scorer = new WordCrfScorer(model);
  return {
    kind: WORD_CRF_MODEL_TYPE,
    parameters: tagger.parameters,
    trainExamples: train.length,
    epochBatches: ({ batchSize, seed }) => {
      const groups = batchOrder(encoded.map((s) => s.wordIds.length), {
        batchSize,
        bucketByLength: true,
        shuffleSeed: seed,
      });
      // Which singletons read as <unk> is drawn per epoch, from its own stream of the same seed.
      const random = new SeededRandom(seed ^ 0x5bd1e995);
      return groups.map((rows) =>
        makeWordBatch(rows.map((i) => encoded[i]), {
          tags: rows.map((i) => tags[i]),
          singletonUnkRate: options.singletonUnkRate ?? 0,
          countOf: (id) => vocab.countOf(id),
          random: () => random.next(),
        })
      );
    },
    batchTokens: (batch) => batch.lengths.reduce((sum, n) => sum + n, 0),
    loss: (batch, { dropoutSeed }) => tagger.loss(batch, { training: true, dropoutSeed }),
    tagSentences: (sentences) =>
      tagSentences(sentences, { classifier: scorer, batchSize: options.evalBatchSize }),
    save: (dir) => saveWordCrfModel(model, dir),
    dispose: () => tagger.dispose(),
  };
}
