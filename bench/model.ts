/**
 * Model-stage benchmarks: how long a BERT-base-size token classifier (108 M parameters, 431 MB in float32)
 * takes to be saved and loaded from model.safetensors and pytorch_model.bin (the latter written by PyTorch when
 * Debian's python3-torch is installed). `--quick` uses a 4-layer, 256-wide model instead.
 *
 * @module
 */
import { join } from "node:path";
import { initBackend } from "../lib/backend/mod.ts";
import {
  BertForTokenClassification,
  makeBertConfig,
  modelFromStateDict,
  readPytorchCheckpoint,
  readSafetensors,
  type StateDict,
  stateDictFromModel,
  writeSafetensors,
} from "../lib/model/mod.ts";
import { referenceArgv } from "./pytorch/reference.ts";
import { BC5CDR_LABELS, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";

function benchConfig(options?: BenchOptions) {
  const size = options?.quick
    ? { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 }
    : {};
  return makeBertConfig({ vocab_size: BIOBERT_VOCAB_SIZE, ...size }, { labels: [...BC5CDR_LABELS] });
}

const seconds = (start: number) => Number(((performance.now() - start) / 1000).toFixed(2));

async function timeLoad(path: string, read: (path: string) => Promise<StateDict>, options?: BenchOptions) {
  const megabytes = (await Deno.stat(path)).size / 1e6;
  let start = performance.now();
  const stateDict = await read(path);
  const readSeconds = seconds(start);
  start = performance.now();
  const { model } = modelFromStateDict(benchConfig(options), stateDict);
  const buildSeconds = seconds(start);
  model.dispose();
  return { MB: Math.round(megabytes), "read s": readSeconds, "build s": buildSeconds };
}

async function safetensorsRoundTrip(options?: BenchOptions): Promise<BenchFigures> {
  const { name: backend } = await initBackend();
  const dir = await Deno.makeTempDir({ prefix: "bench-model-" });
  try {
    const model = BertForTokenClassification.create(benchConfig(options), { seed: 1 });
    const path = join(dir, "model.safetensors");
    const start = performance.now();
    await writeSafetensors(path, await stateDictFromModel(model));
    const writeSeconds = seconds(start);
    model.dispose();
    return {
      backend,
      parameters: model.numParameters,
      "write s": writeSeconds,
      ...await timeLoad(path, readSafetensors, options),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** PyTorch writes a random state dict of the benchmark's size (the time it takes is not counted). */
async function pytorchLoad(options?: BenchOptions): Promise<BenchFigures> {
  const { name: backend } = await initBackend();
  const dir = await Deno.makeTempDir({ prefix: "bench-model-" });
  try {
    const config = benchConfig(options);
    const script = `
import json, sys, torch
from collections import OrderedDict
c = json.loads(sys.argv[1]); h, f = c["hidden_size"], c["intermediate_size"]
sd = OrderedDict()
def add(name, *shape): sd[name] = torch.randn(*shape) * 0.02
add("bert.embeddings.word_embeddings.weight", c["vocab_size"], h)
add("bert.embeddings.position_embeddings.weight", c["max_position_embeddings"], h)
add("bert.embeddings.token_type_embeddings.weight", c["type_vocab_size"], h)
add("bert.embeddings.LayerNorm.weight", h); add("bert.embeddings.LayerNorm.bias", h)
for i in range(c["num_hidden_layers"]):
    p = f"bert.encoder.layer.{i}."
    for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
        add(p + n + ".weight", h, h); add(p + n + ".bias", h)
    for n in ("attention.output.LayerNorm", "output.LayerNorm"):
        add(p + n + ".weight", h); add(p + n + ".bias", h)
    add(p + "intermediate.dense.weight", f, h); add(p + "intermediate.dense.bias", f)
    add(p + "output.dense.weight", h, f); add(p + "output.dense.bias", h)
torch.save(sd, sys.argv[2])
`;
    const path = join(dir, "pytorch_model.bin");
    const [command, ...args] = referenceArgv(["-c", script, JSON.stringify(config), path]);
    const { code, stderr } = await new Deno.Command(command, {
      args,
      stdout: "null",
      stderr: "piped",
    }).output().catch(() => ({ code: -1, stderr: new TextEncoder().encode("/usr/bin/python3 not found") }));
    if (code !== 0) {
      return {
        skipped: `PyTorch unavailable: ${new TextDecoder().decode(stderr).trim().split("\n").at(-1)}`,
      };
    }
    return { backend, ...await timeLoad(path, readPytorchCheckpoint, options) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The model stage's benchmarks. */
export const benchmarks: Benchmark[] = [
  {
    name: "model: BERT-base weights → model.safetensors → model (write, read, build)",
    run: safetensorsRoundTrip,
  },
  { name: "model: BERT-base pytorch_model.bin (torch.save zip) → model (read, build)", run: pytorchLoad },
];
