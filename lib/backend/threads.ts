/**
 * How many CPU threads a backend computes with, so that throughput figures can be read on another machine,
 * and the batch jobs' thread setting.
 *
 * @module
 */
import { envRecord, envValue, setEnv } from "../util/config.ts";

/** libtensorflow's intra-op thread count (read by TensorFlow 1.15 and 2.x when its thread pool starts). */
export const INTRA_OP_THREADS_ENV = "TF_NUM_INTRAOP_THREADS";

/**
 * The CPU threads one op of `backend` uses: libtensorflow's intra-op pool for `native` and `gpu` (host ops)
 * — `TF_NUM_INTRAOP_THREADS`, else one per core —, 1 for `wasm` (no threads under Deno) and `cpu` (pure JS),
 * `null` for `webgpu` (the adapter's own parallelism).
 *
 * @example
 * ```ts
 * backendThreads("native", { TF_NUM_INTRAOP_THREADS: "4" }); // 4
 * ```
 */
export function backendThreads(
  backend: string,
  env: Record<string, string | undefined> = envRecord([INTRA_OP_THREADS_ENV]),
): number | null {
  if (backend === "webgpu") return null;
  if (backend !== "native" && backend !== "gpu") return 1;
  const configured = Number(env[INTRA_OP_THREADS_ENV]);
  return Number.isInteger(configured) && configured > 0 ? configured : navigator.hardwareConcurrency;
}

/**
 * Batch jobs (`deno task ner`) compute with one intra-op thread per process unless `TF_NUM_INTRAOP_THREADS`
 * says otherwise: TensorFlow's matmuls sum in an order that depends on the thread count (scores differ in
 * their last bits, ~2e-7), so a fixed count is what makes 1, 2 or N processes write the same bytes; the
 * parallelism comes from the processes. Call before the backend starts. Returns the count in force.
 *
 * @example
 * ```ts
 * declare const initBackend: any; // the example's inputs
 * batchJobThreads(); // 1, or the caller's TF_NUM_INTRAOP_THREADS
 * await initBackend();
 * ```
 */
export function batchJobThreads(): number {
  const configured = envValue(INTRA_OP_THREADS_ENV);
  if (configured !== undefined) return configured;
  setEnv(INTRA_OP_THREADS_ENV, "1");
  return 1;
}
