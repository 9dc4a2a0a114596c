/**
 * A word-level model folder's ONNX export as a {@link WordLevelModel}, on any ONNX Runtime with the common
 * JavaScript API (onnxruntime-web in the static page, onnxruntime-node in Deno) and any way of reading the
 * folder's files (`fetch` in a browser, the file system in Deno). Everything but the emissions is the code
 * `deno task ner` runs: config and vocabularies are checked by lib/model/word_crf/config.ts, words encoded and
 * batched by its vocab.ts and batch.ts (through score_words.ts), and decoded by the one CRF decoder
 * (lib/model/crf/decode.ts) with the export's CRF scores.
 *
 * Before anything is scored the folder must prove it is one export of one word-level model: config.json a
 * word-crf config (a BERT folder is refused by name), `onnx/export.json` present, recording model type
 * "word-crf", config.json's labels and the SHA-256 of each file read from `onnx/`; the graph must take the
 * export's inputs and give `emissions`. Any failure is one {@link ModelFolderError} naming the file.
 *
 * @module
 */
import { iob2TransitionRules } from "../model/crf/decode.ts";
import type { ScoredWords, WordLevelModel } from "../model/types.ts";
import { validateWordCrfConfig, WORD_CRF_MODEL_TYPE, wordVocabOf } from "../model/word_crf/config.ts";
import {
  CRF_FILE,
  crfScoresOfFile,
  WORD_CRF_ONNX_INPUTS,
  WORD_CRF_ONNX_OUTPUT,
} from "../model/word_crf/export_files.ts";
import type { WordBatch, WordCrfConfig } from "../model/word_crf/network.ts";
import { scoreWordBatch } from "../model/word_crf/score_words.ts";

/** A tensor of ONNX Runtime's JavaScript API (onnxruntime-common), as far as this module uses it. */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** An inference session of ONNX Runtime's JavaScript API. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** The parts of an ONNX Runtime module (`import * as ort from …`) this module uses. */
export interface OrtModule {
  Tensor: new (type: "int64", data: BigInt64Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array): Promise<OrtSession> };
}

/** Reads a file of the model folder by its path relative to the folder (`config.json`, `onnx/model.onnx`). */
export type ReadModelFile = (path: string) => Promise<Uint8Array>;

/** A model folder that cannot be used: the message names the file and says what to do. */
export class ModelFolderError extends Error {
  override name = "ModelFolderError";
}

/** Where the export lies in the folder (lib/model/export_record.ts and word_crf/onnx_export.ts write it). */
export const ONNX_MODEL_FILE = "onnx/model.onnx";
export const EXPORT_RECORD_FILE = "onnx/export.json";
export const CRF_SCORES_FILE = `onnx/${CRF_FILE}`;

/** Every file the page reads of a model folder, relative to it. */
export const MODEL_FILES: readonly string[] = [
  "config.json",
  "vocab.json",
  EXPORT_RECORD_FILE,
  ONNX_MODEL_FILE,
  CRF_SCORES_FILE,
];

/** A word-level model running on an ONNX Runtime session. Owns the session: `dispose` releases it. */
export interface OnnxWordModel extends WordLevelModel {
  readonly kind: "word-crf";
  readonly config: WordCrfConfig;
  /** Label names in id order. */
  readonly labels: readonly string[];
}

/** Options of {@link loadOnnxWordModel}. */
export interface LoadOnnxWordModelOptions {
  /** Reads the folder's files. */
  read: ReadModelFile;
  ort: OrtModule;
  /** How errors name the folder: a path or a URL. */
  source: string;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** SHA-256 of bytes, hex (Web Crypto: in browsers and in Deno). */
async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON object file's value, or a {@link ModelFolderError} naming it. */
function parseJsonObject(bytes: Uint8Array, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new ModelFolderError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new ModelFolderError(`${where}: expected a JSON object`);
  return value;
}

/** Label names of an id2label map in id order (JSON order does not matter). */
function labelList(id2label: Record<string, unknown>): string[] {
  return Object.entries(id2label).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, l]) => String(l));
}

/** `make()`, its error re-thrown as a {@link ModelFolderError} (the checks' messages name the file). */
function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new ModelFolderError((error as Error).message);
  }
}

/**
 * Loads and checks a word-level model folder's export (see the module doc).
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * const dir = "outputs/bilstm-crf/best";
 * const model = await loadOnnxWordModel({ ort, source: dir, read: (path) => Deno.readFile(`${dir}/${path}`) });
 * const [sentence] = await model.scoreWords([["Naloxone", "reverses", "hypotension", "."]]);
 * ```
 */
export async function loadOnnxWordModel(options: LoadOnnxWordModelOptions): Promise<OnnxWordModel> {
  const { ort } = options;
  const where = (path: string) => `${options.source.replace(/\/?$/, "/")}${path}`;
  const read = async (path: string, missing?: string): Promise<Uint8Array> => {
    try {
      return await options.read(path);
    } catch (error) {
      throw new ModelFolderError(
        `${where(path)}: ${missing ?? `cannot read it (${(error as Error).message})`}`,
      );
    }
  };

  const values = parseJsonObject(await read("config.json"), where("config.json"));
  if (values.model_type !== WORD_CRF_MODEL_TYPE) {
    const kind = values.model_type === "bert" || values.model_type === undefined
      ? "a BERT model"
      : `a model of type ${JSON.stringify(values.model_type)}`;
    throw new ModelFolderError(
      `${
        where("config.json")
      }: ${kind}, not a word-level one (word-crf): this page runs word-level exports ` +
        "only; a BERT export runs in a browser with transformers.js (docs/onnx.md)",
    );
  }
  const config = checked(() => validateWordCrfConfig(values, where("config.json")));
  const labels = labelList(config.id2label);
  const record = parseJsonObject(
    await read(
      EXPORT_RECORD_FILE,
      "not found: the folder has no ONNX export (`deno task export-onnx --model DIR`, then build the page again)",
    ),
    where(EXPORT_RECORD_FILE),
  );
  if (record.modelType !== WORD_CRF_MODEL_TYPE) {
    throw new ModelFolderError(
      `${where(EXPORT_RECORD_FILE)}: an export of model type ${
        JSON.stringify(record.modelType)
      }, not word-crf`,
    );
  }
  if (!isObject(record.id2label) || JSON.stringify(labelList(record.id2label)) !== JSON.stringify(labels)) {
    throw new ModelFolderError(
      `${where(EXPORT_RECORD_FILE)}: exported with other labels than ${where("config.json")}'s: re-export`,
    );
  }
  /** A file of onnx/, once its SHA-256 is the one export.json records. */
  const exported = async (path: string): Promise<Uint8Array> => {
    const bytes = await read(path);
    const name = path.slice("onnx/".length);
    const expected = isObject(record.files) ? record.files[name] : undefined;
    if (typeof expected !== "string") {
      throw new ModelFolderError(`${where(EXPORT_RECORD_FILE)} records no ${name}: re-export`);
    }
    if (await sha256(bytes) !== expected) {
      throw new ModelFolderError(
        `${where(path)} is not the file the export wrote (its SHA-256 differs): re-export`,
      );
    }
    return bytes;
  };
  const vocabValues = parseJsonObject(await read("vocab.json"), where("vocab.json"));
  const vocab = checked(() =>
    wordVocabOf(vocabValues, config, { vocabPath: where("vocab.json"), configPath: where("config.json") })
  );
  const crfFile = parseJsonObject(await exported(CRF_SCORES_FILE), where(CRF_SCORES_FILE));
  const crfScores = checked(() => crfScoresOfFile(crfFile, labels, where(CRF_SCORES_FILE)));
  const graph = await exported(ONNX_MODEL_FILE);
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(graph);
  } catch (error) {
    throw new ModelFolderError(
      `${where(ONNX_MODEL_FILE)}: ONNX Runtime cannot load it (${(error as Error).message ?? error})`,
    );
  }
  const missing = WORD_CRF_ONNX_INPUTS.filter((name) => !session.inputNames.includes(name));
  if (missing.length > 0 || !session.outputNames.includes(WORD_CRF_ONNX_OUTPUT)) {
    await session.release();
    throw new ModelFolderError(
      `${where(ONNX_MODEL_FILE)}: takes ${session.inputNames.join(", ")} and gives ` +
        `${session.outputNames.join(", ")}; a word-level export takes ${
          WORD_CRF_ONNX_INPUTS.join(", ")
        } and gives ` +
        WORD_CRF_ONNX_OUTPUT,
    );
  }

  const rules = iob2TransitionRules(labels);
  const int64 = (values: Iterable<number>, dims: number[]) =>
    new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);
  async function emissions(batch: WordBatch): Promise<Float32Array> {
    const dims = [batch.batchSize, batch.seqLength];
    const output = await session.run({
      word_ids: int64(batch.wordIds, dims),
      shape_ids: int64(batch.shapeIds, dims),
      char_ids: int64(batch.charIds, [batch.charIds.length / batch.charLength, batch.charLength]),
      char_rows: int64(batch.charRows, dims),
      lengths: int64(batch.lengths, [batch.batchSize]),
    });
    const scores = output[WORD_CRF_ONNX_OUTPUT];
    if (!(scores.data instanceof Float32Array) || scores.dims.join() !== [...dims, labels.length].join()) {
      throw new Error(
        `${where(ONNX_MODEL_FILE)}: emissions of shape [${scores.dims}], expected [${dims},${labels.length}]`,
      );
    }
    return scores.data;
  }
  return {
    kind: "word-crf",
    config,
    consistency: config.consistency,
    reportedTypes: config.reported_types,
    labels,
    scoreWords: (sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> =>
      scoreWordBatch(sentences, {
        vocab,
        rules,
        emissions,
        crfScores: () => Promise.resolve(crfScores),
        labelCount: labels.length,
      }),
    dispose() {
      void session.release();
    },
  };
}
