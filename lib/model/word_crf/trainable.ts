/**
 * The word-level model as the training loop sees it ({@link TrainableModel}): vocabularies built from the
 * training sentences, sentences batched by length, the CRF's negative log-likelihood per sentence, Viterbi
 * tagging.
 *
 * A multi-corpus model ({@link MultiWordCrfModel}: one encoder, one head per corpus) is trained the same way:
 * an epoch goes once through every corpus's training sentences; its batches each come from one corpus (batched
 * as a one-corpus run batches them) and are interleaved in proportion to the corpora's sizes, in an order drawn
 * from the epoch's seed — so the same seed gives the same epoch, and a resumed run (which recomputes the epoch
 * and skips the batches done) continues exactly. A batch's loss is its corpus's CRF negative log-likelihood; its
 * gradient reaches that corpus's head and the shared encoder.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Sentence } from "../../bio/types.ts";
import { allowedLabels } from "../../bio/labels.ts";
import { batchOrder } from "../../util/batch_order.ts";
import { SeededRandom } from "../../util/random.ts";
import type { LabelledCorpus, TrainableModel } from "../trainable.ts";
import { makeWordBatch } from "./batch.ts";
import { saveWordCrfModel, WORD_CRF_MODEL_TYPE, type WordCrfModel } from "./folder.ts";
import {
  disposeMultiWordCrfModel,
  encoderVariables,
  type MultiWordCrfModel,
  saveMultiWordCrfModel,
  type UnifiedHeads,
} from "./multi.ts";
import {
  WORD_CRF_HEAD_PARAMETERS,
  type WordBatch,
  type WordCrfConfig,
  WordCrfNetwork,
  type WordCrfSizes,
} from "./network.ts";
import { WordCrfScorer } from "./scorer.ts";
import { buildWordVocab, type EncodedWords, WordVocab } from "./vocab.ts";

/** What the run's log calls a multi-corpus model (its folders are ordinary word-level ones, one per corpus). */
export const MULTI_WORD_CRF_MODEL_TYPE = "word-crf-multi";

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
    reportedTypes?: WordCrfConfig["reported_types"];
  },
): WordCrfModel {
  const vocab = trainingVocab(sizes, options.train);
  return {
    network: new WordCrfNetwork(wordCrfConfig(sizes, { ...options, vocab }), { seed: options.seed }),
    vocab,
  };
}

/**
 * A fresh multi-corpus model: the vocabularies from the training sentences of every corpus, one encoder
 * seeded by `seed`, a head per corpus (its own labels, seeded apart).
 *
 * @example
 * ```ts
 * declare const sizes: any, bc5cdr: any, bionlp13cg: any; // the example's inputs
 * const model = newMultiWordCrfModel(sizes, { train: [bc5cdr, bionlp13cg], seed: 42 });
 * model.corpora; // ["bc5cdr", "bionlp13cg"]
 * ```
 */
export function newMultiWordCrfModel(
  sizes: WordCrfSizes,
  options: { train: readonly LabelledCorpus[]; seed: number; consistency?: WordCrfConfig["consistency"] },
): MultiWordCrfModel {
  const vocab = trainingVocab(sizes, options.train.flatMap((corpus) => corpus.sentences));
  const models: WordCrfModel[] = [];
  for (const [i, corpus] of options.train.entries()) {
    const config = wordCrfConfig(sizes, { labels: corpus.labels, vocab, consistency: options.consistency });
    const shared = i > 0 ? encoderVariables(models[0]) : undefined;
    // Head i's initial values come from its own seeds (the encoder's are the first corpus's).
    models.push({ network: new WordCrfNetwork(config, { seed: options.seed + 1000 * i, shared }), vocab });
  }
  const corpora = options.train.map((corpus) => corpus.name);
  return { corpora, models, ...unifiedHeadsOf(options.train) };
}

/** The unified types of corpora whose heads are merged (each with `unifiedTypes`), as the model stores them. */
function unifiedHeadsOf(train: readonly LabelledCorpus[]): { unified?: UnifiedHeads } {
  if (!train.every((corpus) => corpus.unifiedTypes)) return {};
  const heads = Object.fromEntries(train.map((corpus) => [corpus.name, { ...corpus.unifiedTypes! }]));
  const types = [...new Set(Object.values(heads).flatMap((own) => Object.values(own)))].sort();
  // Only types some head tags can be reported (without BioNLP13CG's head, nothing is Cancer).
  const reported = Object.entries(train[0].reportedTypes ?? {}).filter(([type]) => types.includes(type));
  return {
    unified: { types, heads, ...(reported.length > 0 ? { reported: Object.fromEntries(reported) } : {}) },
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
  options: {
    labels: readonly string[];
    vocab: WordVocab;
    consistency?: WordCrfConfig["consistency"];
    reportedTypes?: WordCrfConfig["reported_types"];
  },
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
    ...(options.reportedTypes ? { reported_types: options.reportedTypes } : {}),
  };
}

/** Options of {@link wordCrfTrainable}. */
export interface WordCrfTrainableOptions {
  /** Labelled training sentences (none for a model that is only scored). */
  train?: readonly Sentence[];
  /** Probability that a word seen once in training reads as `<unk>` in a training batch. */
  singletonUnkRate?: number;
  /** Sentences per forward pass when tagging. */
  evalBatchSize: number;
}

/**
 * A word-level model as a {@link TrainableModel}. Disposing it frees the model.
 *
 * @example
 * ```ts
 * declare const model: any, train: any; // the example's inputs
 * const trainable = wordCrfTrainable(model, { train, singletonUnkRate: 0.5, evalBatchSize: 128 });
 * ```
 */
export function wordCrfTrainable(
  model: WordCrfModel,
  options: WordCrfTrainableOptions,
): TrainableModel<WordBatch> {
  const { network, vocab } = model;
  const train = (options.train ?? []).filter((sentence) => sentence.words.length > 0);
  const encoded: EncodedWords[] = train.map((sentence) =>
    vocab.encode(sentence.words.map((word) => word.text))
  );
  const labelId = (tag: string) => network.config.label2id[tag];
  const tags = train.map((sentence) => sentence.tags.map(labelId));
  // Partially annotated sentences (a model over several corpora's types): the labels each word may take.
  const allowed = train.some((sentence) => sentence.partial)
    ? train.map((sentence) => sentence.tags.map((tag) => allowedLabels(tag, sentence.partial).map(labelId)))
    : undefined;
  const scorer = new WordCrfScorer(model);
  return {
    name: WORD_CRF_MODEL_TYPE,
    parameters: network.parameters,
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
          allowed: allowed && { ids: rows.map((i) => allowed[i]), labels: network.labels.length },
        })
      );
    },
    batchTokens: (batch) => batch.lengths.reduce((sum, n) => sum + n, 0),
    loss: (batch, { dropoutSeed }) => network.loss(batch, { training: true, dropoutSeed }),
    tagging: () => ({ classifier: scorer, batchSize: options.evalBatchSize }),
    save: (dir) => saveWordCrfModel(model, dir),
    dispose: () => network.dispose(),
  };
}

/** A batch of one corpus of a multi-corpus model: which (index into the model's corpora) and its sentences. */
export interface CorpusBatch {
  corpus: number;
  batch: WordBatch;
}

/**
 * A multi-corpus model as a {@link TrainableModel}; `train` lists each corpus's training sentences in the
 * model's order, and corpus `i` is tagged with head `i`. Parameters are named as in a word-level folder, a
 * head's prefixed by its corpus (`bc5cdr/crf.transitions`). Disposing it frees the model.
 *
 * @example
 * ```ts
 * declare const model: any, bc5cdr: any, bionlp13cg: any; // the example's inputs
 * const trainable = multiWordCrfTrainable(model, { train: [bc5cdr, bionlp13cg], singletonUnkRate: 0.5, evalBatchSize: 128 });
 * ```
 */
export function multiWordCrfTrainable(
  model: MultiWordCrfModel,
  options: { train?: readonly LabelledCorpus[]; singletonUnkRate?: number; evalBatchSize: number },
): TrainableModel<CorpusBatch> {
  const { corpora, models } = model;
  const train = options.train ?? [];
  if (train.length > 0 && train.map((c) => c.name).join() !== corpora.join()) {
    throw new Error(`multi-corpus model of ${corpora.join(", ")}: got data of ${train.map((c) => c.name)}`);
  }
  const parts = models.map((part, i) =>
    wordCrfTrainable(part, {
      train: train[i]?.sentences,
      singletonUnkRate: options.singletonUnkRate,
      evalBatchSize: options.evalBatchSize,
    })
  );
  const encoder = encoderVariables(models[0]);
  // What a batch of corpus i trains: the encoder and head i, under the names `parameters` gives them.
  const trainedBy = models.map((part, i) =>
    new Map<string, tf.Variable>([
      ...encoder,
      ...WORD_CRF_HEAD_PARAMETERS.map((name) =>
        [`${corpora[i]}/${name}`, part.network.parameters.get(name)!] as const
      ),
    ])
  );
  const parameters = new Map(trainedBy.flatMap((trained) => [...trained]));
  return {
    name: MULTI_WORD_CRF_MODEL_TYPE,
    parameters,
    trainExamples: parts.reduce((sum, part) => sum + part.trainExamples, 0),
    stepsPerEpoch: (batchSize) =>
      parts.reduce((sum, part) => sum + Math.ceil(part.trainExamples / batchSize), 0),
    epochBatches: ({ batchSize, seed }) => {
      const random = new SeededRandom(seed);
      const perCorpus = parts.map((part) => part.epochBatches({ batchSize, seed: random.nextInt(2 ** 31) }));
      // Proportional mixing: each corpus's batches, in their own order, at shuffled places of the epoch.
      const order = random.shuffle(perCorpus.flatMap((batches, corpus) => batches.map(() => corpus)));
      const next = perCorpus.map(() => 0);
      return order.map((corpus) => ({ corpus, batch: perCorpus[corpus][next[corpus]++] }));
    },
    batchTokens: ({ corpus, batch }) => parts[corpus].batchTokens(batch),
    batchParameters: ({ corpus }) => trainedBy[corpus],
    loss: ({ corpus, batch }, dropout) => parts[corpus].loss(batch, dropout),
    tagging: (corpus) => parts[corpus].tagging(0),
    save: (dir) => saveMultiWordCrfModel(model, dir),
    dispose: () => disposeMultiWordCrfModel(model),
  };
}
