/**
 * Backend benchmarks: raw matMul throughput in the three layouts a dense layer's forward and backward use,
 * and a BERT-base token classifier (12×768, 12 heads, FFN 3072, vocab 28996) — training step time at batch
 * 8×128 (forward with dropout + backward + clipping + AdamW, lib/train/step.ts) and inference tokens/s —
 * side by side with the same model in plain PyTorch on the same machine (lib/bench/bert_reference.py,
 * 2 threads). Ratios are tfjs time ÷ PyTorch time (1.0 = as fast, 2.0 = twice as slow).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { AdamW } from "../train/optimizer.ts";
import { trainStep } from "../train/step.ts";
import { BC5CDR_LABELS, BERT_BASE as SIZES, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";
import { envValue } from "../util/config.ts";

/** BERT-base as BioBERT has it; `--quick` keeps the widths and cuts the depth to 2 layers. */
const BERT_BASE = {
  vocab: BIOBERT_VOCAB_SIZE,
  hidden: SIZES.hidden_size,
  layers: SIZES.num_hidden_layers,
  heads: SIZES.num_attention_heads,
  ffn: SIZES.intermediate_size,
  labels: BC5CDR_LABELS.length,
};
const BATCH = 8, SEQ = 128;
/** Debian's python3 (has torch), not the pyenv python3 that may come first on PATH. */
const PYTHON = "/usr/bin/python3";
const REFERENCE_SCRIPT = fileURLToPath(new URL("./bert_reference.py", import.meta.url));

const round = (value: number, digits = 3) => Number(value.toPrecision(digits));

/** Sizes and repetitions of one run. */
interface BertRun {
  layers: number;
  steps: number;
  warmup: number;
}

const bertRun = (options?: BenchOptions): BertRun =>
  options?.quick ? { layers: 2, steps: 1, warmup: 1 } : { layers: BERT_BASE.layers, steps: 3, warmup: 1 };

/** What the PyTorch reference prints. */
interface ReferenceFigures {
  torch: string;
  /** Paths of the BLAS libraries torch loaded. */
  blas: string;
  parameters: number;
  step_seconds: number;
  infer_tokens_per_second: number;
  peak_rss_mb: number;
}

/**
 * Runs the PyTorch reference, once per `deno task bench` run (cached under data/cache/bench/ by the run id
 * the harness sets), or explains why it cannot run.
 *
 * @example
 * ```ts
 * const reference = await pytorchReference({ layers: 2, steps: 1, warmup: 1 });
 * ```
 */
export async function pytorchReference(run: BertRun): Promise<ReferenceFigures | { unavailable: string }> {
  const runId = envValue("NER_BENCH_RUN");
  const cache = runId
    ? join("data/cache/bench", `pytorch-${runId}-${run.layers}x${run.steps}.json`)
    : undefined;
  if (cache) {
    const cached = await Deno.readTextFile(cache).catch(() => undefined);
    if (cached) return JSON.parse(cached);
  }
  const { vocab, hidden, heads, ffn, labels } = BERT_BASE;
  const args = [REFERENCE_SCRIPT, "--threads", "2", "--batch", `${BATCH}`, "--seq", `${SEQ}`];
  for (const [flag, value] of Object.entries({ vocab, hidden, heads, ffn, labels, ...run })) {
    args.push(`--${flag}`, `${value}`);
  }
  console.error(`[bench] PyTorch reference: ${PYTHON} ${args.slice(1).join(" ")}`);
  const output = await new Deno.Command(PYTHON, { args, stdout: "piped", stderr: "piped" }).output()
    .catch((error) => ({
      success: false,
      stdout: new Uint8Array(),
      stderr: new TextEncoder().encode(error.message),
    }));
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim().split("\n").pop();
    return { unavailable: `PyTorch reference failed: ${why}` };
  }
  const figures: ReferenceFigures = JSON.parse(
    new TextDecoder().decode(output.stdout).trim().split("\n").pop()!,
  );
  if (cache) {
    await Deno.mkdir("data/cache/bench", { recursive: true });
    await Deno.writeTextFile(cache, JSON.stringify(figures));
  }
  return figures;
}

/** Debian's torch uses whichever libblas.so.3 is installed: the netlib reference one is ~20× slower. */
function blasName(paths: string): string {
  if (/openblas/i.test(paths)) return "OpenBLAS";
  if (/\/blas\/libblas/.test(paths)) {
    return "reference netlib BLAS (slow: apt-get install libopenblas0-pthread)";
  }
  return paths;
}

/** A labelled batch of pseudo-random token ids, every position real. */
function syntheticBatch(): TokenBatch {
  const size = BATCH * SEQ;
  return {
    batchSize: BATCH,
    seqLength: SEQ,
    inputIds: Int32Array.from({ length: size }, (_, i) => 5 + ((i * 7919) % (BERT_BASE.vocab - 5))),
    attentionMask: new Int32Array(size).fill(1),
    tokenTypeIds: new Int32Array(size),
    labels: Int32Array.from({ length: size }, (_, i) => (i * 31) % BERT_BASE.labels),
  };
}

/** Mean seconds of `steps` calls of `fn` after `warmup` untimed ones. */
async function secondsPer(fn: () => Promise<void> | void, run: BertRun): Promise<number> {
  for (let i = 0; i < run.warmup; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < run.steps; i++) await fn();
  return (performance.now() - start) / 1000 / run.steps;
}

/**
 * Times the tfjs BERT on the current backend: a training step (unless `train` is false) and inference.
 *
 * @example
 * ```ts
 * declare const initBackend: any; // the example's inputs
 * await initBackend();
 * const { stepSeconds, inferTokensPerSecond } = await tfjsBertTimes({ layers: 2, steps: 1, warmup: 1 }, true);
 * ```
 */
export async function tfjsBertTimes(
  run: BertRun,
  train: boolean,
): Promise<{ parameters: number; stepSeconds?: number; inferTokensPerSecond: number }> {
  const { vocab, hidden, heads, ffn } = BERT_BASE;
  const config = makeBertConfig({
    vocab_size: vocab,
    hidden_size: hidden,
    num_hidden_layers: run.layers,
    num_attention_heads: heads,
    intermediate_size: ffn,
  }, { labels: [...BC5CDR_LABELS] });
  const model = BertForTokenClassification.create(config, { seed: 1 });
  const optimizer = new AdamW(model.parameters, { weightDecay: 0.01 });
  const batch = syntheticBatch();
  try {
    let step = 0;
    const stepSeconds = train
      ? await secondsPer(async () => {
        await trainStep({ model, optimizer, batch, learningRate: 1e-5, maxGradNorm: 1, dropoutSeed: step++ });
      }, run)
      : undefined;
    const inferSeconds = await secondsPer(async () => {
      const logits = model.forward(batch, { training: false });
      await logits.data();
      logits.dispose();
    }, run);
    return {
      parameters: model.numParameters,
      stepSeconds,
      inferTokensPerSecond: (BATCH * SEQ) / inferSeconds,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Why a backend cannot run BERT-base training or inference in a bench run, if it cannot. */
function tooBigFor(backend: string): { train?: string; infer?: string } {
  if (backend === "cpu") {
    const why = "pure-JS cpu: ~0.3–0.65 GFLOP/s, many minutes per BERT-base batch";
    return { train: why, infer: why };
  }
  // Measured: the first step dies with "RuntimeError: memory access out of bounds" at the 4 GB heap limit.
  if (backend === "wasm") return { train: "does not fit the 4 GB wasm heap (params + AdamW + activations)" };
  return {};
}

const MATMUL = { m: 1024, k: 768, n: 768 };

/** The benchmarks of the backend stage. */
export const benchmarks: Benchmark[] = [
  {
    name: "backend: matMul 1024x768·768x768 GFLOP/s (forward, and the two gradient layouts)",
    perBackend: true,
    async run(options) {
      const { m, k, n } = MATMUL;
      const reps = options?.quick ? 1 : 3;
      const figures: BenchFigures = {};
      // x·W (forward), dy·Wᵀ (input gradient), xᵀ·dy (weight gradient): each 2·m·k·n flops.
      const layouts: [string, number[], number[], boolean, boolean][] = [
        ["x·W", [m, k], [k, n], false, false],
        ["dy·Wᵀ", [m, n], [k, n], false, true],
        ["xᵀ·dy", [m, k], [m, n], true, false],
      ];
      for (const [label, aShape, bShape, transposeA, transposeB] of layouts) {
        const a = tf.randomNormal(aShape), b = tf.randomNormal(bShape);
        const seconds = await secondsPer(async () => {
          const product = tf.matMul(a, b, transposeA, transposeB);
          await product.data();
          product.dispose();
        }, { layers: 0, steps: reps, warmup: 1 });
        figures[`${label} GFLOP/s`] = round((2 * m * k * n) / seconds / 1e9);
        tf.dispose([a, b]);
      }
      return figures;
    },
  },
  {
    name: "backend: BERT-base train step + inference vs PyTorch (12x768, batch 8x128)",
    perBackend: true,
    async run(options) {
      const run = bertRun(options);
      const backend = tf.getBackend() === "tensorflow" ? "native" : tf.getBackend();
      const limits = tooBigFor(backend);
      const figures: BenchFigures = { layers: run.layers, "timed steps": run.steps };
      if (limits.train && limits.infer) return { ...figures, skipped: limits.train };
      const reference = await pytorchReference(run);
      const tfjs = await tfjsBertTimes(run, !limits.train);
      figures.parameters = tfjs.parameters;
      if (tfjs.stepSeconds !== undefined) {
        figures["step s"] = round(tfjs.stepSeconds);
        figures["train tokens/s"] = Math.round((BATCH * SEQ) / tfjs.stepSeconds);
      } else figures["step"] = `skipped: ${limits.train}`;
      figures["infer tokens/s"] = Math.round(tfjs.inferTokensPerSecond);
      if ("unavailable" in reference) return { ...figures, PyTorch: reference.unavailable };
      figures["PyTorch step s"] = round(reference.step_seconds);
      if (tfjs.stepSeconds !== undefined) {
        figures["step ratio"] = round(tfjs.stepSeconds / reference.step_seconds);
      }
      figures["PyTorch infer tokens/s"] = Math.round(reference.infer_tokens_per_second);
      figures["infer ratio"] = round(reference.infer_tokens_per_second / tfjs.inferTokensPerSecond);
      figures["PyTorch peak RSS MB"] = reference.peak_rss_mb;
      figures["PyTorch BLAS"] = blasName(reference.blas);
      return figures;
    },
  },
];
