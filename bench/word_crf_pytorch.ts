/**
 * The word-level BiLSTM-CRF (the `bilstm-crf` profile's sizes, random weights) against the same model in plain
 * PyTorch (bench/pytorch/bilstm_crf_reference.py), in the same run, on BC5CDR (from BC5CDR_DIR):
 *
 * - tagging the test sentences at 32 and 128 sentences a batch, words/s: ours through the pipeline's scoring
 *   path (Viterbi labels and the marginals our scorer reports), on tfjs and on ONNX Runtime (the export of
 *   the same weights, our thread count), PyTorch with marginals and with Viterbi only, on exactly the batches
 *   our scoring path made (recorded in a first, untimed pass);
 * - training one epoch of the train split (`--quick`: 10 steps) on the same bucketed batches of 32, after one
 *   untimed step: forward with dropout, CRF loss, backward, clipping, Adam; words/s;
 * - the peak RSS of each side's process, and (not with `--quick`) the seconds and peak RSS of
 *   `deno task ner --workers 1` over the 500 test abstracts on each of our runtimes, each in a process of its own.
 *
 * Both read words into the same ids (our vocabularies go to PyTorch, which featurizes with the same rules:
 * checked by a checksum of the test sentences' ids). PyTorch runs first, then ours; each side tags every batch
 * once untimed before timing (new batch shapes cost extra the first time) and reports its fastest pass
 * (tagging), or times one epoch after one untimed step (training).
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Sentence } from "../lib/bio/types.ts";
import type { ScoredWords, WordLevelModel } from "../lib/model/types.ts";
import { WordCrfScorer } from "../lib/model/word_crf/mod.ts";
import { AdamW } from "../lib/train/optimizer.ts";
import { optimizerStep } from "../lib/train/step.ts";
import { wordCrfTrainable } from "../lib/model/word_crf/trainable.ts";
import { batchOrder } from "../lib/util/batch_order.ts";
import { peakRssMB } from "../lib/util/peak_rss.ts";
import { describeSettings, ourThreads, type ReferenceSettings, runReference } from "./pytorch/reference.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";
import {
  bc5cdrSentences,
  bilstmCrfModel,
  nerRun,
  onnxWordCrf,
  tagSeconds,
  testAbstractsFile,
} from "./word_crf.ts";

/** Tagging batch sizes: the pipeline's default, and the profile's evaluation batch. */
const TAG_BATCH_SIZES = [32, 128] as const;

/** What bilstm_crf_reference.py prints. */
interface BilstmReferenceFigures {
  settings: ReferenceSettings;
  parameters: number;
  feature_checksum: number;
  peak_rss_mb: number;
  tagging?: Record<
    string,
    { words: number; words_per_second: number; viterbi_only_words_per_second: number }
  >;
  training?: {
    steps: number;
    words: number;
    words_per_second: number;
    first_loss: number;
    last_loss: number;
  };
}

/**
 * The sum of every word, shape and character id of `sentences` as our vocabulary reads them: PyTorch's
 * featurizer must give the same.
 */
function featureChecksum(scorer: WordCrfScorer, sentences: readonly Sentence[]): number {
  let sum = 0;
  for (const sentence of sentences) {
    const { wordIds, shapeIds, charIds } = scorer.model.vocab.encode(sentence.words.map((w) => w.text));
    for (const id of [...wordIds, ...shapeIds, ...charIds.flat()]) sum += id;
  }
  return sum;
}

/** A word-level model that also records the batches (lists of sentences' words) it is given. */
function recording(model: WordLevelModel, batches: string[][][]): WordLevelModel {
  return {
    kind: model.kind,
    config: model.config,
    consistency: model.consistency,
    scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
      batches.push(sentences.map((words) => [...words]));
      return model.scoreWords(sentences);
    },
    dispose: () => model.dispose(),
  };
}

/** Runs the PyTorch reference on the data file written for it; the data file is removed afterwards. */
async function pytorchSide(
  data: Record<string, unknown>,
  flags: Record<string, string | number>,
): Promise<BilstmReferenceFigures | { unavailable: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bench-bilstm-crf-" });
  try {
    const path = join(dir, "data.json");
    await Deno.writeTextFile(path, JSON.stringify(data));
    return await runReference<BilstmReferenceFigures>("bilstm_crf_reference.py", { data: path, ...flags });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What both sides share: the model's sizes, labels and vocabularies, and the sentences of the checksum. */
function sharedData(scorer: WordCrfScorer, test: readonly Sentence[], singletonUnkRate: number) {
  const config = scorer.model.network.config;
  return {
    sizes: {
      word_dim: config.word_dim,
      char_dim: config.char_dim,
      char_filters: config.char_filters,
      char_kernel: config.char_kernel,
      max_word_chars: config.max_word_chars,
      shape_dim: config.shape_dim,
      hidden_size: config.hidden_size,
      dropout: config.dropout,
    },
    labels: scorer.model.network.labels,
    vocab: scorer.model.vocab.file,
    singleton_unk_rate: singletonUnkRate,
    checksum_sentences: test.map((sentence) => sentence.words.map((word) => word.text)),
  };
}

/** The figures both comparisons report about the two processes, and the checksum check. */
function commonFigures(
  scorer: WordCrfScorer,
  test: readonly Sentence[],
  reference: BilstmReferenceFigures,
): BenchFigures {
  const ours = featureChecksum(scorer, test);
  if (reference.feature_checksum !== ours) {
    throw new Error(
      `PyTorch read the words into other ids (checksum ${reference.feature_checksum}, ours ${ours})`,
    );
  }
  let parameters = 0;
  for (const variable of scorer.model.network.parameters.values()) parameters += variable.size;
  const peak = peakRssMB();
  return {
    parameters,
    // nn.LSTM keeps two bias vectors per direction (input and recurrent), ours one: 2 × 4H more.
    "PyTorch parameters": reference.parameters,
    ...(peak === undefined ? {} : { "peak RSS MB": peak }),
    "PyTorch peak RSS MB": reference.peak_rss_mb,
    ...(peak === undefined ? {} : { "peak RSS ratio": Number((peak / reference.peak_rss_mb).toFixed(2)) }),
    "PyTorch settings": describeSettings(reference.settings),
  };
}

const ratio = (ours: number, theirs: number) => Number((ours / theirs).toFixed(2));

async function taggingVersusPytorch(options?: BenchOptions): Promise<BenchFigures> {
  const data = await bc5cdrSentences(options);
  if ("skipped" in data) return data;
  const { train, test } = data;
  const { model, spec } = await bilstmCrfModel(train);
  const scorer = new WordCrfScorer(model);
  try {
    const passes = options?.quick ? 1 : 2;
    // The untimed first pass (the warm-up) records the batches our scoring path makes; PyTorch tags those.
    const batches: Record<string, string[][][]> = {};
    for (const batchSize of TAG_BATCH_SIZES) {
      batches[batchSize] = [];
      await tagSeconds(test, recording(scorer, batches[batchSize]), { batchSize });
    }
    const reference = await pytorchSide(
      { ...sharedData(scorer, test, spec.singletonUnkRate), tag: { batches } },
      { mode: "tag", passes },
    );
    const words = test.reduce((n, s) => n + s.words.length, 0);
    const threads = ourThreads();
    const figures: BenchFigures = { sentences: test.length, words, threads };
    // Ours on both runtimes, taking turns pass by pass; ONNX Runtime on the export of the same weights.
    await using onnx = await onnxWordCrf(model, threads);
    const runtimes = { tfjs: scorer, "ONNX Runtime": onnx.scorer };
    const best: Record<string, number> = {};
    for (const batchSize of TAG_BATCH_SIZES) {
      await tagSeconds(test, onnx.scorer, { batchSize }); // its untimed first pass
      for (let pass = 0; pass < passes; pass++) {
        for (const [runtime, model] of Object.entries(runtimes)) {
          const key = `${runtime} ${batchSize}`;
          best[key] = Math.min(best[key] ?? Infinity, await tagSeconds(test, model, { batchSize }));
        }
      }
      for (const runtime of Object.keys(runtimes)) {
        figures[`bilstm-crf ${runtime} words/s (${batchSize} a batch)`] = Math.round(
          words / best[`${runtime} ${batchSize}`],
        );
      }
    }
    if ("unavailable" in reference) return { ...figures, PyTorch: reference.unavailable };
    for (const batchSize of TAG_BATCH_SIZES) {
      const theirs = reference.tagging![batchSize];
      if (theirs.words !== words) throw new Error(`PyTorch tagged ${theirs.words} words, not ${words}`);
      figures[`PyTorch words/s (${batchSize}, marginals)`] = Math.round(theirs.words_per_second);
      figures[`PyTorch words/s (${batchSize}, Viterbi only)`] = Math.round(
        theirs.viterbi_only_words_per_second,
      );
      for (const runtime of Object.keys(runtimes)) {
        figures[`ratio ${runtime} to PyTorch with marginals (${batchSize})`] = ratio(
          words / best[`${runtime} ${batchSize}`],
          theirs.words_per_second,
        );
      }
    }
    // `deno task ner --workers 1` over the test abstracts, each runtime in a process of its own: the memory a
    // user's tagging process holds, beside PyTorch's tagging process.
    if (!options?.quick) {
      const input = await testAbstractsFile();
      try {
        for (const runtime of ["tfjs", "onnx"] as const) {
          const run = await nerRun(onnx.dir, input, runtime);
          figures[`ner --workers 1 (${runtime}) seconds`] = run.seconds;
          figures[`ner --workers 1 (${runtime}) peak RSS MB`] = Math.round(run.peakRssMB);
          figures[`ner (${runtime}) peak RSS / PyTorch tagging's`] = ratio(
            run.peakRssMB,
            reference.peak_rss_mb,
          );
        }
      } finally {
        await Deno.remove(dirname(input), { recursive: true });
      }
    }
    return { ...figures, ...commonFigures(scorer, test, reference) };
  } finally {
    scorer.dispose();
  }
}

async function trainingVersusPytorch(options?: BenchOptions): Promise<BenchFigures> {
  const data = await bc5cdrSentences(options);
  if ("skipped" in data) return data;
  const train = data.train.filter((sentence) => sentence.words.length > 0);
  const { model, profile, spec } = await bilstmCrfModel(train);
  const tagger = wordCrfTrainable(model, {
    train,
    singletonUnkRate: spec.singletonUnkRate,
    evalBatchSize: profile.evalBatchSize,
  });
  const scorer = new WordCrfScorer(model);
  const optimizer = new AdamW(tagger.parameters, { weightDecay: profile.weightDecay });
  try {
    const { batchSize, seed } = profile;
    const epoch = tagger.epochBatches({ batchSize, seed });
    // The same grouping as epochBatches (wordCrfTagger's call), as sentence indices for PyTorch.
    const groups = batchOrder(train.map((s) => s.words.length), {
      batchSize,
      bucketByLength: true,
      shuffleSeed: seed,
    });
    groups.forEach((rows, i) => {
      if (rows.map((row) => train[row].words.length).join() !== epoch[i].lengths.join()) {
        throw new Error(`batch ${i}: the PyTorch batch is not ours`);
      }
    });
    const steps = options?.quick ? 10 : epoch.length;
    const reference = await pytorchSide({
      ...sharedData(scorer, data.test, spec.singletonUnkRate),
      learning_rate: profile.learningRate,
      max_grad_norm: profile.maxGradNorm,
      train: {
        sentences: train.map((sentence) => sentence.words.map((word) => word.text)),
        tags: train.map((sentence) => sentence.tags.map((tag) => model.network.config.label2id[tag])),
        // One untimed step on the first batch, then the timed ones.
        batches: [groups[0], ...groups.slice(0, steps)],
      },
    }, { mode: "train", warmup: 1 });

    const step = (batch: (typeof epoch)[number], dropoutSeed: number) =>
      optimizerStep({
        parameters: tagger.parameters,
        optimizer,
        loss: () => tagger.loss(batch, { dropoutSeed }),
        learningRate: profile.learningRate,
        maxGradNorm: profile.maxGradNorm,
      });
    await step(epoch[0], 0);
    const losses: number[] = [];
    let words = 0;
    const started = performance.now();
    for (const [i, batch] of epoch.slice(0, steps).entries()) {
      losses.push((await step(batch, i + 1)).loss);
      words += tagger.batchTokens(batch);
    }
    const seconds = (performance.now() - started) / 1000;
    const figures: BenchFigures = {
      steps,
      words,
      "bilstm-crf training words/s": Math.round(words / seconds),
      "loss first → last": `${losses[0].toFixed(1)} → ${losses.at(-1)!.toFixed(1)}`,
    };
    if ("unavailable" in reference) return { ...figures, PyTorch: reference.unavailable };
    const theirs = reference.training!;
    if (theirs.words !== words) throw new Error(`PyTorch trained on ${theirs.words} words, not ${words}`);
    return {
      ...figures,
      "PyTorch training words/s": Math.round(theirs.words_per_second),
      "ratio to PyTorch": ratio(words / seconds, theirs.words_per_second),
      "PyTorch loss first → last": `${theirs.first_loss.toFixed(1)} → ${theirs.last_loss.toFixed(1)}`,
      ...commonFigures(scorer, data.test, reference),
    };
  } finally {
    optimizer.dispose();
    tagger.dispose();
  }
}

/** The benchmarks of this module. */
export const benchmarks: Benchmark[] = [
  {
    name:
      "predict: bilstm-crf vs PyTorch BiLSTM-CRF tagging (BC5CDR test, 32 and 128 a batch, words/s, peak RSS)",
    perBackend: true,
    run: taggingVersusPytorch,
  },
  {
    name: "train: bilstm-crf vs PyTorch BiLSTM-CRF training (BC5CDR train, one epoch, words/s, peak RSS)",
    perBackend: true,
    run: trainingVersusPytorch,
  },
];
