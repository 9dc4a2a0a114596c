/**
 * ONNX: export of a BERT token classifier to `onnx/model.onnx` in its HF folder (the layout transformers.js
 * and Optimum read), inference on ONNX Runtime (`onnxruntime-node`), and the check that both agree with tfjs.
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
export { bertTokenClassifierGraph, ONNX_OPSET } from "./graph.ts";
export { exportOnnx, ONNX_MODEL_PATH, writeOnnxModel } from "./export.ts";
export { loadOnnxClassifier, type OnnxClassifierOptions } from "./classifier.ts";
export { compareRuntimes, textBatch } from "./compare.ts";
