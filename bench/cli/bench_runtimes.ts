/**
 * Inference runtimes side by side (bench/runtimes.ts) at any batch shape (default 32×128): tfjs (the
 * backend initBackend() picks), ONNX Runtime and, when Debian's python3-torch is there, PyTorch, all with the
 * same thread count (PyTorch with the settings of bench/pytorch/reference.ts); each figure the fastest of
 * `--steps` passes. Prints one JSON line per size with the
 * ratios to PyTorch. (`deno task bench` runs the same at 32×128.)
 *
 *     deno task bench-runtimes --sizes 4x256,base --steps 3
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/backend/mod.ts";
import { type RuntimeSize, runtimeTokensPerSecond } from "../runtimes.ts";
import { runCommand } from "../../lib/util/exit_error.ts";

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("bench-runtimes", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
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
  const shape = { batchSize, seqLength, steps, threads };
  const backend = await initBackend();
  for (const size of values.sizes.split(",") as RuntimeSize[]) {
    const { tfjs, onnx, onnxQ8, pytorch, pytorchSettings } = await runtimeTokensPerSecond(size, shape);
    const ratio = (value: number) => pytorch ? Number((value / pytorch).toFixed(2)) : null;
    const round = (value: number | null) => value === null ? null : Math.round(value);
    console.log(JSON.stringify({
      size,
      shape: `${batchSize}x${seqLength}`,
      threads,
      tfjsBackend: backend.name,
      tokensPerSecond: {
        tfjs: round(tfjs),
        onnxruntime: round(onnx),
        onnxruntimeQ8: round(onnxQ8),
        pytorch: round(pytorch),
      },
      ratioToPytorch: { tfjs: ratio(tfjs), onnxruntime: ratio(onnx) },
      pytorchSettings: pytorchSettings ?? null,
      onnxOverTfjs: Number((onnx / tfjs).toFixed(2)),
      onnxQ8OverOnnx: Number((onnxQ8 / onnx).toFixed(2)),
    }));
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
