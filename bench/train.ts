/**
 * Training throughput (non-padding tokens per second through forward + backward + clipping + AdamW) of the
 * `cpu-small` size on random token ids at 32 × 48 (a length-bucketed BC5CDR batch is ~30–60 WordPieces).
 * BERT-base's training step (8 × 128, with tokens/s) is timed once, beside PyTorch, in bench/backend.ts.
 *
 * @module
 */
import { BertForTokenClassification, makeBertConfig } from "../lib/model/mod.ts";
import { AdamW } from "../lib/train/optimizer.ts";
import { loadProfile, type ScratchModelConfig } from "../lib/train/profile.ts";
import { BC5CDR_LABELS, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import { SeededRandom } from "../lib/util/random.ts";
import { trainStep } from "../lib/train/step.ts";
import type { TokenBatch } from "../lib/tokenizer/types.ts";
import type { BenchFigures, Benchmark } from "./types.ts";

/** A labelled batch of random tokens, every position real (no padding). */
function randomBatch(batchSize: number, seqLength: number, seed: number): TokenBatch {
  const rng = new SeededRandom(seed);
  const size = batchSize * seqLength;
  return {
    batchSize,
    seqLength,
    inputIds: Int32Array.from({ length: size }, () => 5 + rng.nextInt(BIOBERT_VOCAB_SIZE - 5)),
    attentionMask: new Int32Array(size).fill(1),
    tokenTypeIds: new Int32Array(size),
    labels: Int32Array.from({ length: size }, () => rng.nextInt(BC5CDR_LABELS.length)),
  };
}

/**
 * Times `steps` training steps (after `warmup` untimed ones) of a model of `sizes` on `batchSize × seqLength`.
 *
 * @example
 * ```ts
 * declare const profile: any; // the example's inputs
 * const figures = await trainingThroughput({ sizes: profile.model.config, batchSize: 32, seqLength: 48, steps: 5 });
 * ```
 */
export async function trainingThroughput(options: {
  sizes: ScratchModelConfig;
  batchSize: number;
  seqLength: number;
  steps: number;
  warmup?: number;
}): Promise<BenchFigures> {
  const { batchSize, seqLength, steps, warmup = 1 } = options;
  const config = makeBertConfig({ ...options.sizes, vocab_size: BIOBERT_VOCAB_SIZE }, {
    labels: [...BC5CDR_LABELS],
  });
  const model = BertForTokenClassification.create(config, { seed: 1 });
  const optimizer = new AdamW(model.parameters);
  try {
    const batch = randomBatch(batchSize, seqLength, 7);
    const run = (k: number) =>
      trainStep({ model, optimizer, batch, learningRate: 1e-5, maxGradNorm: 1, dropoutSeed: k });
    for (let k = 0; k < warmup; k++) await run(k);
    const start = performance.now();
    let tokens = 0;
    for (let k = 0; k < steps; k++) tokens += (await run(warmup + k)).tokens;
    const seconds = (performance.now() - start) / 1000;
    return {
      parameters: model.numParameters,
      batch: `${batchSize}x${seqLength}`,
      "s/step": Math.round((seconds / steps) * 1000) / 1000,
      "tokens/s": Math.round(tokens / seconds),
    };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** The training benchmarks of `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "train: cpu-small step (4x256, batch 32x48)",
    perBackend: true,
    async run() {
      const profile = await loadProfile("cpu-small");
      if (profile.model.init !== "scratch") throw new Error("cpu-small is expected to train from scratch");
      return await trainingThroughput({
        sizes: profile.model.config,
        batchSize: 32,
        seqLength: 48,
        steps: 5,
      });
    },
  },
];
