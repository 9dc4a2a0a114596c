/**
 * Inference on ONNX Runtime (npm `onnxruntime-node`, whose CPU libraries ship in the package): a model
 * folder's `onnx/model.onnx` (written by `deno task export-onnx`) as an {@link InferenceModel} the prediction
 * pipeline scores with, in place of the tfjs model.
 *
 * @module
 */
import { basename, join } from "node:path";
import * as ort from "onnxruntime-node";
import { INTRA_OP_THREADS_ENV } from "../backend/threads.ts";
import { validateLabelSet } from "../bio/labels.ts";
import { labelNames, readBertConfig } from "../model/bert/config.ts";
import type { BertConfig, InferenceModel } from "../model/types.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { ONNX_QUANTIZED_MODEL_PATH } from "../model/bert/onnx_export.ts";
import { ONNX_MODEL_PATH } from "../model/export_record.ts";
import { envValue } from "../util/config.ts";

/** Options of {@link loadOnnxClassifier}. */
export interface OnnxClassifierOptions {
  /** Intra-op threads. Default: `TF_NUM_INTRAOP_THREADS` when set (workers share the cores), else ORT's. */
  threads?: number;
  /** The int8 model (`onnx/model_quantized.onnx`) instead of the float32 one. Default false. */
  quantized?: boolean;
  /** The folder that holds the models. Default: `dir/onnx` (the export check passes the one it builds). */
  onnxDir?: string;
}

/**
 * Loads `dir/onnx/model.onnx` (or `model_quantized.onnx`) with the folder's config.json.
 *
 * @example
 * ```ts
 * declare const batch: any; // the example's inputs
 * const model = await loadOnnxClassifier("outputs/cpu-small/best");
 * const logits = await model.logits(batch); // [batch, seq, labels] values
 * ```
 */
export async function loadOnnxClassifier(
  dir: string,
  options: OnnxClassifierOptions = {},
): Promise<InferenceModel> {
  const file = options.quantized ? ONNX_QUANTIZED_MODEL_PATH : ONNX_MODEL_PATH;
  const path = options.onnxDir ? join(options.onnxDir, basename(file)) : join(dir, file);
  const found = await Deno.stat(path).then(() => true, () => false);
  if (!found) throw new Error(`${path} does not exist: run \`deno task export-onnx --model ${dir}\``);
  const config: BertConfig = await readBertConfig(join(dir, "config.json"));
  validateLabelSet(labelNames(config), join(dir, "config.json"));
  const threads = options.threads ?? envValue(INTRA_OP_THREADS_ENV);
  const session = await ort.InferenceSession.create(path, {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    ...(threads ? { intraOpNumThreads: threads } : {}),
  });
  const inputs = ["input_ids", "attention_mask", "token_type_ids"];
  if (inputs.some((name) => !session.inputNames.includes(name)) || !session.outputNames.includes("logits")) {
    void session.release();
    throw new Error(
      `${path} is not a BERT token classifier's export (inputs ${session.inputNames.join(", ")}): ` +
        `run \`deno task export-onnx --model ${dir}\``,
    );
  }
  const numLabels = Object.keys(config.id2label).length;
  return {
    config,
    async logits(batch: TokenBatch): Promise<Float32Array> {
      const dims = [batch.batchSize, batch.seqLength];
      const int64 = (values: Int32Array) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);
      const feeds = {
        input_ids: int64(batch.inputIds),
        attention_mask: int64(batch.attentionMask),
        token_type_ids: int64(batch.tokenTypeIds),
      };
      const { logits } = await session.run(feeds);
      try {
        if (logits.data.length !== batch.batchSize * batch.seqLength * numLabels) {
          throw new Error(`${path}: logits of shape [${logits.dims}], expected [${dims},${numLabels}]`);
        }
        return logits.data as Float32Array;
      } finally {
        for (const tensor of Object.values(feeds)) tensor.dispose();
      }
    },
    dispose() {
      void session.release();
    },
  };
}
