/**
 * Where a model folder's ONNX export lies (`onnx/`, written by its model type's export: lib/model/registry.ts)
 * and what it was made from (`onnx/export.json`, {@link ExportRecord}): the model type, the digest of the
 * weights, the label map, and the digest of every file of `onnx/` a runtime reads. Runtime "auto"
 * (lib/predict/runtime.ts) uses an export only when all of these still hold.
 *
 * @module
 */
import { join } from "node:path";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { fileSha256 } from "./formats/weights_digest.ts";

/** The folder of a model folder that holds its export. */
export const ONNX_DIR = "onnx";

/** Where the float32 ONNX model lies in a model folder (the layout transformers.js reads). */
export const ONNX_MODEL_PATH = join(ONNX_DIR, "model.onnx");

/** What the export was made from ({@link ExportRecord}). */
export const EXPORT_RECORD_PATH = join(ONNX_DIR, "export.json");

/** `onnx/export.json`: what an export was made from, so that it is used with nothing else. */
export interface ExportRecord {
  /** The model type exported (config.json's model_type: "bert", "word-crf"). */
  modelType: string;
  /** The weights file's name in the model folder, e.g. model.safetensors. */
  weights: string;
  /** Its digest (lib/model/formats/weights_digest.ts). */
  weightsSha256: string;
  /** config.json's label map when exported (the order of the graph's scores). */
  id2label: Record<string, string>;
  /** SHA-256 of each file of `onnx/` a runtime reads, by file name: one changed since is refused. */
  files: Record<string, string>;
}

/**
 * Writes `onnxDir/export.json`: `record` with the digests of its `files` (names in `onnxDir`).
 *
 * @example
 * ```ts
 * declare const tmp: string; // the example's inputs
 * await writeExportRecord(tmp, { modelType: "word-crf", weights: "model.safetensors", weightsSha256: "…", id2label: {} }, ["model.onnx"]);
 * ```
 */
export async function writeExportRecord(
  onnxDir: string,
  record: Omit<ExportRecord, "files">,
  files: readonly string[],
): Promise<void> {
  const digests: Record<string, string> = {};
  for (const name of files) digests[name] = await fileSha256(join(onnxDir, name));
  const text = JSON.stringify({ ...record, files: digests }, null, 2) + "\n";
  await Deno.writeTextFile(join(onnxDir, "export.json"), text);
}

/**
 * The record of `dir`'s export (`onnxDir`: where it lies, default `dir/onnx`), or undefined when it has none;
 * a one-line error for a record that is not one (or one written before records named their model type and
 * files: re-export).
 *
 * @example
 * ```ts
 * const record = await readExportRecord("outputs/cpu-small/best"); // { modelType, weights, weightsSha256, id2label, files }
 * ```
 */
export async function readExportRecord(
  dir: string,
  options: { onnxDir?: string } = {},
): Promise<ExportRecord | undefined> {
  const path = join(options.onnxDir ?? join(dir, ONNX_DIR), "export.json");
  if (!await Deno.stat(path).then((s) => s.isFile, () => false)) return undefined;
  const text = await readTextFileBounded(path, { kind: "JSON settings file" });
  let record;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message}): re-export the model`);
  }
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  const valid = isObject(record) && typeof record.modelType === "string" &&
    typeof record.weights === "string" &&
    typeof record.weightsSha256 === "string" && isObject(record.id2label) && isObject(record.files) &&
    Object.values(record.files).every((sha) => typeof sha === "string" && /^[0-9a-f]{64}$/.test(sha));
  if (!valid) {
    throw new Error(
      `${path}: not an export record of this version (no model type or file digests): re-export the model`,
    );
  }
  return record;
}

/**
 * Why `onnxDir/name` is not the file `record` was made with (its SHA-256 differs, or the record names no such
 * file), or undefined when it is.
 *
 * @example
 * ```ts
 * declare const record: ExportRecord; // the example's inputs
 * await exportFileProblem(record, "outputs/bilstm-crf/best/onnx", "model.onnx"); // undefined: as exported
 * ```
 */
export async function exportFileProblem(
  record: ExportRecord,
  onnxDir: string,
  name: string,
): Promise<string | undefined> {
  const path = join(onnxDir, name);
  const expected = record.files[name];
  if (!expected) return `${join(onnxDir, "export.json")} records no ${name}`;
  const actual = await fileSha256(path).catch((error: Error) => error);
  if (actual instanceof Error) return `cannot read ${path}: ${actual.message}`;
  if (actual !== expected) return `${path} is not the file the export wrote (its SHA-256 differs)`;
  return undefined;
}
