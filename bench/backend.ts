/**
 * Backend benchmarks, each beside PyTorch measured in the same run (bench/pytorch/bert_reference.py: the same
 * model in plain PyTorch, Debian's python3-torch with our thread count and the settings of
 * bench/pytorch/reference.ts, run just before the tfjs side):
 *
 * - raw matMul GFLOP/s in the three layouts a dense layer's forward and backward use;
 * - forward passes (inference) of the 4×256 (cpu-small) size and BERT-base at batch 32×128, tokens/s;
 * - BERT-base training steps (forward with dropout + backward + clipping + AdamW, lib/train/step.ts) at 8×128
 *   and 32×128: seconds per step and the process's peak RSS.
 *
 * Ratios are always project ÷ PyTorch of the figure shown: tokens/s ≥ 1 and seconds or memory ≤ 1 are at or
 * beyond PyTorch. Forward figures are the fastest of the timed passes (the least disturbed on a shared machine),
 * on both sides; training figures are means.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { BertForTokenClassification, makeBertConfig } from "../lib/model/mod.ts";
import type { TokenBatch } from "../lib/tokenizer/types.ts";
import { AdamW } from "../lib/train/optimizer.ts";
import { trainStep } from "../lib/train/step.ts";
import type { ScratchModelConfig } from "../lib/train/profile.ts";
import { peakRssMB } from "../lib/util/peak_rss.ts";
import { describeSettings, pytorchReference } from "./pytorch/reference.ts";
import { BC5CDR_LABELS, BERT_BASE, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";

const round = (value: number, digits = 3) => Number(value.toPrecision(digits));

/** The cpu-small profile's size (4 layers × 256). */
const SMALL: ScratchModelConfig = {
  ...BERT_BASE,
  hidden_size: 256,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  intermediate_size: 1024,
};

/** One side-by-side measurement: a model size, a batch shape, training or inference. */
interface Comparison {
  sizes: ScratchModelConfig;
  batchSize: number;
  seqLength: number;
  mode: "train" | "infer";
}

/** Repetitions; `--quick` cuts the depth to 2 layers (same widths) and times one pass. */
function repetitions(comparison: Comparison, options?: BenchOptions) {
  const layers = options?.quick ? 2 : comparison.sizes.num_hidden_layers;
  const steps = options?.quick ? 1 : comparison.mode === "train" && comparison.batchSize > 8 ? 2 : 3;
  return { layers, steps, warmup: 1 };
}

/**
 * A labelled batch of pseudo-random token ids (BioBERT's vocab size), every position real.
 *
 * @example
 * ```ts
 * syntheticBatch(32, 128, 5).inputIds.length; // 4096
 * ```
 */
export function syntheticBatch(batchSize: number, seqLength: number, numLabels: number): TokenBatch {
  const size = batchSize * seqLength;
  return {
    batchSize,
    seqLength,
    inputIds: Int32Array.from({ length: size }, (_, i) => 5 + ((i * 7919) % (BIOBERT_VOCAB_SIZE - 5))),
    attentionMask: new Int32Array(size).fill(1),
    tokenTypeIds: new Int32Array(size),
    labels: Int32Array.from({ length: size }, (_, i) => (i * 31) % numLabels),
  };
}

/** Seconds of each of `steps` calls of `fn` after `warmup` untimed ones. */
async function timings(fn: () => Promise<void>, run: { steps: number; warmup: number }): Promise<number[]> {
  for (let i = 0; i < run.warmup; i++) await fn();
  const seconds: number[] = [];
  for (let i = 0; i < run.steps; i++) {
    const start = performance.now();
    await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return seconds;
}

/**
 * The tfjs side of a comparison on the current backend: mean seconds per training step, or the fastest
 * forward pass's tokens/s.
 *
 * @example
 * ```ts
 * import { initBackend } from "../lib/backend/mod.ts";
 * import { BERT_BASE } from "./sizes.ts";
 * await initBackend();
 * const { seconds } = await tfjsTimes({ sizes: BERT_BASE, batchSize: 8, seqLength: 128, mode: "train" },
 *   { layers: 2, steps: 1, warmup: 1 });
 * ```
 */
export async function tfjsTimes(
  comparison: Comparison,
  run: { layers: number; steps: number; warmup: number },
): Promise<{ parameters: number; seconds: number }> {
  const config = makeBertConfig({
    ...comparison.sizes,
    num_hidden_layers: run.layers,
    vocab_size: BIOBERT_VOCAB_SIZE,
  }, { labels: [...BC5CDR_LABELS] });
  const model = BertForTokenClassification.create(config, { seed: 1 });
  const batch = syntheticBatch(comparison.batchSize, comparison.seqLength, BC5CDR_LABELS.length);
  try {
    if (comparison.mode === "infer") {
      const seconds = await timings(async () => {
        const logits = model.forward(batch, { training: false });
        await logits.data();
        logits.dispose();
      }, run);
      return { parameters: model.numParameters, seconds: Math.min(...seconds) };
    }
    const optimizer = new AdamW(model.parameters, { weightDecay: 0.01 });
    try {
      let step = 0;
      const seconds = await timings(async () => {
        await trainStep({ model, optimizer, batch, learningRate: 1e-5, maxGradNorm: 1, dropoutSeed: step++ });
      }, run);
      return { parameters: model.numParameters, seconds: seconds.reduce((a, b) => a + b) / seconds.length };
    } finally {
      optimizer.dispose();
    }
  } finally {
    model.dispose();
  }
}

/**
 * Why a tfjs backend ("native", "wasm", "cpu"…) cannot run a model size in a mode, if it cannot.
 *
 * @example
 * ```ts
 * import { BERT_BASE } from "./sizes.ts";
 * tooBigFor("cpu", { sizes: BERT_BASE, mode: "infer" }); // "pure-JS cpu: ~0.3–0.65 GFLOP/s, …"
 * ```
 */
export function tooBigFor(
  backend: string,
  comparison: { sizes: { hidden_size: number }; mode: "train" | "infer" },
): string | undefined {
  if (backend === "cpu" && comparison.sizes.hidden_size > 256) {
    return "pure-JS cpu: ~0.3–0.65 GFLOP/s, many minutes per BERT-base batch";
  }
  // Measured: the first step dies with "RuntimeError: memory access out of bounds" at the 4 GB heap limit.
  if (backend === "wasm" && comparison.mode === "train" && comparison.sizes.hidden_size > 256) {
    return "does not fit the 4 GB wasm heap (params + AdamW + activations)";
  }
  return undefined;
}

/** Runs PyTorch, then tfjs, on one comparison and puts the figures side by side. */
async function compare(comparison: Comparison, options?: BenchOptions): Promise<BenchFigures> {
  const run = repetitions(comparison, options);
  const backend = tf.getBackend() === "tensorflow" ? "native" : tf.getBackend();
  const { batchSize, seqLength, mode, sizes } = comparison;
  const figures: BenchFigures = {
    layers: run.layers,
    batch: `${batchSize}x${seqLength}`,
    "timed passes": run.steps,
  };
  const skipped = tooBigFor(backend, comparison);
  if (skipped) return { ...figures, skipped };
  const reference = await pytorchReference({
    batch: batchSize,
    seq: seqLength,
    vocab: BIOBERT_VOCAB_SIZE,
    hidden: sizes.hidden_size,
    heads: sizes.num_attention_heads,
    ffn: sizes.intermediate_size,
    labels: BC5CDR_LABELS.length,
    ...run,
    "train-only": mode === "train",
    "inference-only": mode === "infer",
  });
  const tfjs = await tfjsTimes(comparison, run);
  figures.parameters = tfjs.parameters;
  const peak = peakRssMB();
  const tokensPerSecond = (batchSize * seqLength) / tfjs.seconds;
  if (mode === "train") figures["step s"] = round(tfjs.seconds);
  else figures["tokens/s"] = Math.round(tokensPerSecond);
  if (mode === "train" && peak !== undefined) figures["peak RSS MB"] = peak;
  if ("unavailable" in reference) return { ...figures, PyTorch: reference.unavailable };
  if (mode === "train") {
    figures["PyTorch step s"] = round(reference.step_seconds!);
    figures["step time ratio"] = round(tfjs.seconds / reference.step_seconds!);
    figures["PyTorch peak RSS MB"] = reference.peak_rss_mb;
    if (peak !== undefined) figures["peak RSS ratio"] = round(peak / reference.peak_rss_mb);
  } else {
    figures["PyTorch tokens/s"] = Math.round(reference.infer_best_tokens_per_second!);
    figures["tokens/s ratio"] = round(tokensPerSecond / reference.infer_best_tokens_per_second!);
  }
  return { ...figures, "PyTorch settings": describeSettings(reference.settings) };
}

const MATMUL = { m: 1024, k: 768, n: 768 };

/** The benchmarks of the backend stage. */
export const benchmarks: Benchmark[] = [
  {
    name: "backend: matMul 1024x768·768x768 GFLOP/s (forward, and the two gradient layouts) vs PyTorch",
    perBackend: true,
    async run(options) {
      const { m, k, n } = MATMUL;
      const reps = options?.quick ? 1 : 3;
      const reference = await pytorchReference({ matmul: `${m},${k},${n}`, steps: reps });
      const figures: BenchFigures = {};
      // x·W (forward), dy·Wᵀ (input gradient), xᵀ·dy (weight gradient): each 2·m·k·n flops.
      const layouts: [string, number[], number[], boolean, boolean][] = [
        ["x·W", [m, k], [k, n], false, false],
        ["dy·Wᵀ", [m, n], [k, n], false, true],
        ["xᵀ·dy", [m, k], [m, n], true, false],
      ];
      for (const [label, aShape, bShape, transposeA, transposeB] of layouts) {
        const a = tf.randomNormal(aShape), b = tf.randomNormal(bShape);
        const seconds = await timings(async () => {
          const product = tf.matMul(a, b, transposeA, transposeB);
          await product.data();
          product.dispose();
        }, { steps: reps, warmup: 1 });
        const gflops = (2 * m * k * n) / Math.min(...seconds) / 1e9;
        figures[`${label} GFLOP/s`] = round(gflops);
        const torchGflops = "unavailable" in reference ? undefined : reference.matmul?.[label];
        if (torchGflops) figures[`PyTorch ${label} GFLOP/s`] = round(torchGflops);
        if (torchGflops) figures[`${label} ratio`] = round(gflops / torchGflops);
        tf.dispose([a, b]);
      }
      return "unavailable" in reference
        ? { ...figures, PyTorch: reference.unavailable }
        : { ...figures, "PyTorch settings": describeSettings(reference.settings) };
    },
  },
  ...([
    ["4x256 (cpu-small) forward vs PyTorch (batch 32x128)", {
      sizes: SMALL,
      batchSize: 32,
      seqLength: 128,
      mode: "infer",
    }],
    ["BERT-base forward vs PyTorch (12x768, batch 32x128)", {
      sizes: BERT_BASE,
      batchSize: 32,
      seqLength: 128,
      mode: "infer",
    }],
    ["BERT-base train step vs PyTorch (12x768, batch 8x128)", {
      sizes: BERT_BASE,
      batchSize: 8,
      seqLength: 128,
      mode: "train",
    }],
    ["BERT-base train step vs PyTorch (12x768, batch 32x128)", {
      sizes: BERT_BASE,
      batchSize: 32,
      seqLength: 128,
      mode: "train",
    }],
  ] as [string, Comparison][]).map(([name, comparison]): Benchmark => ({
    name: `backend: ${name}`,
    perBackend: true,
    run: (options) => compare(comparison, options),
  })),
];
