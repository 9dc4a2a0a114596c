/**
 * ONNX: export of a BERT token classifier to `onnx/model.onnx` and its int8 `onnx/model_quantized.onnx` in
 * its HF folder (the layout transformers.js and Optimum read), inference on ONNX Runtime (`onnxruntime-node`),
 * and the check that they agree with tfjs.
 * Not re-exported by lib/mod.ts: importing it loads ONNX Runtime's native library.
 *
 * @example
 * ```ts
 * import { exportOnnx, loadOnnxClassifier } from "./mod.ts";
 * await exportOnnx("outputs/cpu-small/best");
 * const model = await loadOnnxClassifier("outputs/cpu-small/best");
 * ```
 *
 * @module
 */
export { bertTokenClassifierGraph, type GraphOptions, ONNX_OPSET } from "../model/bert/onnx_graph.ts";
export {
  EXPORT_RECORD_PATH,
  exportOnnx,
  type ExportOptions,
  type ExportRecord,
  ONNX_DIR,
  ONNX_MODEL_PATH,
  ONNX_QUANTIZED_MODEL_PATH,
  readExportRecord,
  writeOnnxModel,
} from "../model/bert/onnx_export.ts";
export { loadOnnxClassifier, type OnnxClassifierOptions } from "./classifier.ts";
export { compareLogits, compareRuntimes, type LogitsComparison, textBatch } from "./compare.ts";
