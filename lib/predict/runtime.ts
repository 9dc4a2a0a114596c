/**
 * What runs the model's forward passes at inference: tfjs (any backend of lib/backend; also trains) or
 * ONNX Runtime on the folder's export (lib/onnx): `onnx` the float32 `onnx/model.onnx`, `onnx-q8` the int8
 * `onnx/model_quantized.onnx` (used only when asked: it trades accuracy for speed). By default ("auto")
 * ONNX Runtime float32 when the folder's export was made from the folder's weights and labels, else tfjs.
 * `NER_RUNTIME` chooses for commands (`deno task ner`, `serve`, workers inherit it); the pipeline's `runtime`
 * option for code.
 *
 * @module
 */
import { basename, join } from "node:path";
import { BACKEND_ENV, initBackend } from "../backend/mod.ts";
import { findWeights } from "../model/hub.ts";
import { weightsDigest } from "../model/formats/weights_digest.ts";
import { ONNX_QUANTIZED_MODEL_PATH } from "../model/bert/onnx_export.ts";
import {
  EXPORT_RECORD_PATH,
  exportFileProblem,
  ONNX_DIR,
  ONNX_MODEL_PATH,
  readExportRecord,
} from "../model/export_record.ts";
import { resolveModelDir } from "../model/bert/pretrained.ts";
import { modelTypeOfFolder } from "../model/registry.ts";
import type { ScoringModel } from "../model/types.ts";
import { scoreOptionsOf } from "./bert_crf.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { envRecord } from "../util/config.ts";

/** The inference runtimes. */
export const RUNTIMES = ["tfjs", "onnx", "onnx-q8"] as const;

/** One of {@link RUNTIMES}. */
export type Runtime = typeof RUNTIMES[number];

/**
 * What a caller may ask for: a runtime, or "auto" — ONNX Runtime (float32) when the model folder's export was
 * made from the folder's weights (their digest, lib/model/formats/weights_digest.ts) and label map, else tfjs. ONNX
 * Runtime is the faster here (README "ONNX export": 1.3–1.4× over a whole `deno task ner` run), but only on
 * files made by `deno task export-onnx`, which are never made behind the user's back; an export of other
 * weights or labels is never used. "auto" never picks the int8 model: that trade is the user's to make.
 */
export type RuntimeChoice = Runtime | "auto";

/** The environment variable that chooses the runtime. */
export const RUNTIME_ENV = "NER_RUNTIME";

/**
 * The runtime `NER_RUNTIME` asks for, else "auto".
 *
 * @example
 * ```ts
 * defaultRuntime({ NER_RUNTIME: "onnx" }); // "onnx"
 * defaultRuntime({}); // "auto"
 * ```
 */
export function defaultRuntime(
  env: Record<string, string | undefined> = envRecord([RUNTIME_ENV]),
): RuntimeChoice {
  const value = env[RUNTIME_ENV];
  if (value === undefined || value === "") return "auto";
  const choices: readonly string[] = [...RUNTIMES, "auto"];
  if (!choices.includes(value)) {
    throw new Error(`${RUNTIME_ENV} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as RuntimeChoice;
}

/** Why the folder's export can (or cannot) stand for its weights. */
export interface ExportStatus {
  current: boolean;
  why: string;
}

/**
 * Whether `dir`'s ONNX export was made from what the folder holds now, for `runtime` (default "onnx"), by
 * content: `onnx/export.json` must name the folder's model type (`modelType`, from the registry), the weights'
 * digest and config.json's label map, and every file of `onnx/` that runtime reads must still have the SHA-256
 * the export recorded (a tampered or replaced `.onnx` is refused; the model file of the other runtime,
 * float32 or int8, is not read, so not hashed).
 *
 * @example
 * ```ts
 * const { current, why } = await exportStatus("outputs/cpu-small/best", { modelType: "bert" });
 * ```
 */
export async function exportStatus(
  dir: string,
  options: { modelType: string; runtime?: Exclude<Runtime, "tfjs"> },
): Promise<ExportStatus> {
  const renew = `\`deno task export-onnx --model ${dir}\``;
  const modelFile = options.runtime === "onnx-q8" ? ONNX_QUANTIZED_MODEL_PATH : ONNX_MODEL_PATH;
  const onnxPath = join(dir, modelFile), recordPath = join(dir, EXPORT_RECORD_PATH);
  if (!await Deno.stat(onnxPath).then(() => true, () => false)) {
    return { current: false, why: `no ${onnxPath} (${renew} makes one)` };
  }
  const record = await readExportRecord(dir).catch((error: Error) => error);
  if (record instanceof Error) return { current: false, why: `${record.message}` };
  if (!record) {
    return { current: false, why: `no ${recordPath}: the export's weights are unknown (${renew} renews it)` };
  }
  if (record.modelType !== options.modelType) {
    return {
      current: false,
      why: `${recordPath} is the export of a ${record.modelType} model, but ${dir} holds a ` +
        `${options.modelType} model (${renew} renews it)`,
    };
  }
  const weights = await findWeights(dir);
  if (!weights) return { current: false, why: `${dir} holds no weights to compare the export with` };
  const digest = await weightsDigest(weights).catch((error: Error) => error);
  if (digest instanceof Error) return { current: false, why: `cannot read ${weights}: ${digest.message}` };
  const { sha256, from } = digest;
  if (sha256 !== record.weightsSha256) {
    return {
      current: false,
      why: `${onnxPath} was made from other weights than ${weights} (${renew} renews it)`,
    };
  }
  const labels = await readConfigLabels(dir).catch((error: Error) => error);
  if (labels instanceof Error) return { current: false, why: labels.message };
  if (JSON.stringify(labels) !== JSON.stringify(record.id2label)) {
    return {
      current: false,
      why: `${join(dir, "config.json")}'s labels (${Object.values(labels).join(",")}) are not those ` +
        `the export was made with (${Object.values(record.id2label).join(",")}) (${renew} renews it)`,
    };
  }
  const read = Object.keys(record.files).filter((name) =>
    !name.endsWith(".onnx") || name === basename(modelFile)
  );
  for (const name of read) {
    const problem = await exportFileProblem(record, join(dir, ONNX_DIR), name);
    if (problem) return { current: false, why: `${problem} (${renew} renews it)` };
  }
  const how = from === "metadata" ? "digest read from the weights' metadata" : "digest computed";
  return {
    current: true,
    why: `${onnxPath} was made from ${weights} (same SHA-256, ${how}) and its labels, and is unchanged`,
  };
}

/** config.json's label map (`id2label`), whatever the model type. */
async function readConfigLabels(dir: string): Promise<Record<string, string>> {
  const path = join(dir, "config.json");
  let config;
  try {
    config = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" }));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const labels = config?.id2label;
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new Error(`${path}: no id2label`);
  }
  return labels;
}

/**
 * The runtime "auto" picks for model folder `dir`, and why. `NER_BACKEND` (a tfjs backend asked for by name,
 * e.g. a GPU) keeps tfjs.
 *
 * @example
 * ```ts
 * const { runtime, why } = await autoRuntime("outputs/cpu-small/best"); // "onnx", "…/onnx/model.onnx was made from …"
 * ```
 */
export async function autoRuntime(
  dir: string,
  env: Record<string, string | undefined> = envRecord([BACKEND_ENV]),
): Promise<{ runtime: Runtime; why: string }> {
  if (env[BACKEND_ENV]) {
    return { runtime: "tfjs", why: `auto: ${BACKEND_ENV}=${env[BACKEND_ENV]} asks for a tfjs backend` };
  }
  const { modelType, export: modelExport } = await modelTypeOfFolder(dir);
  if (!modelExport) return { runtime: "tfjs", why: `auto: a ${modelType} model has no ONNX export` };
  const { current, why } = await exportStatus(dir, { modelType });
  return { runtime: current ? "onnx" : "tfjs", why: `auto: ${why}` };
}

/**
 * Loads a model folder or hub id for inference on `runtime` ("auto": see {@link RuntimeChoice}) through its
 * model type (lib/model/registry.ts); for tfjs it first picks the compute backend (lib/backend's
 * `initBackend`: the best that works, or `NER_BACKEND`), so callers never do — and on ONNX Runtime never
 * loads tfjs's native library. `runtimeReason` says which runtime and why (`askedBy`: who asked for a named
 * runtime). A BERT with a CRF head, whose export (logits only) leaves out its CRF, runs on tfjs only; a
 * word-level model's export computes the emissions, which the TypeScript decoder decodes on either runtime.
 * An ONNX runtime asked for by name refuses an export that is not of the folder's model type, weights, labels
 * and files (a one-line error that says how to renew it).
 *
 * @example
 * ```ts
 * const { model, dir, backend, runtime, runtimeReason } = await loadScoringModel("outputs/cpu-small/best", "auto");
 * ```
 */
export async function loadScoringModel(
  source: string,
  runtime: RuntimeChoice,
  askedBy = "asked for",
): Promise<{ model: ScoringModel; dir: string; backend: string; runtime: Runtime; runtimeReason: string }> {
  const dir = await resolveModelDir(source);
  const type = await modelTypeOfFolder(dir);
  const { inference } = type;
  const tfjsOnly = await inference.tfjsOnly(dir) ??
    (type.export
      ? undefined
      : { holds: `holds a ${type.modelType} model`, reason: `${type.modelType}: no ONNX export` });
  if (tfjsOnly) {
    if (runtime !== "auto" && runtime !== "tfjs") {
      throw new Error(`runtime ${runtime} (${askedBy}): ${dir} ${tfjsOnly.holds}, which runs on tfjs only`);
    }
    const { name: backend } = await initBackend();
    const model = scoreOptionsOf(await inference.load(dir)).classifier;
    const why = runtime === "auto" ? tfjsOnly.reason : askedBy;
    return { model, dir, backend, runtime: "tfjs", runtimeReason: why };
  }
  const chosen = runtime === "auto" ? await autoRuntime(dir) : { runtime, why: askedBy };
  if (chosen.runtime === "tfjs") {
    const { name: backend } = await initBackend();
    // A model that cannot load says which runtime tried and why it was chosen (e.g. labels edited after an
    // export, which "auto" refused: the tfjs model then fails on its own).
    const parts = await inference.load(dir).catch((error: Error) => {
      throw new Error(`${error.message} (runtime tfjs: ${chosen.why})`, { cause: error });
    });
    return {
      model: scoreOptionsOf(parts).classifier,
      dir,
      backend,
      runtime: "tfjs",
      runtimeReason: chosen.why,
    };
  }
  const graph = type.export!.graph;
  if (chosen.runtime === "onnx-q8" && graph !== "token-logits") {
    throw new Error(
      `runtime onnx-q8 (${askedBy}): ${dir} holds a ${type.modelType} model, whose export has no int8 model: use onnx`,
    );
  }
  if (runtime !== "auto") {
    const status = await exportStatus(dir, { modelType: type.modelType, runtime: chosen.runtime });
    if (!status.current) throw new Error(`runtime ${runtime} (${askedBy}): ${status.why}`);
    chosen.why = `${askedBy}; ${status.why}`;
  }
  // Imported here so that tfjs users never load ONNX Runtime's native library.
  const { loadOnnxModel } = await import("../onnx/graphs.ts");
  const model = await loadOnnxModel(graph, dir, { quantized: chosen.runtime === "onnx-q8" });
  return { model, dir, backend: "onnx", runtime: chosen.runtime, runtimeReason: chosen.why };
}
