/**
 * The word-level export's check: the same padded batch of sentences through the tfjs model and through ONNX
 * Runtime on the exported graph, and how their emissions differ over the real (non-padding) words.
 *
 * @module
 */
import { sentencesFromText } from "../bio/mod.ts";
import { makeWordBatch } from "../model/word_crf/batch.ts";
import { loadWordCrfModel } from "../model/word_crf/folder.ts";
import { compareLogits, type LogitsComparison } from "./compare.ts";
import { loadOnnxWordCrf } from "./word_crf.ts";

/**
 * Splits `texts` into sentences of words (lib/bio, as the pipeline does), pads them into one batch (padding and
 * the backward direction's reading within each length are part of what an export must get right), and
 * compares the emissions of tfjs (its current backend: call `initBackend()` first) and of the export in
 * `onnxDir` (default `dir/onnx`). `tokens` counts words.
 *
 * @example
 * ```ts
 * const { float32 } = await compareWordCrfRuntimes("outputs/bilstm-crf/best", ["Cisplatin caused fever."]);
 * float32.maxAbsDifference; // ~1e-6
 * ```
 */
export async function compareWordCrfRuntimes(
  dir: string,
  texts: string[],
  options: { onnxDir?: string } = {},
): Promise<{ float32: LogitsComparison }> {
  const sentences = texts.flatMap((text) => sentencesFromText(text))
    .map((sentence) => sentence.words.map((word) => word.text))
    .filter((words) => words.length > 0);
  if (sentences.length === 0) throw new Error("compareWordCrfRuntimes: no words to compare");
  const model = await loadWordCrfModel(dir);
  try {
    const onnx = await loadOnnxWordCrf(dir, { onnxDir: options.onnxDir });
    try {
      const batch = makeWordBatch(sentences.map((words) => model.vocab.encode(words)));
      const emissions = model.network.emissions(batch);
      const tfjs = await emissions.data() as Float32Array;
      emissions.dispose();
      const real = new Int32Array(batch.batchSize * batch.seqLength);
      batch.lengths.forEach((n, row) => real.fill(1, row * batch.seqLength, row * batch.seqLength + n));
      return { float32: compareLogits(tfjs, await onnx.emissions(batch), real) };
    } finally {
      onnx.dispose();
    }
  } finally {
    model.network.dispose();
  }
}
