/**
 * A word-level model on ONNX Runtime: its export's `onnx/model.onnx` computes the emissions, `onnx/crf.json`
 * gives the CRF, the folder's config.json and vocab.json the labels, rules and ids — and the one TypeScript
 * decoder (lib/model/word_crf/scorer.ts's `scoreWordBatch`) does the rest, as on tfjs. Nothing here loads
 * tfjs's native library.
 *
 * @module
 */
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { INTRA_OP_THREADS_ENV } from "../backend/threads.ts";
import { type CrfScores, iob2TransitionRules } from "../model/crf/crf.ts";
import { exportFileProblem, ONNX_DIR, readExportRecord } from "../model/export_record.ts";
import type { WordLevelModel } from "../model/types.ts";
import { readWordCrfConfigAndVocab, WORD_CRF_MODEL_TYPE } from "../model/word_crf/folder.ts";
import { type WordBatch, type WordCrfConfig, wordCrfLabels } from "../model/word_crf/network.ts";
import { CRF_FILE, crfScoresOfFile } from "../model/word_crf/export_files.ts";
import { WORD_CRF_ONNX_INPUTS, WORD_CRF_ONNX_OUTPUT } from "../model/word_crf/onnx_graph.ts";
import { scoreWordBatch } from "../model/word_crf/scorer.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { envValue } from "../util/config.ts";

/** Options of {@link loadOnnxWordCrf}. */
export interface OnnxWordCrfOptions {
  /**
   * Threads: batches scored at once, each on one thread (`concurrency`). Default: `TF_NUM_INTRAOP_THREADS` when
   * set (workers share the cores), else one per core.
   */
  threads?: number;
  /** The folder that holds the export. Default: `dir/onnx` (the export check passes the one it builds). */
  onnxDir?: string;
}

/** A word-level model scored through ONNX Runtime (see the module doc). */
export interface OnnxWordCrf extends WordLevelModel {
  readonly config: WordCrfConfig;
  /** The emissions of a batch, `[batch, seqLength, K]` (what the export's check compares with tfjs's). */
  emissions(batch: WordBatch): Promise<Float32Array>;
}

/**
 * Loads word-level folder `dir`'s export for inference. One-line errors: no export, an export of another
 * model type (a BERT export), files changed since the export (their SHA-256 is not the one export.json
 * records), a CRF over other labels than config.json's, a graph without the word-level inputs.
 *
 * @example
 * ```ts
 * const model = await loadOnnxWordCrf("outputs/bilstm-crf/best");
 * const [first] = await model.scoreWords([["Naloxone", "reverses", "hypotension", "."]]);
 * ```
 */
export async function loadOnnxWordCrf(dir: string, options: OnnxWordCrfOptions = {}): Promise<OnnxWordCrf> {
  const onnxDir = options.onnxDir ?? join(dir, ONNX_DIR);
  const renew = `run \`deno task export-onnx --model ${dir}\``;
  const record = await readExportRecord(dir, { onnxDir });
  if (!record) throw new Error(`${join(onnxDir, "export.json")} does not exist: ${renew}`);
  if (record.modelType !== WORD_CRF_MODEL_TYPE) {
    throw new Error(`${onnxDir} holds a ${record.modelType} export, not a word-level model's: ${renew}`);
  }
  for (const name of ["model.onnx", CRF_FILE]) {
    const problem = await exportFileProblem(record, onnxDir, name);
    if (problem) throw new Error(`${problem}: ${renew}`);
  }
  const { config, vocab } = await readWordCrfConfigAndVocab(dir);
  const labels = wordCrfLabels(config);
  const scores = await readCrfFile(join(onnxDir, CRF_FILE), labels);
  const modelPath = join(onnxDir, "model.onnx");
  const threads = options.threads ?? envValue(INTRA_OP_THREADS_ENV) ?? navigator.hardwareConcurrency;
  // One thread per batch, batches side by side (the pipeline keeps `concurrency` in flight): the LSTM's steps
  // are small matrix products, which split over threads cost a wake-up each (and spin on a busy machine);
  // whole batches on threads of their own need none.
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const inputs = [...session.inputNames].sort().join(", ");
  if (
    inputs !== [...WORD_CRF_ONNX_INPUTS].sort().join(", ") ||
    !session.outputNames.includes(WORD_CRF_ONNX_OUTPUT)
  ) {
    void session.release();
    throw new Error(
      `${modelPath} is not a word-level model's export (inputs ${inputs}; outputs ${
        session.outputNames.join(", ")
      }): ${renew}`,
    );
  }
  const source = {
    vocab,
    emissions: (batch: WordBatch) => onnxEmissions(session, batch, labels.length, modelPath),
    crfScores: () => Promise.resolve(scores),
    rules: iob2TransitionRules(labels),
    labelCount: labels.length,
  };
  return {
    kind: "word-crf",
    config,
    consistency: config.consistency,
    reportedTypes: config.reported_types,
    concurrency: threads,
    scoreWords: (sentences) => scoreWordBatch(sentences, source),
    emissions: source.emissions,
    dispose() {
      void session.release();
    },
  };
}

/** One batch's emissions from the session, `[batch, seqLength, K]`. */
async function onnxEmissions(
  session: ort.InferenceSession,
  batch: WordBatch,
  k: number,
  modelPath: string,
): Promise<Float32Array> {
  const int64 = (values: Int32Array | readonly number[], dims: number[]) => {
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
    return new ort.Tensor("int64", data, dims);
  };
  const rows = [batch.batchSize, batch.seqLength];
  const feeds = {
    word_ids: int64(batch.wordIds, rows),
    shape_ids: int64(batch.shapeIds, rows),
    char_ids: int64(batch.charIds, [batch.charIds.length / batch.charLength, batch.charLength]),
    char_rows: int64(batch.charRows, rows),
    lengths: int64(batch.lengths, [batch.batchSize]),
  };
  try {
    const { [WORD_CRF_ONNX_OUTPUT]: emissions } = await session.run(feeds);
    if (emissions.dims.join() !== [...rows, k].join()) {
      throw new Error(`${modelPath}: emissions of shape [${emissions.dims}], expected [${rows},${k}]`);
    }
    return emissions.data as Float32Array;
  } finally {
    for (const tensor of Object.values(feeds)) tensor.dispose();
  }
}

/** Reads and checks `crf.json` (lib/model/word_crf/export_files.ts): over `labels` (config.json's). */
async function readCrfFile(path: string, labels: string[]): Promise<CrfScores<Float32Array>> {
  let value: unknown;
  try {
    value = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" }));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return crfScoresOfFile(value, labels, path);
}
