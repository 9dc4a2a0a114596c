/**
 * `deno task profile-kernels [--batch 32] [--seq 128] [--mode train|infer]`: where one BERT-base encoder layer's
 * time goes on the current tfjs backend — every kernel call timed, the model profiled at 2 and at 4 layers and
 * the difference halved, so that the embeddings, the classifier and set-up cancel out. Meaningful on the
 * native backend, whose kernels run synchronously (on WebGPU a kernel call only queues work). Prints one JSON
 * line: seconds a layer, kernel milliseconds a layer by kernel, the remainder (JS between kernels), and the
 * seconds and kernels of what is not in the layers (embeddings, classifier, loss, clipping, optimizer).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/backend/mod.ts";
import { tfjsTimes } from "../backend.ts";
import { BERT_BASE } from "../sizes.ts";
import { runCommand } from "../../lib/util/exit_error.ts";

/** Total milliseconds and calls by kernel name, while `counting` is on. */
const kernelTimes = new Map<string, { calls: number; ms: number }>();
let counting = false;

/** Wraps every kernel of `backend` with a timer (once per process). */
function timeKernels(backend: string): void {
  for (const kernel of tf.getKernelsForBackend(backend)) {
    const run = kernel.kernelFunc;
    tf.unregisterKernel(kernel.kernelName, backend);
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args) => {
        const started = performance.now();
        const result = run(args);
        if (counting) {
          const entry = kernelTimes.get(kernel.kernelName) ?? { calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += performance.now() - started;
          kernelTimes.set(kernel.kernelName, entry);
        }
        return result;
      },
    });
  }
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("profile-kernels", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      batch: { type: "string", default: "32" },
      seq: { type: "string", default: "128" },
      mode: { type: "string", default: "train" },
    },
  });
  const mode = values.mode as "train" | "infer";
  const [batchSize, seqLength] = [Number(values.batch), Number(values.seq)];
  if (
    (mode !== "train" && mode !== "infer") ||
    ![batchSize, seqLength].every((n) => Number.isInteger(n) && n > 0)
  ) {
    console.error("usage: deno task profile-kernels [--batch 32] [--seq 128] [--mode train|infer]");
    return 2;
  }
  const { name: backend } = await initBackend();
  timeKernels(tf.getBackend());
  // No untimed warm-up: kernel times and step times then cover the same passes (the first pass's one-off
  // costs are in both models and mostly cancel in the difference).
  const run = { steps: 3, warmup: 0 };
  const passes = run.steps;
  const profile = async (layers: number) => {
    kernelTimes.clear();
    counting = true;
    const comparison = {
      sizes: BERT_BASE,
      batchSize: Number(values.batch),
      seqLength: Number(values.seq),
      mode,
    };
    const { seconds } = await tfjsTimes(comparison, { layers, ...run });
    counting = false;
    return { seconds, kernels: new Map(kernelTimes) };
  };
  const [two, four] = [await profile(2), await profile(4)];
  // A layer's share: (4 layers − 2 layers) / 2, per pass (set-up, counted in both, cancels).
  const perLayer = [...four.kernels].map(([name, { calls, ms }]) => {
    const fewer = two.kernels.get(name) ?? { calls: 0, ms: 0 };
    return { name, ms: (ms - fewer.ms) / 2 / passes, calls: (calls - fewer.calls) / 2 / passes };
  }).sort((a, b) => b.ms - a.ms);
  const secondsPerLayer = (four.seconds - two.seconds) / 2;
  const kernelMs = perLayer.reduce((sum, k) => sum + k.ms, 0);
  // Outside the layers: embeddings, classifier, loss, gradient clipping and the optimizer's update of the rest.
  const outsideSeconds = two.seconds - 2 * secondsPerLayer;
  const outsideKernels = [...two.kernels].map(([name, { ms }]) => ({
    name,
    ms: ms / passes - 2 * (perLayer.find((k) => k.name === name)?.ms ?? 0),
  })).sort((a, b) => b.ms - a.ms);
  console.log(JSON.stringify({
    backend,
    mode,
    batch: `${values.batch}x${values.seq}`,
    secondsPerLayer: Number(secondsPerLayer.toFixed(3)),
    kernelMsPerLayer: Math.round(kernelMs),
    otherMsPerLayer: Math.round(secondsPerLayer * 1000 - kernelMs),
    byKernel: Object.fromEntries(
      perLayer.filter((k) => k.calls > 0).map((k) => [k.name, {
        ms: Number(k.ms.toFixed(1)),
        calls: Math.round(k.calls),
      }]),
    ),
    outsideLayersSeconds: Number(outsideSeconds.toFixed(3)),
    outsideLayersKernelMs: Object.fromEntries(
      outsideKernels.filter((k) => k.ms >= 5).map((k) => [k.name, Math.round(k.ms)]),
    ),
  }));
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
