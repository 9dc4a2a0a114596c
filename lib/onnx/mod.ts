/**
 * ONNX: inference on ONNX Runtime (`onnxruntime-node`) with a model folder's export, and the check that it
 * agrees with tfjs. The export itself is the model type's (the registry's export slot, lib/model/registry.ts;
 * BERT's: `onnx/model.onnx` and its int8 `onnx/model_quantized.onnx` in its HF folder, the layout
 * transformers.js and Optimum read, lib/model/bert/onnx_export.ts; the word-level model's: `onnx/model.onnx`
 * up to the CRF emissions and `onnx/crf.json`, lib/model/word_crf/onnx_export.ts); it is re-exported here.
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
export { bertTokenClassifierGraph, type GraphOptions } from "../model/bert/onnx_graph.ts";
export { ONNX_OPSET } from "../model/formats/onnx_builder.ts";
export { exportOnnx, ONNX_QUANTIZED_MODEL_PATH, writeOnnxModel } from "../model/bert/onnx_export.ts";
export {
  EXPORT_RECORD_PATH,
  type ExportRecord,
  ONNX_DIR,
  ONNX_MODEL_PATH,
  readExportRecord,
} from "../model/export_record.ts";
export { exportWordCrfOnnx } from "../model/word_crf/onnx_export.ts";
export { compareExport, type ExportComparison, loadOnnxModel } from "./graphs.ts";
export { loadOnnxWordCrf, type OnnxWordCrf, type OnnxWordCrfOptions } from "./word_crf.ts";
export { compareWordCrfRuntimes } from "./word_crf_compare.ts";
export type { ExportOptions } from "../model/model_type.ts";
export { loadOnnxClassifier, type OnnxClassifierOptions } from "./classifier.ts";
export { compareLogits, compareRuntimes, type LogitsComparison, textBatch } from "./compare.ts";
