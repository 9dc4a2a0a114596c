/**
 * Inference runtimes side by side: forward passes of a BERT token classifier with random weights at one
 * batch shape (default 32×128, every token real) through tfjs (the backend initBackend() picks), ONNX
 * Runtime (the graph `deno task export-onnx` writes) and, when Debian's python3-torch is there, PyTorch
 * (lib/bench/bert_reference.py), all with the same thread count. Each figure is the fastest of `--steps`
 * passes (the least disturbed one on a shared machine). Prints one JSON line per size with the ratios to
 * PyTorch.
 *
 *     deno task bench-runtimes --sizes 4x256,base --steps 3
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend/mod.ts";
import { BertForTokenClassification } from "../model/bert.ts";
import { batchLogits } from "../model/batch_logits.ts";
import { makeBertConfig } from "../model/config.ts";
import { stateDictFromModel } from "../model/state_dict.ts";
import type { ScoringModel } from "../model/types.ts";
import { loadOnnxClassifier } from "../onnx/classifier.ts";
import { writeOnnxModel } from "../onnx/export.ts";
import type { TokenBatch } from "../tokenizer/types.ts";
import { BC5CDR_LABELS, BERT_BASE, BIOBERT_VOCAB_SIZE } from "../bench/sizes.ts";
import { pytorchReference } from "../bench/backend.ts";

/** The sizes measured: the cpu-small profile's 4 layers × 256 and BERT-base. */
const SIZES = {
  "4x256": { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  base: BERT_BASE,
} as const;

/** What is measured: batch shape, timed passes per model, threads. */
interface Shape {
  batchSize: number;
  seqLength: number;
  steps: number;
  threads: number;
}

/**
 * Tokens/s of each model's fastest forward pass, the models taking turns pass by pass so that a busy machine
 * disturbs them alike.
 */
async function fastestTokensPerSecond(
  models: ScoringModel[],
  batch: TokenBatch,
  { steps, batchSize, seqLength }: Shape,
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

/** PyTorch's fastest forward pass in tokens/s (lib/bench's reference run), or null where it cannot run. */
async function pytorch(
  size: keyof typeof SIZES,
  { batchSize, seqLength, steps, threads }: Shape,
): Promise<number | null> {
  const s = SIZES[size];
  const reference = await pytorchReference({
    "inference-only": true,
    batch: batchSize,
    seq: seqLength,
    steps,
    threads,
    hidden: s.hidden_size,
    layers: s.num_hidden_layers,
    heads: s.num_attention_heads,
    ffn: s.intermediate_size,
    vocab: BIOBERT_VOCAB_SIZE,
  });
  return "unavailable" in reference ? null : reference.infer_best_tokens_per_second;
}

/** Runs the command with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "4x256,base" },
      batch: { type: "string", default: "32" },
      seq: { type: "string", default: "128" },
      steps: { type: "string", default: "3" },
      threads: { type: "string", default: String(navigator.hardwareConcurrency) },
    },
  });
  const [batchSize, seqLength, steps, threads] = [values.batch, values.seq, values.steps, values.threads].map(
    Number,
  );
  const shape: Shape = { batchSize, seqLength, steps, threads };
  const backend = await initBackend();
  for (const size of values.sizes.split(",") as (keyof typeof SIZES)[]) {
    if (!(size in SIZES)) throw new Error(`--sizes: unknown size ${size} (${Object.keys(SIZES).join(", ")})`);
    const config = makeBertConfig({ ...SIZES[size], vocab_size: BIOBERT_VOCAB_SIZE }, {
      labels: BC5CDR_LABELS,
    });
    const model = BertForTokenClassification.create(config, { seed: 1 });
    const dir = await Deno.makeTempDir({ prefix: "bench-runtimes-" });
    try {
      await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
      await writeOnnxModel(join(dir, "onnx", "model.onnx"), config, await stateDictFromModel(model));
      const n = batchSize * seqLength;
      const batch: TokenBatch = {
        batchSize,
        seqLength,
        inputIds: Int32Array.from({ length: n }, (_, i) => 5 + ((i * 7919) % (BIOBERT_VOCAB_SIZE - 5))),
        attentionMask: new Int32Array(n).fill(1),
        tokenTypeIds: new Int32Array(n),
      };
      const onnxModel = await loadOnnxClassifier(dir, { threads });
      const [tfjs, onnx] = await fastestTokensPerSecond([model, onnxModel], batch, shape);
      model.dispose();
      onnxModel.dispose();
      const torch = await pytorch(size, shape);
      const ratio = (value: number) => torch ? Number((value / torch).toFixed(2)) : null;
      const round = (value: number | null) => value === null ? null : Math.round(value);
      console.log(JSON.stringify({
        size,
        shape: `${batchSize}x${seqLength}`,
        threads,
        tfjsBackend: backend.name,
        tokensPerSecond: { tfjs: round(tfjs), onnxruntime: round(onnx), pytorch: round(torch) },
        ratioToPytorch: { tfjs: ratio(tfjs), onnxruntime: ratio(onnx) },
        onnxOverTfjs: Number((onnx / tfjs).toFixed(2)),
      }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
