/**
 * Preparing a multi-corpus run (a profile whose `data` lists corpora, lib/train/corpus_list.ts): every split
 * of every corpus is loaded and checked against that corpus's labels before the first step, then the model —
 * one shared encoder, one head per corpus (lib/train/multi_word_crf_tagger.ts) — is built, or loaded from the
 * run's checkpoint when it resumes. Dev is scored per corpus each epoch (the best epoch has the best mean F1);
 * at the end each corpus's folder of `best/` is loaded as an ordinary word-level model and scored on that
 * corpus's test split.
 *
 * @module
 */
import { join } from "node:path";
import { type Split, SPLITS } from "../corpus/types.ts";
import { disposeMultiWordCrfModel, loadMultiWordCrfModel, loadWordCrfModel } from "../model/word_crf/mod.ts";
import { corpusList } from "./corpus_list.ts";
import { checkSentences } from "./data.ts";
import { loadSplit } from "./load_split.ts";
import type { EvalScores } from "./metrics_file.ts";
import {
  type CorpusSplit,
  evaluateCorpora,
  multiWordCrfTagger,
  newMultiWordCrfModel,
} from "./multi_word_crf_tagger.ts";
import { type PreparedRun, type PrepareOptions, readyRunFolder } from "./prepare.ts";
import { parameterCount, type TrainableTagger } from "./tagger.ts";
import { wordCrfTagger } from "./word_crf_tagger.ts";

/**
 * Loads and checks every corpus's splits, readies the run folder and builds (or, resuming, loads) the
 * multi-corpus model with its training data encoded.
 *
 * ```ts
 * import { withCorpusLabels } from "./corpus_list.ts";
 * import { loadProfile } from "./profile.ts";
 * import { runLayout } from "./run_layout.ts";
 * const outputsDir = await Deno.makeTempDir();
 * const profile = await withCorpusLabels(await loadProfile("bilstm-crf", { data: "bc5cdr,bionlp13cg" }));
 * const layout = runLayout(outputsDir, "multi");
 * const { tagger, scoreDev } = await prepareMultiRun({ profile, layout, outputsDir, log: console.error });
 * console.log((await scoreDev!()).perCorpus);
 * ```
 */
export async function prepareMultiRun(options: PrepareOptions): Promise<PreparedRun> {
  const { profile, layout, log } = options;
  const spec = profile.model;
  if (spec.architecture !== "word-crf") {
    throw new Error(
      `profile ${profile.name}: multi-corpus training (data "${profile.data}") needs a word-level model ` +
        `(model.architecture "word-crf")`,
    );
  }
  const splits = { train: [], dev: [], test: [] } as Record<Split, CorpusSplit[]>;
  for (const corpus of await corpusList(profile.data)) {
    const labels = profile.corpusLabels?.[corpus.name];
    if (!labels) throw new Error(`profile ${profile.name}: no label set for corpus ${corpus.name}`);
    for (const split of SPLITS) {
      const { sentences, source } = await loadSplit(corpus.spec, split, { log });
      checkSentences(sentences, { split, labels, source });
      splits[split].push({ name: corpus.name, labels, sentences });
    }
  }
  const train = profile.trainOn === "train+dev"
    ? splits.train.map((corpus, i) => ({
      ...corpus,
      sentences: [...corpus.sentences, ...splits.dev[i].sentences],
    }))
    : splits.train;
  const resume = await readyRunFolder(options);
  const model = resume ? await loadMultiWordCrfModel(layout.checkpoint) : newMultiWordCrfModel(spec.config, {
    train,
    seed: profile.seed,
    consistency: spec.consistency,
  });
  const tagger = multiWordCrfTagger(model, {
    train,
    singletonUnkRate: spec.singletonUnkRate,
    evalBatchSize: profile.evalBatchSize,
  });
  log(
    `multi-corpus (${profile.trainOn ?? "train"}): ${
      train.map((corpus) => `${corpus.name} ${corpus.sentences.length} sentences`).join(", ")
    }; one encoder, ${train.length} heads, ${parameterCount(tagger.parameters)} parameters, ` +
      `${model.models[0].vocab.wordCount} word keys (from every corpus's training sentences)`,
  );
  return {
    tagger,
    // Not read: dev is scored per corpus by scoreDev.
    dev: [],
    resume,
    scoreDev: () => tagger.evaluate(splits.dev),
    scoreTest: () => testBest(layout.best, splits.test, profile.evalBatchSize),
  };
}

/**
 * The test scores of a multi-corpus run's `best/`: each corpus's folder loaded as the ordinary word-level
 * model every tool loads, and scored on its corpus's test split.
 */
async function testBest(best: string, test: CorpusSplit[], evalBatchSize: number): Promise<EvalScores> {
  // The folder as saved: a check that it holds every corpus's head (and an encoder all of them share).
  disposeMultiWordCrfModel(await loadMultiWordCrfModel(best));
  const taggers: TrainableTagger[] = [];
  try {
    for (const corpus of test) {
      taggers.push(wordCrfTagger(await loadWordCrfModel(join(best, corpus.name)), { evalBatchSize }));
    }
    return await evaluateCorpora(test, (i) => taggers[i]);
  } finally {
    for (const tagger of taggers) tagger.dispose();
  }
}
