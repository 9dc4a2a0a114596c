/**
 * Tagging speed of the word-level BiLSTM-CRF against the from-scratch BERT (`cpu-small`'s 4×256), in the same
 * run, on the same real sentences (BC5CDR test, converted from BC5CDR_DIR; the BERT side reads them through the
 * BioBERT vocab of BIOBERT_VOCAB), through the pipeline's scoring path (32 sentences a batch; the word-level
 * model also at 128). Speed is in words/s, the unit both tag in; the models are random-initialised at their
 * profiles' sizes (speed does not depend on the weights). The two take turns, twice, and each reports its
 * faster pass. Its data and model helpers serve word_crf_pytorch.ts too.
 *
 * @module
 */
import { labelsFromSentences } from "../lib/bio/labels.ts";
import { convertDocuments } from "../lib/bio/convert.ts";
import type { Sentence } from "../lib/bio/types.ts";
import { readBc5cdr } from "../lib/corpus/mod.ts";
import { BertForTokenClassification, makeBertConfig } from "../lib/model/mod.ts";
import type { ScoringModel } from "../lib/model/types.ts";
import { type WordCrfModel, WordCrfScorer } from "../lib/model/word_crf/mod.ts";
import { newWordCrfModel } from "../lib/model/word_crf/trainable.ts";
import { scoreSentences, type WindowEncoder } from "../lib/predict/score.ts";
import { loadBertTokenizer } from "../lib/tokenizer/mod.ts";
import { loadProfile, type ModelSpec, type TrainProfile } from "../lib/train/profile.ts";
import { envValue } from "../lib/util/config.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";

/**
 * Seconds to score `sentences` with a model (and its tokenizer, for BERT) through the pipeline's scoring path.
 *
 * @example
 * ```ts
 * declare const sentences: any, model: any; // the example's inputs
 * const seconds = await tagSeconds(sentences, model, { batchSize: 32 });
 * ```
 */
export async function tagSeconds(
  sentences: readonly Sentence[],
  classifier: ScoringModel,
  options: { tokenizer?: WindowEncoder; batchSize: number },
): Promise<number> {
  const started = performance.now();
  for await (const _ of scoreSentences(sentences, (s) => s.words, { classifier, ...options })) {
    // consumed
  }
  return (performance.now() - started) / 1000;
}

/**
 * BC5CDR's train and test sentences (PubTator from BC5CDR_DIR; test cut to its first 300 with `--quick`), or
 * why they cannot be read.
 *
 * @example
 * ```ts
 * const data = await bc5cdrSentences({ quick: true });
 * if (!("skipped" in data)) console.log(data.test.length); // 300
 * ```
 */
export async function bc5cdrSentences(
  options?: BenchOptions,
): Promise<{ train: Sentence[]; test: Sentence[] } | { skipped: string }> {
  const dir = envValue("BC5CDR_DIR");
  if (!dir) return { skipped: "set BC5CDR_DIR" };
  const corpus = await readBc5cdr({ dir, source: "pubtator" });
  return {
    train: convertDocuments(corpus.splits.train).sentences,
    test: convertDocuments(corpus.splits.test).sentences.slice(0, options?.quick ? 300 : undefined),
  };
}

/** A word-level profile's model spec. */
type WordCrfSpec = Extract<ModelSpec, { architecture: "word-crf" }>;

/**
 * A random-initialised model of the bilstm-crf profile's sizes, its vocabularies and labels from `train`.
 *
 * @example
 * ```ts
 * declare const train: any; // the example's inputs
 * const { model, profile, spec } = await bilstmCrfModel(train);
 * ```
 */
export async function bilstmCrfModel(
  train: readonly Sentence[],
): Promise<{ model: WordCrfModel; profile: TrainProfile; spec: WordCrfSpec }> {
  const profile = await loadProfile("bilstm-crf");
  const spec = profile.model;
  if (spec.architecture !== "word-crf") throw new Error("bilstm-crf must be a word-level profile");
  const labels = labelsFromSentences(train);
  return { model: newWordCrfModel(spec.config, { labels, train, seed: 1 }), profile, spec };
}

async function wordCrfVersusBert(options?: BenchOptions): Promise<BenchFigures> {
  const vocabPath = envValue("BIOBERT_VOCAB");
  if (!vocabPath) return { skipped: "set BIOBERT_VOCAB" };
  const data = await bc5cdrSentences(options);
  if ("skipped" in data) return data;
  const { train, test } = data;
  const words = test.reduce((n, s) => n + s.words.length, 0);
  const bertProfile = await loadProfile("cpu-small");
  if (bertProfile.model.init !== "scratch") throw new Error("cpu-small must be a from-scratch BERT");
  const labels = labelsFromSentences(train);
  const wordModel = new WordCrfScorer((await bilstmCrfModel(train)).model);
  const tokenizer = await loadBertTokenizer(vocabPath);
  const bert = BertForTokenClassification.create(
    makeBertConfig({ ...bertProfile.model.config, vocab_size: tokenizer.vocabSize }, {
      labels,
    }),
    { seed: 1 },
  );
  try {
    await tagSeconds(test.slice(0, 64), wordModel, { batchSize: 32 }); // warm-up
    await tagSeconds(test.slice(0, 64), bert, { tokenizer, batchSize: 32 });
    // The word-level model is bound by per-step op overhead, BERT by arithmetic: each at 32 sentences a
    // batch (the pipeline's default), and the word-level model at 128 too.
    let word32 = Infinity, word128 = Infinity, bertBest = Infinity;
    for (let pass = 0; pass < 2; pass++) {
      word32 = Math.min(word32, await tagSeconds(test, wordModel, { batchSize: 32 }));
      word128 = Math.min(word128, await tagSeconds(test, wordModel, { batchSize: 128 }));
      bertBest = Math.min(bertBest, await tagSeconds(test, bert, { tokenizer, batchSize: 32 }));
    }
    return {
      sentences: test.length,
      words,
      "bilstm-crf words/s (32 a batch)": Math.round(words / word32),
      "bilstm-crf words/s (128 a batch)": Math.round(words / word128),
      "cpu-small (4x256 BERT) words/s": Math.round(words / bertBest),
      "ratio bilstm-crf / cpu-small, both at 32": Number((bertBest / word32).toFixed(2)),
      "ratio bilstm-crf at 128 / cpu-small": Number((bertBest / word128).toFixed(2)),
    };
  } finally {
    wordModel.dispose();
    bert.dispose();
  }
}

/** The benchmarks of this module. */
export const benchmarks: Benchmark[] = [
  {
    name: "predict: bilstm-crf vs cpu-small tagging (BC5CDR test sentences, words/s)",
    perBackend: true,
    run: wordCrfVersusBert,
  },
];
