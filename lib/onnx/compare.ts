/**
 * The export's check: the same padded batch through the tfjs model and through ONNX Runtime on the exported
 * graphs (float32 and int8), and how their logits differ.
 *
 * @module
 */
import { join } from "node:path";
import { batchLogits } from "../model/batch_logits.ts";
import { loadTokenClassifierWithReport } from "../model/bert/pretrained.ts";
import { loadBertTokenizer } from "../tokenizer/bert.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { loadOnnxClassifier } from "./classifier.ts";

/**
 * `texts` as one right-padded batch (each text one window, cut to `maxLength`): padding is part of what an
 * export must get right (the attention mask).
 *
 * @example
 * ```ts
 * const batch = await textBatch("outputs/cpu-small/best/vocab.txt", ["Aspirin.", "Cisplatin caused fever."]);
 * ```
 */
export async function textBatch(vocabPath: string, texts: string[], maxLength = 128): Promise<TokenBatch> {
  const tokenizer = await loadBertTokenizer(vocabPath);
  const rows = texts.map((text) => tokenizer.encodeText(text).ids.slice(0, maxLength));
  const seqLength = Math.max(...rows.map((ids) => ids.length));
  const batch: TokenBatch = {
    batchSize: rows.length,
    seqLength,
    inputIds: new Int32Array(rows.length * seqLength).fill(tokenizer.specialIds.pad),
    attentionMask: new Int32Array(rows.length * seqLength),
    tokenTypeIds: new Int32Array(rows.length * seqLength),
  };
  rows.forEach((ids, row) => {
    batch.inputIds.set(ids, row * seqLength);
    batch.attentionMask.fill(1, row * seqLength, row * seqLength + ids.length);
  });
  return batch;
}

/** How two models' logits differ over the real (non-padding) tokens of a batch. */
export interface LogitsComparison {
  /** The largest absolute logit difference. */
  maxAbsDifference: number;
  /** The fraction of tokens whose best label is the same. */
  labelAgreement: number;
  /** Real tokens compared. */
  tokens: number;
}

/**
 * Compares `reference` and `candidate` logits (`[batch, seq, labels]`) over the tokens `attentionMask` keeps.
 *
 * @example
 * ```ts
 * compareLogits(Float32Array.of(1, 2), Float32Array.of(1, 2.5), Int32Array.of(1)); // 0.5 apart, labels agree
 * ```
 */
export function compareLogits(
  reference: Float32Array,
  candidate: Float32Array,
  attentionMask: Int32Array,
): LogitsComparison {
  const numLabels = reference.length / attentionMask.length;
  const best = (values: Float32Array, t: number) => {
    let top = t * numLabels;
    for (let j = top + 1; j < (t + 1) * numLabels; j++) if (values[j] > values[top]) top = j;
    return top;
  };
  let maxAbsDifference = 0, tokens = 0, agreeing = 0;
  attentionMask.forEach((keep, t) => {
    if (!keep) return;
    tokens++;
    if (best(reference, t) === best(candidate, t)) agreeing++;
    for (let j = t * numLabels; j < (t + 1) * numLabels; j++) {
      maxAbsDifference = Math.max(maxAbsDifference, Math.abs(reference[j] - candidate[j]));
    }
  });
  return { maxAbsDifference, labelAgreement: tokens ? agreeing / tokens : 1, tokens };
}

/**
 * Runs `texts` through tfjs (on the current backend, so call `initBackend()` first), the float32 export and
 * the int8 export: how ONNX Runtime's float32 logits differ from tfjs's, and the int8 model's from float32's.
 * `onnxDir` is where the exported models lie (default `dir/onnx`).
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/mod.ts";
 * import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
 * await initBackend();
 * const { float32, quantized } = await compareRuntimes("outputs/cpu-small/best", [...EXAMPLE_SENTENCES]);
 * console.log(float32.maxAbsDifference, quantized.labelAgreement);
 * ```
 */
export async function compareRuntimes(
  dir: string,
  texts: string[],
  options: { onnxDir?: string } = {},
): Promise<{ float32: LogitsComparison; quantized: LogitsComparison }> {
  const { model } = await loadTokenClassifierWithReport(dir);
  const onnxModel = await loadOnnxClassifier(dir, { onnxDir: options.onnxDir });
  const quantizedModel = await loadOnnxClassifier(dir, { onnxDir: options.onnxDir, quantized: true });
  try {
    const batch = await textBatch(join(dir, "vocab.txt"), texts, model.config.max_position_embeddings);
    const tfjs = await batchLogits(model, batch);
    const onnx = await batchLogits(onnxModel, batch);
    const quantized = await batchLogits(quantizedModel, batch);
    return {
      float32: compareLogits(tfjs, onnx, batch.attentionMask),
      quantized: compareLogits(onnx, quantized, batch.attentionMask),
    };
  } finally {
    model.dispose();
    onnxModel.dispose();
    quantizedModel.dispose();
  }
}
