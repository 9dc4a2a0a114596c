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
import { readBertConfig } from "./config.ts";
import { findWeights } from "../hub.ts";
import { readModelWeights } from "./pretrained.ts";
import type { BertConfig, StateDict } from "../types.ts";
import type { ExportOptions, ExportResult } from "../model_type.ts";
import { weightsDigest } from "../formats/weights_digest.ts";
import { bertTokenizerConfig, bertTokenizerJson, readVocab } from "../../tokenizer/bert.ts";
import { writeDirAtomic, writeFileAtomic } from "../../util/atomic.ts";
import { killPoint } from "../../util/kill_point.ts";
import { encodeOnnxModel } from "../formats/onnx_builder.ts";
import { ONNX_DIR, ONNX_MODEL_PATH, writeExportRecord } from "../export_record.ts";
import { bertTokenClassifierGraph, type GraphOptions } from "./onnx_graph.ts";

/** Where the int8 model lies: the file transformers.js loads for `dtype: "q8"`. */
export const ONNX_QUANTIZED_MODEL_PATH = join(ONNX_DIR, "model_quantized.onnx");

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
  const record = {
    modelType: "bert",
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
    await options.check?.(tmp, dir);
    await writeExportRecord(tmp, record, [basename(ONNX_MODEL_PATH), basename(ONNX_QUANTIZED_MODEL_PATH)]);
  });
  await addTokenizerFiles(dir, config.max_position_embeddings);
  return {
    dir,
    path: join(dir, ONNX_MODEL_PATH),
    bytes,
    quantizedPath: join(dir, ONNX_QUANTIZED_MODEL_PATH),
    quantizedBytes,
  };
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
  const encoded = encodeOnnxModel(bertTokenClassifierGraph(config, stateDict, options));
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
