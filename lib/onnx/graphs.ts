/**
 * How each kind of export graph (lib/model/model_type.ts's `ExportGraph`, which a model type's export slot
 * names) runs on ONNX Runtime and is checked against tfjs: BERT's "token-logits" (classifier.ts, compare.ts)
 * and the word-level model's "word-emissions" (word_crf.ts, word_crf_compare.ts).
 *
 * @module
 */
import type { ExportGraph } from "../model/model_type.ts";
import type { ScoringModel } from "../model/types.ts";
import { loadOnnxClassifier } from "./classifier.ts";
import { compareRuntimes, type LogitsComparison } from "./compare.ts";
import { loadOnnxWordCrf } from "./word_crf.ts";
import { compareWordCrfRuntimes } from "./word_crf_compare.ts";

/** How an export compares with tfjs: float32, and the int8 model where the export has one. */
export interface ExportComparison {
  float32: LogitsComparison;
  quantized?: LogitsComparison;
}

/**
 * Loads model folder `dir`'s export of kind `graph` for inference; `quantized`: the int8 model (BERT's only).
 *
 * @example
 * ```ts
 * const model = await loadOnnxModel("word-emissions", "outputs/bilstm-crf/best");
 * ```
 */
export function loadOnnxModel(
  graph: ExportGraph,
  dir: string,
  options: { quantized?: boolean } = {},
): Promise<ScoringModel> {
  if (graph === "token-logits") return loadOnnxClassifier(dir, options);
  if (options.quantized) throw new Error(`${dir}: a word-level model's export has no int8 model`);
  return loadOnnxWordCrf(dir);
}

/**
 * Runs `texts` through tfjs (call `initBackend()` first) and through the export of kind `graph` built in
 * `onnxDir`: how ONNX Runtime's scores differ from tfjs's.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/mod.ts";
 * await initBackend();
 * const { float32 } = await compareExport("word-emissions", "outputs/bilstm-crf/best", ["Aspirin."], {});
 * ```
 */
export function compareExport(
  graph: ExportGraph,
  dir: string,
  texts: string[],
  options: { onnxDir?: string },
): Promise<ExportComparison> {
  return graph === "token-logits"
    ? compareRuntimes(dir, texts, options)
    : compareWordCrfRuntimes(dir, texts, options);
}
