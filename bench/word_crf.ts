/**
 * Tagging speed of the word-level BiLSTM-CRF against the from-scratch BERT (`cpu-small`'s 4×256), in the same
 * run, on the same real sentences (BC5CDR test, converted from BC5CDR_DIR; the BERT side reads them through the
 * BioBERT vocab of BIOBERT_VOCAB), through the pipeline's scoring path (32 sentences a batch; the word-level
 * model also at 128), each on tfjs and on ONNX Runtime (its export, as `deno task export-onnx` writes it, with
 * our thread count). Speed is in words/s, the unit both tag in; the models are random-initialised at their
 * profiles' sizes (speed does not depend on the weights). All take turns, twice, and each reports its faster
 * pass. Its data and model helpers serve word_crf_pytorch.ts too.
 *
 * @module
 */
import { join } from "node:path";
import { labelsFromSentences } from "../lib/bio/labels.ts";
import { convertDocuments } from "../lib/bio/convert.ts";
import type { Sentence } from "../lib/bio/types.ts";
import { readBc5cdr } from "../lib/corpus/mod.ts";
import { BertForTokenClassification, makeBertConfig } from "../lib/model/mod.ts";
import { writeOnnxModel } from "../lib/model/bert/onnx_export.ts";
import { stateDictFromModel } from "../lib/model/bert/state_dict.ts";
import { ONNX_MODEL_PATH } from "../lib/model/export_record.ts";
import type { InferenceModel, ScoringModel } from "../lib/model/types.ts";
import { saveWordCrfModel, type WordCrfModel, WordCrfScorer } from "../lib/model/word_crf/mod.ts";
import { exportWordCrfOnnx } from "../lib/model/word_crf/onnx_export.ts";
import { loadOnnxClassifier } from "../lib/onnx/classifier.ts";
import { loadOnnxWordCrf, type OnnxWordCrf } from "../lib/onnx/word_crf.ts";
import { ourThreads } from "./pytorch/reference.ts";
import { newWordCrfModel } from "../lib/model/word_crf/trainable.ts";
import { scoreSentences, type WindowEncoder } from "../lib/predict/score.ts";
import { loadBertTokenizer } from "../lib/tokenizer/mod.ts";
import { loadProfile, type ModelSpec, type TrainProfile } from "../lib/train/profile.ts";
import { envValue } from "../lib/util/config.ts";
import { PROJECT_ROOT } from "../lib/util/paths.ts";
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

/**
 * `model` saved to a temporary folder `dir`, exported as `deno task export-onnx` exports it, and loaded on ONNX
 * Runtime with `threads` intra-op threads; the folder is removed on dispose.
 *
 * @example
 * ```ts
 * import type { WordCrfModel } from "../lib/model/word_crf/mod.ts";
 * declare const model: WordCrfModel; // the example's inputs
 * await using onnx = await onnxWordCrf(model, 2);
 * await onnx.scorer.scoreWords([["Naloxone", "."]]);
 * ```
 */
export async function onnxWordCrf(
  model: WordCrfModel,
  threads: number,
): Promise<{ scorer: OnnxWordCrf; dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const root = await Deno.makeTempDir({ prefix: "bench-word-crf-onnx-" });
  const dir = join(root, "model");
  await saveWordCrfModel(model, dir);
  await exportWordCrfOnnx(dir);
  const scorer = await loadOnnxWordCrf(dir, { threads });
  return {
    scorer,
    dir,
    async [Symbol.asyncDispose]() {
      scorer.dispose();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** What one `deno task ner --workers 1` run took. */
export interface NerRun {
  seconds: number;
  /** The ner process's own peak RSS (VmHWM), MB. */
  peakRssMB: number;
  entities: number;
}

/**
 * `deno task ner --workers 1 --model DIR --output … INPUT` in a process of its own, with NER_RUNTIME=`runtime`:
 * its summary's seconds and entities, and its peak RSS as the process itself reads it at the end (VmHWM).
 *
 * @example
 * ```ts
 * const { seconds, peakRssMB } = await nerRun("outputs/bilstm-crf/best", "abstracts.jsonl", "onnx");
 * ```
 */
export async function nerRun(dir: string, input: string, runtime: "tfjs" | "onnx"): Promise<NerRun> {
  const lib = new URL("../lib/", import.meta.url).href;
  const code = `const { main } = await import("${lib}cli/ner.ts");
    const { peakRssMB } = await import("${lib}util/peak_rss.ts");
    const code = await main(Deno.args);
    console.error(JSON.stringify({ peakRssMB: peakRssMB() }));
    Deno.exit(code);`;
  const output = `${input}.${runtime}.out`;
  const { code: exit, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code, "--", "--model", dir, "--workers", "1", "--output", output, input],
    cwd: PROJECT_ROOT,
    env: { NER_RUNTIME: runtime, NER_BACKEND: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(output).catch(() => {});
  const text = new TextDecoder();
  if (exit !== 0) throw new Error(`ner (${runtime}) exited ${exit}: ${text.decode(stderr).slice(-500)}`);
  const summary = JSON.parse(text.decode(stdout).trim().split("\n").at(-1)!);
  const { peakRssMB } = JSON.parse(text.decode(stderr).trim().split("\n").at(-1)!);
  return { seconds: summary.seconds, peakRssMB, entities: summary.entities };
}

/**
 * The documents of BC5CDR's test split as a JSONL file `{"id", "text"}` (what `deno task ner` reads), in a
 * temporary folder the caller removes.
 *
 * @example
 * ```ts
 * const path = await testAbstractsFile();
 * ```
 */
export async function testAbstractsFile(): Promise<string> {
  const dir = envValue("BC5CDR_DIR");
  if (!dir) throw new Error("set BC5CDR_DIR");
  const corpus = await readBc5cdr({ dir, source: "pubtator" });
  const path = join(await Deno.makeTempDir({ prefix: "bench-ner-" }), "test.jsonl");
  const lines = corpus.splits.test.map((doc) => JSON.stringify({ id: doc.id, text: doc.text }));
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** A tfjs BERT as ONNX Runtime runs its export (float32), with `threads` intra-op threads. */
async function onnxBert(bert: BertForTokenClassification, threads: number): Promise<InferenceModel> {
  const dir = await Deno.makeTempDir({ prefix: "bench-bert-onnx-" });
  try {
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(bert.config));
    await writeOnnxModel(join(dir, ONNX_MODEL_PATH), bert.config, await stateDictFromModel(bert));
    return await loadOnnxClassifier(dir, { threads });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
  const threads = ourThreads();
  await using wordOnnx = await onnxWordCrf(wordModel.model, threads);
  const bertOnnx = await onnxBert(bert, threads);
  try {
    // The word-level model is bound by per-step op overhead, BERT by arithmetic: each at 32 sentences a
    // batch (the pipeline's default), and the word-level model at 128 too.
    const runs: { name: string; model: ScoringModel; batchSize: number; bert?: boolean }[] = [
      { name: "bilstm-crf tfjs, 32", model: wordModel, batchSize: 32 },
      { name: "bilstm-crf ONNX Runtime, 32", model: wordOnnx.scorer, batchSize: 32 },
      { name: "bilstm-crf tfjs, 128", model: wordModel, batchSize: 128 },
      { name: "bilstm-crf ONNX Runtime, 128", model: wordOnnx.scorer, batchSize: 128 },
      { name: "cpu-small tfjs, 32", model: bert, batchSize: 32, bert: true },
      { name: "cpu-small ONNX Runtime, 32", model: bertOnnx, batchSize: 32, bert: true },
    ];
    const tag = (run: typeof runs[number], sentences: Sentence[]) =>
      tagSeconds(sentences, run.model, { batchSize: run.batchSize, ...(run.bert ? { tokenizer } : {}) });
    for (const run of runs) await tag(run, test.slice(0, 64)); // warm-up
    const best = new Map(runs.map((run) => [run.name, Infinity]));
    for (let pass = 0; pass < 2; pass++) {
      for (const run of runs) best.set(run.name, Math.min(best.get(run.name)!, await tag(run, test)));
    }
    const wordsPerSecond = (name: string) => Math.round(words / best.get(name)!);
    const figures: BenchFigures = { sentences: test.length, words, threads };
    for (const run of runs) figures[`${run.name} words/s`] = wordsPerSecond(run.name);
    const bertBest = Math.min(best.get("cpu-small tfjs, 32")!, best.get("cpu-small ONNX Runtime, 32")!);
    for (const run of runs.filter((run) => !run.bert)) {
      figures[`ratio ${run.name} / faster cpu-small`] = Number((bertBest / best.get(run.name)!).toFixed(2));
    }
    return figures;
  } finally {
    wordModel.dispose();
    bert.dispose();
    bertOnnx.dispose();
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
