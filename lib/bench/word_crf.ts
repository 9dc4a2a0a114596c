/**
 * Tagging speed of the word-level BiLSTM-CRF against the from-scratch BERT (`cpu-small`'s 4×256), in the same
 * run, on the same real sentences (BC5CDR test, converted from BC5CDR_DIR; the BERT side reads them through the
 * BioBERT vocab of BIOBERT_VOCAB), through the pipeline's scoring path, 32 sentences per batch. Speed is in
 * words/s, the unit both tag in; the models are random-initialised at their profiles' sizes (speed does not
 * depend on the weights). The two take turns, twice, and each reports its faster pass.
 *
 * @module
 */
import { convertDocuments } from "../bio/convert.ts";
import type { Sentence } from "../bio/types.ts";
import { loadCorpus } from "../corpus/load.ts";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import type { ScoringModel } from "../model/types.ts";
import { WordCrfScorer } from "../model/word_crf/mod.ts";
import { scoreSentences, type WindowEncoder } from "../predict/score.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { loadProfile } from "../train/profile.ts";
import { newWordCrfModel } from "../train/word_crf_tagger.ts";
import { envValue } from "../util/config.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";

/** Seconds to score `sentences` with a model (and its tokenizer, for BERT). */
async function tagSeconds(
  sentences: readonly Sentence[],
  classifier: ScoringModel,
  tokenizer?: WindowEncoder,
): Promise<number> {
  const started = performance.now();
  for await (const _ of scoreSentences(sentences, (s) => s.words, { classifier, tokenizer, batchSize: 32 })) {
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
  const wordModel = new WordCrfScorer(
    newWordCrfModel(wordProfile.model.config, { labels: wordProfile.labels, train, seed: 1 }),
  );
  const tokenizer = await loadBertTokenizer(vocabPath);
  const bert = BertForTokenClassification.create(
    makeBertConfig({ ...bertProfile.model.config, vocab_size: tokenizer.vocabSize }, {
      labels: bertProfile.labels,
    }),
    { seed: 1 },
  );
  try {
    await tagSeconds(test.slice(0, 64), wordModel); // warm-up
    await tagSeconds(test.slice(0, 64), bert, tokenizer);
    let wordBest = Infinity, bertBest = Infinity;
    for (let pass = 0; pass < 2; pass++) {
      wordBest = Math.min(wordBest, await tagSeconds(test, wordModel));
      bertBest = Math.min(bertBest, await tagSeconds(test, bert, tokenizer));
    }
    return {
      sentences: test.length,
      words,
      "bilstm-crf words/s": Math.round(words / wordBest),
      "cpu-small (4x256 BERT) words/s": Math.round(words / bertBest),
      "ratio bilstm-crf / cpu-small": Number((bertBest / wordBest).toFixed(2)),
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
