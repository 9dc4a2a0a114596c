/**
 * The export's check: the same padded batch through the tfjs model and through ONNX Runtime on the exported
 * graph, and the largest difference between their logits.
 *
 * @module
 */
import { join } from "node:path";
import { batchLogits } from "../model/batch_logits.ts";
import { loadTokenClassifierWithReport } from "../model/pretrained.ts";
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

/**
 * Runs `texts` through both runtimes (tfjs on the current backend, so call `initBackend()` first) and returns
 * the largest absolute logit difference over the real (non-padding) tokens.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/mod.ts";
 * import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
 * await initBackend();
 * const { maxAbsDifference } = await compareRuntimes("outputs/cpu-small/best", [...EXAMPLE_SENTENCES]);
 * ```
 */
export async function compareRuntimes(
  dir: string,
  texts: string[],
): Promise<{ maxAbsDifference: number; tokens: number; tfjs: Float32Array; onnx: Float32Array }> {
  const { model } = await loadTokenClassifierWithReport(dir);
  const onnxModel = await loadOnnxClassifier(dir);
  try {
    const batch = await textBatch(join(dir, "vocab.txt"), texts, model.config.max_position_embeddings);
    const tfjs = await batchLogits(model, batch);
    const onnx = await batchLogits(onnxModel, batch);
    const numLabels = tfjs.length / batch.inputIds.length;
    let maxAbsDifference = 0, tokens = 0;
    batch.attentionMask.forEach((keep, t) => {
      if (!keep) return;
      tokens++;
      for (let j = t * numLabels; j < (t + 1) * numLabels; j++) {
        maxAbsDifference = Math.max(maxAbsDifference, Math.abs(tfjs[j] - onnx[j]));
      }
    });
    return { maxAbsDifference, tokens, tfjs, onnx };
  } finally {
    model.dispose();
    onnxModel.dispose();
  }
}
