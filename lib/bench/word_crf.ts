/**
 * Tagging speed of the word-level BiLSTM-CRF against the from-scratch BERT (`cpu-small`'s 4×256), in the same
 * run, on the same real sentences (BC5CDR test, converted from BC5CDR_DIR; the BERT side reads them through the
 * BioBERT vocab of BIOBERT_VOCAB), through the pipeline's scoring path (32 sentences a batch; the word-level
 * model also at 128). Speed is in
 * words/s, the unit both tag in; the models are random-initialised at their profiles' sizes (speed does not
 * depend on the weights). The two take turns, twice, and each reports its faster pass.
 *
 * @module
 */
import { labelsFromSentences } from "../bio/labels.ts";
import { convertDocuments } from "../bio/convert.ts";
import type { Sentence } from "../bio/types.ts";
import { loadCorpus } from "../corpus/load.ts";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import type { ScoringModel } from "../model/types.ts";
import { newWordCrfModel, WordCrfScorer } from "../model/word_crf/mod.ts";
import { scoreSentences, type WindowEncoder } from "../predict/score.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { loadProfile } from "../train/profile.ts";
import { envValue } from "../util/config.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";

/** Seconds to score `sentences` with a model (and its tokenizer, for BERT). */
async function tagSeconds(
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

async function wordCrfVersusBert(options?: BenchOptions): Promise<BenchFigures> {
  const dir = envValue("BC5CDR_DIR");
  const vocabPath = envValue("BIOBERT_VOCAB");
  if (!dir || !vocabPath) return { skipped: "set BC5CDR_DIR and BIOBERT_VOCAB" };
  const corpus = await loadCorpus({ dir, source: "pubtator" });
  const train = convertDocuments(corpus.splits.train).sentences;
  const test = convertDocuments(corpus.splits.test).sentences.slice(0, options?.quick ? 300 : undefined);
  const words = test.reduce((n, s) => n + s.words.length, 0);

  const wordProfile = await loadProfile("bilstm-crf");
  const bertProfile = await loadProfile("cpu-small");
  if (wordProfile.model.architecture !== "word-crf" || bertProfile.model.init !== "scratch") {
    throw new Error("bilstm-crf must be a word-level profile and cpu-small a from-scratch BERT");
  }
  const labels = labelsFromSentences(train);
  const wordModel = new WordCrfScorer(newWordCrfModel(wordProfile.model.config, { labels, train, seed: 1 }));
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
