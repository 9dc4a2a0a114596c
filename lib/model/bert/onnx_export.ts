/**
 * Writes a model folder's ONNX export: `onnx/model.onnx` (float32) and `onnx/model_quantized.onnx` (int8
 * weights, dynamic activation quantization: transformers.js' "q8") beside config.json, tokenizer.json and
 * tokenizer_config.json — the layout transformers.js and Optimum read — so a model fine-tuned here runs on
 * ONNX Runtime anywhere (Python, C++, a browser through onnxruntime-web).
 *
 * The export is atomic: the `onnx/` folder is built aside, checked, and only then renamed into place
 * (lib/util/atomic.ts), so a failed check or a crash leaves the previous `onnx/` as it was. It records
 * (`onnx/export.json`, {@link ExportRecord}) the digest of the weights and the label map it was made from:
 * runtime "auto" uses the export only with those weights and labels (lib/predict/runtime.ts).
 *
 * @module
 */
import { basename, join } from "node:path";
import onnxProto from "onnx-proto";

// onnx-proto is CommonJS: its namespace comes as the default export's property.
const { onnx } = onnxProto;
import { readBertConfig } from "./config.ts";
import { findWeights } from "../hub.ts";
import { readModelWeights } from "./pretrained.ts";
import type { BertConfig, StateDict } from "../types.ts";
import type { ExportOptions, ExportResult } from "../model_type.ts";
import { weightsDigest } from "../formats/weights_digest.ts";
import { bertTokenizerConfig, bertTokenizerJson, readVocab } from "../../tokenizer/bert.ts";
import { writeDirAtomic, writeFileAtomic } from "../../util/atomic.ts";
import { killPoint } from "../../util/kill_point.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import { bertTokenClassifierGraph, type GraphOptions } from "./onnx_graph.ts";

/** The folder of a model folder that holds its export. */
export const ONNX_DIR = "onnx";

/** Where the float32 ONNX model lies in a HF model folder (the layout transformers.js reads). */
export const ONNX_MODEL_PATH = join(ONNX_DIR, "model.onnx");

/** Where the int8 model lies: the file transformers.js loads for `dtype: "q8"`. */
export const ONNX_QUANTIZED_MODEL_PATH = join(ONNX_DIR, "model_quantized.onnx");

/** What the export was made from ({@link ExportRecord}). */
export const EXPORT_RECORD_PATH = join(ONNX_DIR, "export.json");

/** `onnx/export.json`: what an export was made from, so that it is used with nothing else. */
export interface ExportRecord {
  /** The weights file's name in the model folder, e.g. model.safetensors. */
  weights: string;
  /** Its digest (lib/model/formats/weights_digest.ts). */
  weightsSha256: string;
  /** config.json's label map when exported (the logits' order). */
  id2label: Record<string, string>;
}

/**
 * Exports `dir`'s BERT token classifier to `dir/onnx/` (float32 and int8, atomically), adding tokenizer.json
 * and tokenizer_config.json from vocab.txt when the folder lacks them. Returns the paths and sizes. `check`
 * sees the models as `model.onnx` and `model_quantized.onnx` in the folder it is given.
 *
 * @example
 * ```ts
 * const { path, bytes, quantizedBytes } = await exportOnnx("outputs/cpu-small/best");
 * ```
 */
export async function exportOnnx(
  dir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const config = await readBertConfig(join(dir, "config.json"));
  const weightsPath = await findWeights(dir);
  if (!weightsPath) throw new Error(`${dir}: no model.safetensors or pytorch_model.bin`);
  const { sha256 } = await weightsDigest(weightsPath);
  const stateDict = await readModelWeights(dir);
  const record: ExportRecord = {
    weights: basename(weightsPath),
    weightsSha256: sha256,
    id2label: config.id2label,
  };
  let bytes = 0, quantizedBytes = 0;
  await writeDirAtomic(join(dir, ONNX_DIR), async (tmp) => {
    bytes = await writeOnnxModel(join(tmp, basename(ONNX_MODEL_PATH)), config, stateDict);
    quantizedBytes = await writeOnnxModel(join(tmp, basename(ONNX_QUANTIZED_MODEL_PATH)), config, stateDict, {
      quantize: true,
    });
    killPoint("onnx-export-check");
    await options.check?.(tmp);
    await Deno.writeTextFile(join(tmp, basename(EXPORT_RECORD_PATH)), JSON.stringify(record, null, 2) + "\n");
  });
  await addTokenizerFiles(dir, config.max_position_embeddings);
  return {
    path: join(dir, ONNX_MODEL_PATH),
    bytes,
    quantizedPath: join(dir, ONNX_QUANTIZED_MODEL_PATH),
    quantizedBytes,
  };
}

/**
 * The record of `dir`'s export, or undefined when it has none (no export, or one made before exports
 * recorded their weights).
 *
 * @example
 * ```ts
 * const record = await readExportRecord("outputs/cpu-small/best"); // { weights, weightsSha256, id2label }
 * ```
 */
export async function readExportRecord(dir: string): Promise<ExportRecord | undefined> {
  const path = join(dir, EXPORT_RECORD_PATH);
  if (!await Deno.stat(path).then((s) => s.isFile, () => false)) return undefined;
  const text = await readTextFileBounded(path, { kind: "JSON settings file" });
  if (text === undefined) return undefined;
  const record = JSON.parse(text);
  const valid = typeof record?.weights === "string" && typeof record.weightsSha256 === "string" &&
    typeof record.id2label === "object" && record.id2label !== null;
  if (!valid) throw new Error(`${join(dir, EXPORT_RECORD_PATH)}: not an export record (re-export the model)`);
  return record;
}

/**
 * Writes the ONNX graph of `config` with `stateDict`'s weights (HF names, PyTorch layout) to `path`
 * (atomically, creating its folder); `quantize` for the int8 model. Returns its size in bytes.
 *
 * @example
 * ```ts
 * import { stateDictFromModel } from "./state_dict.ts";
 * declare const model: any; // the example's inputs
 * await writeOnnxModel("/tmp/m/onnx/model.onnx", model.config, await stateDictFromModel(model));
 * ```
 */
export async function writeOnnxModel(
  path: string,
  config: BertConfig,
  stateDict: StateDict,
  options: GraphOptions = {},
): Promise<number> {
  const encoded = onnx.ModelProto.encode(bertTokenClassifierGraph(config, stateDict, options)).finish();
  await writeFileAtomic(path, encoded);
  return encoded.byteLength;
}

/** transformers.js needs tokenizer.json and tokenizer_config.json; older folders hold only vocab.txt. */
async function addTokenizerFiles(dir: string, maxLength: number): Promise<void> {
  const exists = (name: string) => Deno.stat(join(dir, name)).then(() => true, () => false);
  if (!await exists("tokenizer.json")) {
    const vocab = await readVocab(join(dir, "vocab.txt"));
    await writeFileAtomic(join(dir, "tokenizer.json"), JSON.stringify(bertTokenizerJson(vocab)));
  }
  if (!await exists("tokenizer_config.json")) {
    const text = JSON.stringify(bertTokenizerConfig(maxLength), null, 2) + "\n";
    await writeFileAtomic(join(dir, "tokenizer_config.json"), text);
  }
}
