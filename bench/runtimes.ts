/**
 * Inference runtimes side by side: forward passes of a BERT token classifier with random weights at one batch
 * shape (32×128, every token real) through tfjs (the current backend) and ONNX Runtime (the graphs
 * `deno task export-onnx` writes: float32 and int8 "q8"), taking turns pass by pass so that a busy machine disturbs them alike, and
 * PyTorch (bench/pytorch/bert_reference.py) just after, all with the same thread count. Each figure is the fastest
 * pass. `deno task bench` runs it per size; `deno task bench-runtimes` for other shapes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { BertForTokenClassification } from "../lib/model/bert/network.ts";
import { batchLogits } from "../lib/model/batch_logits.ts";
import { makeBertConfig } from "../lib/model/bert/config.ts";
import { stateDictFromModel } from "../lib/model/bert/state_dict.ts";
import type { WindowModel } from "../lib/model/types.ts";
import { loadOnnxClassifier } from "../lib/onnx/classifier.ts";
import { ONNX_QUANTIZED_MODEL_PATH, writeOnnxModel } from "../lib/model/bert/onnx_export.ts";
import { ONNX_MODEL_PATH } from "../lib/model/export_record.ts";
import type { TokenBatch } from "../lib/tokenizer/types.ts";
import { syntheticBatch, tooBigFor } from "./backend.ts";
import { describeSettings, pytorchReference } from "./pytorch/reference.ts";
import { BC5CDR_LABELS, BERT_BASE, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import type { BenchFigures, Benchmark } from "./types.ts";

/** The sizes measured: the cpu-small profile's 4 layers × 256 and BERT-base. */
export const RUNTIME_SIZES = {
  "4x256": { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  base: BERT_BASE,
} as const;

/** One of {@link RUNTIME_SIZES}. */
export type RuntimeSize = keyof typeof RUNTIME_SIZES;

/** What is measured: batch shape, timed passes per model, threads of each runtime. */
export interface RuntimeShape {
  batchSize: number;
  seqLength: number;
  steps: number;
  threads: number;
}

/** Tokens/s of each model's fastest forward pass, the models taking turns pass by pass. */
async function fastestTokensPerSecond(
  models: WindowModel[],
  batch: TokenBatch,
  { steps, batchSize, seqLength }: RuntimeShape,
): Promise<number[]> {
  const best = models.map(() => Infinity);
  for (const model of models) await batchLogits(model, batch); // warm-up
  for (let i = 0; i < steps; i++) {
    for (const [m, model] of models.entries()) {
      const started = performance.now();
      await batchLogits(model, batch);
      best[m] = Math.min(best[m], (performance.now() - started) / 1000);
    }
  }
  return best.map((seconds) => (batchSize * seqLength) / seconds);
}

/**
 * Forward tokens/s of one size through tfjs (the current backend), ONNX Runtime (float32 and the int8 model)
 * and PyTorch (null where python3-torch is missing).
 *
 * @example
 * ```ts
 * import { initBackend } from "../lib/backend/mod.ts";
 * await initBackend();
 * const { tfjs, onnx, onnxQ8, pytorch } = await runtimeTokensPerSecond("4x256",
 *   { batchSize: 8, seqLength: 32, steps: 1, threads: 2 });
 * ```
 */
export async function runtimeTokensPerSecond(
  size: RuntimeSize,
  shape: RuntimeShape,
): Promise<{ tfjs: number; onnx: number; onnxQ8: number; pytorch: number | null; pytorchSettings?: string }> {
  const sizes = RUNTIME_SIZES[size];
  if (!sizes) throw new Error(`unknown model size ${size} (${Object.keys(RUNTIME_SIZES).join(", ")})`);
  const { batchSize, seqLength, steps, threads } = shape;
  const config = makeBertConfig({ ...sizes, vocab_size: BIOBERT_VOCAB_SIZE }, { labels: BC5CDR_LABELS });
  const model = BertForTokenClassification.create(config, { seed: 1 });
  const dir = await Deno.makeTempDir({ prefix: "bench-runtimes-" });
  let tfjs: number, onnx: number, onnxQ8: number;
  try {
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
    const stateDict = await stateDictFromModel(model);
    await writeOnnxModel(join(dir, ONNX_MODEL_PATH), config, stateDict);
    await writeOnnxModel(join(dir, ONNX_QUANTIZED_MODEL_PATH), config, stateDict, { quantize: true });
    const batch = syntheticBatch(batchSize, seqLength, BC5CDR_LABELS.length);
    const onnxModel = await loadOnnxClassifier(dir, { threads });
    const quantizedModel = await loadOnnxClassifier(dir, { threads, quantized: true });
    try {
      [tfjs, onnx, onnxQ8] = await fastestTokensPerSecond([model, onnxModel, quantizedModel], batch, shape);
    } finally {
      onnxModel.dispose();
      quantizedModel.dispose();
    }
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
  const reference = await pytorchReference({
    "inference-only": true,
    batch: batchSize,
    seq: seqLength,
    steps,
    threads,
    hidden: sizes.hidden_size,
    layers: sizes.num_hidden_layers,
    heads: sizes.num_attention_heads,
    ffn: sizes.intermediate_size,
    vocab: BIOBERT_VOCAB_SIZE,
  });
  return {
    tfjs,
    onnx,
    onnxQ8,
    ...("unavailable" in reference ? { pytorch: null } : {
      pytorch: reference.infer_best_tokens_per_second,
      pytorchSettings: describeSettings(reference.settings),
    }),
  };
}

/** The figures of one size: tokens/s of each runtime and their ratios to PyTorch and to each other. */
async function runtimeFigures(size: RuntimeSize, steps: number): Promise<BenchFigures> {
  const backend = tf.getBackend() === "tensorflow" ? "native" : tf.getBackend();
  const skipped = tooBigFor(backend, { sizes: RUNTIME_SIZES[size], mode: "infer" });
  if (skipped) return { skipped };
  const shape = { batchSize: 32, seqLength: 128, steps, threads: navigator.hardwareConcurrency };
  const { tfjs, onnx, onnxQ8, pytorch, pytorchSettings } = await runtimeTokensPerSecond(size, shape);
  const figures: BenchFigures = {
    batch: "32x128",
    threads: shape.threads,
    "tfjs tokens/s": Math.round(tfjs),
    "ONNX Runtime tokens/s": Math.round(onnx),
    "ONNX / tfjs": Number((onnx / tfjs).toFixed(2)),
    "ONNX Runtime q8 tokens/s": Math.round(onnxQ8),
    "ONNX q8 / ONNX fp32": Number((onnxQ8 / onnx).toFixed(2)),
  };
  if (pytorch === null) return { ...figures, PyTorch: "unavailable (no python3-torch)" };
  return {
    ...figures,
    "PyTorch tokens/s": Math.round(pytorch),
    "tfjs / PyTorch": Number((tfjs / pytorch).toFixed(2)),
    "ONNX Runtime / PyTorch": Number((onnx / pytorch).toFixed(2)),
    "PyTorch settings": pytorchSettings!,
  };
}

/** The benchmarks of the inference runtimes. */
export const benchmarks: Benchmark[] = (["4x256", "base"] as const).map((size) => ({
  name: `runtimes: ${size === "base" ? "BERT-base" : "4x256 (cpu-small)"} forward, tfjs and ONNX Runtime ` +
    `(fp32, int8 q8) vs PyTorch (batch 32x128)`,
  perBackend: true,
  run: (options) => runtimeFigures(size, options?.quick ? 1 : 3),
}));
