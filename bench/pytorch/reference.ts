/**
 * The PyTorch side of the backend benchmarks: bench/pytorch/bert_reference.py run with Debian's python3-torch
 * (2 threads), and the BLAS library it loaded, named.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Debian's python3 (has torch), not the pyenv python3 that may come first on PATH. */
const PYTHON = "/usr/bin/python3";
const REFERENCE_SCRIPT = fileURLToPath(new URL("./bert_reference.py", import.meta.url));
/** PyTorch's thread count; tfjs native uses one per core (2 here) unless TF_NUM_INTRAOP_THREADS says otherwise. */
const REFERENCE_THREADS = 2;

/** What the PyTorch reference prints (null: not measured in that mode). */
export interface ReferenceFigures {
  torch: string;
  /** Paths of the BLAS libraries torch loaded. */
  blas: string;
  parameters: number;
  step_seconds: number | null;
  infer_best_tokens_per_second: number | null;
  peak_rss_mb: number;
  /** GFLOP/s by layout (`--matmul` only). */
  matmul?: Record<string, number>;
}

/**
 * Runs the PyTorch reference with `flags` (bert_reference.py's options; `threads` defaults to 2), or explains
 * why it cannot run.
 *
 * @example
 * ```ts
 * const reference = await pytorchReference({ matmul: "1024,768,768", steps: 3 });
 * ```
 */
export async function pytorchReference(
  flags: Record<string, string | number | boolean>,
): Promise<ReferenceFigures | { unavailable: string }> {
  const args = [REFERENCE_SCRIPT];
  const withThreads: Record<string, string | number | boolean> = { threads: REFERENCE_THREADS, ...flags };
  for (const [flag, value] of Object.entries(withThreads)) {
    if (value === true) args.push(`--${flag}`);
    else if (value !== false) args.push(`--${flag}`, `${value}`);
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
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
}

/**
 * The BLAS library in torch's loaded paths, by name. Debian's torch uses whichever libblas.so.3 is installed:
 * the netlib reference one is ~20× slower, which the name says.
 *
 * @example
 * ```ts
 * blasName("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"); // "OpenBLAS"
 * ```
 */
export function blasName(paths: string): string {
  if (/openblas/i.test(paths)) return "OpenBLAS";
  if (/\/blas\/libblas/.test(paths)) {
    return "reference netlib BLAS (slow: apt-get install libopenblas0-pthread)";
  }
  return paths;
}
