/**
 * Multi-corpus training of the word-level model ({@link MultiWordCrfModel}) as the training loop sees it
 * ({@link TrainableTagger}): one encoder, one head per corpus. An epoch goes once through every corpus's
 * training sentences; its batches each come from one corpus (batched as a one-corpus run batches them) and
 * are interleaved in proportion to the corpora's sizes, in an order drawn from the epoch's seed — so the same
 * seed gives the same epoch, and a resumed run (which recomputes the epoch and skips the batches done)
 * continues exactly. A batch's loss is its corpus's CRF negative log-likelihood; its gradient reaches that
 * corpus's head and the shared encoder.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Sentence } from "../bio/types.ts";
import {
  disposeMultiWordCrfModel,
  encoderVariables,
  type MultiWordCrfModel,
  saveMultiWordCrfModel,
  WORD_CRF_HEAD_PARAMETERS,
  type WordBatch,
  type WordCrfConfig,
  type WordCrfModel,
  type WordCrfSizes,
  WordCrfTagger,
} from "../model/word_crf/mod.ts";
import { SeededRandom } from "../util/random.ts";
import { evaluateSentences } from "./evaluate.ts";
import type { EvalScores } from "./metrics_file.ts";
import type { TrainableTagger } from "./tagger.ts";
import { trainingVocab, wordCrfConfig, wordCrfTagger } from "./word_crf_tagger.ts";

/** The `kind` of a multi-corpus tagger (its folders are ordinary word-level ones, one per corpus). */
export const MULTI_WORD_CRF_KIND = "word-crf-multi";

/** A batch of one corpus: which (index into the model's corpora) and its sentences. */
export interface CorpusBatch {
  corpus: number;
  batch: WordBatch;
}

/** A corpus of a multi-corpus run: its name (a head's folder name), labels and labelled sentences. */
export interface CorpusSplit {
  name: string;
  labels: readonly string[];
  sentences: readonly Sentence[];
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
  options: { train: readonly CorpusSplit[]; seed: number; consistency?: WordCrfConfig["consistency"] },
): MultiWordCrfModel {
  const vocab = trainingVocab(sizes, options.train.flatMap((corpus) => corpus.sentences));
  const models: WordCrfModel[] = [];
  for (const [i, corpus] of options.train.entries()) {
    const config = wordCrfConfig(sizes, { labels: corpus.labels, vocab, consistency: options.consistency });
    const shared = i > 0 ? encoderVariables(models[0]) : undefined;
    // Head i's initial values come from its own seeds (the encoder's are the first corpus's).
    models.push({ tagger: new WordCrfTagger(config, { seed: options.seed + 1000 * i, shared }), vocab });
  }
  return { corpora: options.train.map((corpus) => corpus.name), models };
}

/** A multi-corpus model as a {@link TrainableTagger}, with per-corpus evaluation. */
export interface MultiWordCrfTagger extends TrainableTagger<CorpusBatch> {
  /** Scores each corpus's sentences with its own head; the micro scores are the corpora's means. */
  evaluate(splits: readonly CorpusSplit[]): Promise<EvalScores>;
}

/**
 * A multi-corpus model as a {@link TrainableTagger}; `train` lists each corpus's training sentences in the
 * model's order. Parameters are named as in a word-level folder, a head's prefixed by its corpus
 * (`bc5cdr/crf.transitions`). Disposing it frees the model.
 *
 * @example
 * ```ts
 * declare const model: any, bc5cdr: any, bionlp13cg: any; // the example's inputs
 * const tagger = multiWordCrfTagger(model, { train: [bc5cdr, bionlp13cg], singletonUnkRate: 0.5, evalBatchSize: 128 });
 * ```
 */
export function multiWordCrfTagger(
  model: MultiWordCrfModel,
  options: { train?: readonly CorpusSplit[]; singletonUnkRate?: number; evalBatchSize: number },
): MultiWordCrfTagger {
  const { corpora, models } = model;
  const train = options.train ?? [];
  if (train.length > 0 && train.map((c) => c.name).join() !== corpora.join()) {
    throw new Error(`multi-corpus model of ${corpora.join(", ")}: got data of ${train.map((c) => c.name)}`);
  }
  const parts = models.map((part, i) =>
    wordCrfTagger(part, {
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
        [`${corpora[i]}/${name}`, part.tagger.parameters.get(name)!] as const
      ),
    ])
  );
  const parameters = new Map(trainedBy.flatMap((trained) => [...trained]));
  return {
    kind: MULTI_WORD_CRF_KIND,
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
    tagSentences: () => {
      throw new Error(
        `a multi-corpus model tags with one corpus's head: load its folder (one of ${corpora.join(", ")})`,
      );
    },
    evaluate: (splits) => evaluateCorpora(splits, (i) => parts[i]),
    save: (dir) => saveMultiWordCrfModel(model, dir),
    dispose: () => disposeMultiWordCrfModel(model),
  };
}

/**
 * Strict seqeval scores of each corpus's split tagged by `taggerOf(i)` (its own label set), and as micro
 * scores their unweighted means — what a multi-corpus run selects its best epoch on. `perCorpus` holds each
 * corpus's own scores, `perType` each `corpus/type`.
 *
 * @example
 * ```ts
 * declare const splits: any, taggers: any; // the example's inputs
 * const scores = await evaluateCorpora(splits, (i) => taggers[i]);
 * console.log(scores.f1, scores.perCorpus!.bc5cdr.f1);
 * ```
 */
export async function evaluateCorpora(
  splits: readonly CorpusSplit[],
  taggerOf: (corpus: number) => Pick<TrainableTagger, "tagSentences">,
): Promise<EvalScores> {
  const perCorpus: Record<string, EvalScores> = {};
  for (const [i, split] of splits.entries()) {
    perCorpus[split.name] = await evaluateSentences(taggerOf(i), split.sentences);
  }
  const scores = Object.values(perCorpus);
  const mean = (key: "precision" | "recall" | "f1") =>
    scores.reduce((sum, s) => sum + s[key], 0) / scores.length;
  const perType = Object.fromEntries(
    Object.entries(perCorpus).flatMap(([name, s]) =>
      Object.entries(s.perType).map(([type, row]) => [`${name}/${type}`, row])
    ),
  );
  return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1"), perType, perCorpus };
}
