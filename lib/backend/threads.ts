/**
 * How many CPU threads a backend computes with, so that throughput figures can be read on another machine
 * and parallel workers can share the cores instead of each taking all of them.
 *
 * @module
 */

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
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number | null {
  if (backend === "webgpu") return null;
  if (backend !== "native" && backend !== "gpu") return 1;
  const configured = Number(env[INTRA_OP_THREADS_ENV]);
  return Number.isInteger(configured) && configured > 0 ? configured : navigator.hardwareConcurrency;
}
