/**
 * Writes a model folder's ONNX export: `onnx/model.onnx` beside config.json, tokenizer.json and
 * tokenizer_config.json — the layout transformers.js and Optimum read — so a model fine-tuned here runs on
 * ONNX Runtime anywhere (Python, C++, a browser through onnxruntime-web).
 *
 * @module
 */
import { dirname, join } from "node:path";
import onnxProto from "onnx-proto";

// onnx-proto is CommonJS: its namespace comes as the default export's property.
const { onnx } = onnxProto;
import { readBertConfig } from "../model/config.ts";
import { readModelWeights } from "../model/pretrained.ts";
import type { BertConfig, StateDict } from "../model/types.ts";
import { bertTokenizerConfig, bertTokenizerJson, readVocab } from "../tokenizer/bert.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { bertTokenClassifierGraph } from "./graph.ts";

/** Where the ONNX model lies in a HF model folder (the layout transformers.js reads). */
export const ONNX_MODEL_PATH = join("onnx", "model.onnx");

/**
 * Exports `dir`'s BERT token classifier to `dir/onnx/model.onnx` (atomically), adding tokenizer.json and
 * tokenizer_config.json from vocab.txt when the folder lacks them. Returns the path and its size.
 *
 * @example
 * ```ts
 * const { path, bytes } = await exportOnnx("outputs/cpu-small/best");
 * ```
 */
export async function exportOnnx(dir: string): Promise<{ path: string; bytes: number }> {
  const config = await readBertConfig(join(dir, "config.json"));
  const path = join(dir, ONNX_MODEL_PATH);
  const bytes = await writeOnnxModel(path, config, await readModelWeights(dir));
  await addTokenizerFiles(dir, config.max_position_embeddings);
  return { path, bytes };
}

/**
 * Writes the ONNX graph of `config` with `stateDict`'s weights (HF names, PyTorch layout) to `path`
 * (atomically, creating its folder); returns its size in bytes.
 *
 * @example
 * ```ts
 * import { stateDictFromModel } from "../model/state_dict.ts";
 * declare const model: any; // the example's inputs
 * await writeOnnxModel("/tmp/m/onnx/model.onnx", model.config, await stateDictFromModel(model));
 * ```
 */
export async function writeOnnxModel(
  path: string,
  config: BertConfig,
  stateDict: StateDict,
): Promise<number> {
  const encoded = onnx.ModelProto.encode(bertTokenClassifierGraph(config, stateDict)).finish();
  await Deno.mkdir(dirname(path), { recursive: true });
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
