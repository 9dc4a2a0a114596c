/**
 * `deno task gpu-check`: on a machine with a GPU, one command that says what it is and how fast we train on
 * it. Reports the WebGPU adapter (a software one — llvmpipe/lavapipe, SwiftShader, WARP — is named as such,
 * never as a GPU) and the NVIDIA driver, then trains the biobert profile's architecture (BERT-base, random
 * weights, BioBERT vocabulary, BC5CDR labels) for a fixed number of steps on `webgpu` (whenever an adapter
 * exists) and on `gpu` (tfjs-node-gpu, where it is installed), each in its own process, and prints tokens/s,
 * s/step, peak RSS and peak device memory.
 *
 *     deno task gpu-check                                   # 12 layers, batch 32 x 128, 2 + 10 steps
 *     deno task gpu-check --layers 1 --batch 2 --seq 16 --steps 2 --warmup 1   # a software adapter: minutes
 *
 * stderr: the report. stdout: the JSON summary (last line). Exit status 1 when a training run failed.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  BACKEND_ENV,
  deviceMemory,
  initBackend,
  nativeInstalled,
  tfjsNodePackageDir,
} from "../../lib/backend/mod.ts";
import { isSoftwareAdapter, probeWebgpuAdapter } from "../../lib/backend/webgpu.ts";
import { BERT_BASE } from "../sizes.ts";
import { trainingThroughput } from "../train.ts";
import type { BenchFigures } from "../types.ts";
import { loadProfile } from "../../lib/train/profile.ts";
import { peakRssMB } from "./bench.ts";
import { runCommand } from "../../lib/util/exit_error.ts";

const USAGE =
  `usage: deno task gpu-check [--steps N] [--warmup N] [--batch N] [--seq N] [--layers N] [--timeout S]
  --steps     timed training steps (default 10)       --warmup  untimed steps first (default 2)
  --batch     sentences per batch (default: the biobert profile's batchSize, 32)
  --seq       tokens per sentence (default: the biobert profile's maxLength, 128)
  --layers    encoder layers (default 12, BERT-base); fewer for a quick check on a software adapter
  --timeout   seconds per training run (default 3600)`;

const NVIDIA_DRIVER_FILE = "/proc/driver/nvidia/version";

/** One backend's training run, as the child reports it. */
interface TrainRun {
  backend: string;
  detail?: string;
  figures?: BenchFigures;
  peakRssMB?: number;
  /** tfjs-webgpu's buffer pool (freed buffers are kept for reuse: its size is the peak). */
  deviceMB?: number;
  /** What nvidia-smi says this process holds (TensorFlow's allocator keeps its peak). */
  nvidiaMB?: number;
  error?: string;
}

/** The sizes trained: BERT-base with `layers` encoder layers, the biobert profile's batch unless overridden. */
interface CheckSizes {
  layers: number;
  batch: number;
  seq: number;
  steps: number;
  warmup: number;
}

/** The adapter in words, and whether it is a GPU at all. */
async function describeAdapter(): Promise<{ webgpu: string; isGpu: boolean; present: boolean }> {
  const probe = await probeWebgpuAdapter();
  if ("why" in probe) return { webgpu: `none (${probe.why})`, isGpu: false, present: false };
  const { info } = probe;
  const name = `${info.description || "unnamed adapter"} (vendor ${info.vendor})`;
  if (isSoftwareAdapter(info)) {
    return { webgpu: `${name}: a software renderer on the CPU, NOT a GPU`, isGpu: false, present: true };
  }
  return { webgpu: `${name}: a GPU`, isGpu: true, present: true };
}

/** Memory nvidia-smi reports for process `pid`, MB, or undefined without nvidia-smi or without an entry. */
async function nvidiaProcessMB(pid: number): Promise<number | undefined> {
  const output = await new Deno.Command("nvidia-smi", {
    args: ["--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!output?.success) return undefined;
  const row = new TextDecoder().decode(output.stdout).split("\n")
    .map((line) => line.split(",").map((cell) => cell.trim()))
    .find(([rowPid]) => rowPid === String(pid));
  return row ? Number(row[1]) : undefined;
}

/** Child mode: trains on the backend NER_BACKEND forces and prints one {@link TrainRun} JSON line. */
async function runChild(sizes: CheckSizes): Promise<void> {
  const choice = await initBackend();
  const figures = await trainingThroughput({
    sizes: { ...BERT_BASE, num_hidden_layers: sizes.layers },
    batchSize: sizes.batch,
    seqLength: sizes.seq,
    steps: sizes.steps,
    warmup: sizes.warmup,
  });
  const device = deviceMemory();
  const run: TrainRun = {
    backend: choice.name,
    detail: choice.detail,
    figures,
    peakRssMB: peakRssMB(),
    deviceMB: device && Math.round(device.allocated / 2 ** 20),
    nvidiaMB: choice.name === "gpu" ? await nvidiaProcessMB(Deno.pid) : undefined,
  };
  console.log(JSON.stringify(run));
}

/** Runs the child for `backend` with a time limit; a failure becomes a run with `error`. */
async function trainOn(backend: string, args: string[], timeoutSeconds: number): Promise<TrainRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fileURLToPath(import.meta.url), "--child", ...args],
    env: { [BACKEND_ENV]: backend },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
  const output = await child.output().finally(() => clearTimeout(timer));
  const lastLine = new TextDecoder().decode(output.stdout).trim().split("\n").pop() ?? "";
  if (!output.success) {
    const why = output.signal === "SIGKILL"
      ? `killed after ${timeoutSeconds} s (--timeout)`
      : `exit ${output.code}`;
    return { backend, error: `${why}; its stderr is above` };
  }
  return JSON.parse(lastLine);
}

/** Why tfjs-node-gpu cannot be tried here, or undefined when it can. */
function gpuBackendMissing(): string | undefined {
  if (!existsSync(NVIDIA_DRIVER_FILE)) return "no NVIDIA driver";
  const dir = tfjsNodePackageDir("@tensorflow/tfjs-node-gpu");
  if (!dir || !nativeInstalled(dir)) {
    return "tfjs-node-gpu is not installed (deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu; " +
      "`deno task doctor` lists the CUDA libraries it needs)";
  }
  return undefined;
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} ${value}: expected a positive integer`);
  return n;
}

function formatRun(run: TrainRun): string {
  if (run.error) return `${run.backend}: FAILED (${run.error})`;
  const f = run.figures!;
  const memory = [
    run.peakRssMB !== undefined && `peak RSS ${run.peakRssMB} MB`,
    run.deviceMB !== undefined && `device ${run.deviceMB} MB (tfjs buffer pool)`,
    run.nvidiaMB !== undefined && `device ${run.nvidiaMB} MB (nvidia-smi)`,
  ].filter(Boolean).join(", ");
  return `${run.backend}: ${f["tokens/s"]} tokens/s, ${f["s/step"]} s/step (batch ${f.batch}, ` +
    `${f.parameters} parameters); ${memory} — ${run.detail}`;
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("gpu-check", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      steps: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      batch: { type: "string" },
      seq: { type: "string" },
      layers: { type: "string", default: String(BERT_BASE.num_hidden_layers) },
      timeout: { type: "string", default: "3600" },
      child: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.error(USAGE), 0;
  const profile = await loadProfile("biobert");
  const sizes: CheckSizes = {
    layers: positiveInteger(values.layers, "layers"),
    batch: positiveInteger(values.batch ?? String(profile.batchSize), "batch"),
    seq: positiveInteger(values.seq ?? String(profile.maxLength), "seq"),
    steps: positiveInteger(values.steps, "steps"),
    warmup: values.warmup === "0" ? 0 : positiveInteger(values.warmup, "warmup"),
  };
  if (values.child) return await runChild(sizes), 0;

  const adapter = await describeAdapter();
  const driver = existsSync(NVIDIA_DRIVER_FILE)
    ? Deno.readTextFileSync(NVIDIA_DRIVER_FILE).split("\n")[0].trim()
    : "none";
  console.error(`WebGPU adapter: ${adapter.webgpu}`);
  console.error(`NVIDIA driver:  ${driver}`);
  console.error(
    `training BERT-base (biobert profile's architecture, random weights) with ${sizes.layers} layers, ` +
      `batch ${sizes.batch}x${sizes.seq}, ${sizes.warmup} + ${sizes.steps} steps`,
  );
  const childArgs = Object.entries(sizes).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
  const timeoutSeconds = positiveInteger(values.timeout, "timeout");
  const runs: TrainRun[] = [];
  const skipped: { backend: string; why: string }[] = [];
  if (adapter.present) runs.push(await trainOn("webgpu", childArgs, timeoutSeconds));
  else skipped.push({ backend: "webgpu", why: adapter.webgpu });
  const gpuMissing = gpuBackendMissing();
  if (gpuMissing) skipped.push({ backend: "gpu", why: gpuMissing });
  else runs.push(await trainOn("gpu", childArgs, timeoutSeconds));

  console.error("\nsummary");
  console.error(`  GPU: ${adapter.isGpu ? adapter.webgpu : driver !== "none" ? driver : "none found"}`);
  for (const run of runs) console.error(`  ${formatRun(run)}`);
  for (const { backend, why } of skipped) console.error(`  ${backend}: not run (${why})`);
  console.log(JSON.stringify({ adapter: adapter.webgpu, gpu: adapter.isGpu, driver, sizes, runs, skipped }));
  return runs.some((run) => run.error) ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
