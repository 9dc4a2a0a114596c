/**
 * The PyTorch side of the benchmarks: the reference scripts of this folder (bert_reference.py,
 * bilstm_crf_reference.py) run with Debian's python3-torch, started one way only so that every figure beside
 * ours comes from a fairly configured PyTorch: `OMP_WAIT_POLICY=PASSIVE` (with GNU OpenMP's default spinning,
 * torch's threads fight OpenBLAS's on a small machine and it runs 2–14× slower), `OPENBLAS_CORETYPE` and
 * `OPENBLAS_L2_SIZE` removed (a machine's environment may pin a core type or cache size other than the CPU's),
 * both for that process only, and our thread count. Each script reports the settings it saw; they are checked
 * against these, printed once per process and kept in the figures.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { fileURLToPath } from "node:url";
import { backendThreads } from "../../lib/backend/threads.ts";

/** Debian's python3 (has torch), not the pyenv python3 that may come first on PATH. */
const PYTHON = "/usr/bin/python3";

/** Variables set for the reference process. */
export const REFERENCE_SET: Readonly<Record<string, string>> = { OMP_WAIT_POLICY: "PASSIVE" };
/** Variables removed from the reference process's environment. */
export const REFERENCE_UNSET: readonly string[] = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

/** How to install what the references need, for the messages of a reference that cannot run. */
const INSTALL = "apt-get install -y python3-torch libopenblas0-pthread";

/** What every reference reports of how it ran (settings.py). */
export interface ReferenceSettings {
  torch: string;
  threads: number;
  /** The watched variables as the process saw them (null: unset). */
  env: Record<string, string | null>;
  /** Paths of the BLAS libraries torch loaded. */
  blas: string;
}

/**
 * The command line (argv) that starts `/usr/bin/python3 args…` with the reference settings: `env -u …`
 * removes and sets variables for that process only, nothing of ours changes.
 *
 * @example
 * ```ts
 * referenceArgv(["-c", "print(1)"]);
 * // ["/usr/bin/env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY=PASSIVE", "/usr/bin/python3", "-c", "print(1)"]
 * ```
 */
export function referenceArgv(args: readonly string[]): string[] {
  return [
    "/usr/bin/env",
    ...REFERENCE_UNSET.flatMap((name) => ["-u", name]),
    ...Object.entries(REFERENCE_SET).map(([name, value]) => `${name}=${value}`),
    PYTHON,
    ...args,
  ];
}

/**
 * Our thread count: that of the tfjs backend running (`TF_NUM_INTRAOP_THREADS`, else one per core, for
 * native), the core count where the backend has no thread count of its own (WebGPU).
 *
 * @example
 * ```ts
 * ourThreads(); // 2 on a 2-core machine with the native backend
 * ```
 */
export function ourThreads(): number {
  const backend = tf.getBackend() === "tensorflow" ? "native" : tf.getBackend();
  return backendThreads(backend) ?? navigator.hardwareConcurrency;
}

/**
 * Why `settings` are not the ones asked for (`threads` and the reference variables), or undefined.
 *
 * @example
 * ```ts
 * const env = { OMP_WAIT_POLICY: "PASSIVE", OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null };
 * settingsProblem({ torch: "1.13", threads: 2, env, blas: "" }, 2); // undefined
 * settingsProblem({ torch: "1.13", threads: 1, env, blas: "" }, 2); // "PyTorch ran with 1 threads, not 2"
 * ```
 */
export function settingsProblem(settings: ReferenceSettings, threads: number): string | undefined {
  if (settings.threads !== threads) return `PyTorch ran with ${settings.threads} threads, not ${threads}`;
  for (const [name, value] of Object.entries(REFERENCE_SET)) {
    if (settings.env[name] !== value) return `PyTorch saw ${name}=${settings.env[name]}, not ${value}`;
  }
  const left = REFERENCE_UNSET.filter((name) => settings.env[name] != null);
  return left.length > 0 ? `PyTorch still saw ${left.join(", ")}` : undefined;
}

/**
 * The settings in one line, as the figures keep them.
 *
 * @example
 * ```ts
 * const env = { OMP_WAIT_POLICY: "PASSIVE", OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null };
 * describeSettings({ torch: "1.13.0", threads: 2, env, blas: "/usr/lib/libopenblas.so" });
 * // "torch 1.13.0, 2 threads, OMP_WAIT_POLICY=PASSIVE, OPENBLAS_CORETYPE unset, OPENBLAS_L2_SIZE unset, OpenBLAS"
 * ```
 */
export function describeSettings(settings: ReferenceSettings): string {
  const variables = Object.entries(settings.env)
    .filter(([name, value]) => value !== null || REFERENCE_UNSET.includes(name))
    .map(([name, value]) => value === null ? `${name} unset` : `${name}=${value}`);
  return [`torch ${settings.torch}`, `${settings.threads} threads`, ...variables, blasName(settings.blas)]
    .join(", ");
}

let settingsPrinted = false;

/**
 * Runs `script` (a file of this folder) with `flags` (`--name value`; `true` alone, `false` left out) and
 * `--threads` (ours unless given), and returns its last stdout line parsed, or why it could not run.
 *
 * @example
 * ```ts
 * const figures = await runReference("bert_reference.py", { matmul: "1024,768,768", steps: 3 });
 * ```
 */
export async function runReference<T extends { settings: ReferenceSettings }>(
  script: string,
  flags: Record<string, string | number | boolean>,
): Promise<T | { unavailable: string }> {
  const threads = Number(flags.threads ?? ourThreads());
  const args = [fileURLToPath(new URL(script, import.meta.url))];
  const withThreads: Record<string, string | number | boolean> = { ...flags, threads };
  for (const [flag, value] of Object.entries(withThreads)) {
    if (value === true) args.push(`--${flag}`);
    else if (value !== false) args.push(`--${flag}`, `${value}`);
  }
  const [command, ...argv] = referenceArgv(args);
  console.error(`[bench] PyTorch reference: ${argv.join(" ")}`);
  const output = await new Deno.Command(command, { args: argv, stdout: "piped", stderr: "piped" }).output()
    .catch((error) => ({
      success: false,
      stdout: new Uint8Array(),
      stderr: new TextEncoder().encode(error.message),
    }));
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim().split("\n").pop();
    const hint = /No module named 'torch'|No such file/.test(why ?? "") ? ` (${INSTALL})` : "";
    return { unavailable: `PyTorch reference failed: ${why}${hint}` };
  }
  const result: T = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
  const problem = settingsProblem(result.settings, threads);
  if (problem) return { unavailable: `${problem}: not a fair reference` };
  if (!settingsPrinted) console.error(`[bench] PyTorch settings: ${describeSettings(result.settings)}`);
  settingsPrinted = true;
  return result;
}

/** What bert_reference.py prints (null: not measured in that mode). */
export interface BertReferenceFigures {
  settings: ReferenceSettings;
  parameters: number;
  step_seconds: number | null;
  infer_best_tokens_per_second: number | null;
  peak_rss_mb: number;
  /** GFLOP/s by layout (`--matmul` only). */
  matmul?: Record<string, number>;
}

/**
 * Runs the BERT reference (bert_reference.py) with `flags`, or explains why it cannot run.
 *
 * @example
 * ```ts
 * const reference = await pytorchReference({ matmul: "1024,768,768", steps: 3 });
 * ```
 */
export function pytorchReference(
  flags: Record<string, string | number | boolean>,
): Promise<BertReferenceFigures | { unavailable: string }> {
  return runReference<BertReferenceFigures>("bert_reference.py", flags);
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
