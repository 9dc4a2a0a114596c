/**
 * Keeps glibc's malloc from holding freed tensor memory. glibc serves a large block from its heap once a block
 * that size has been freed (its mmap threshold rises to the largest freed block, up to 32 MB); a training
 * step's activations and gradients, freed in bursts among longer-lived tensors, then leave the heap
 * fragmented: BERT-base at 8×128 peaked at 4.9–5.0 GB RSS while 2.6–3.3 GB were in use (measured: after a
 * step 3.8 GB stayed resident with 1.3 GB of tensors). A fixed threshold sends blocks at or above it to their
 * own mappings, returned to the system when freed: 4 MiB measured 4.3–4.5 GB peak for ~25 % more step time
 * (128 KiB: 3.05 GB, but 1.9× the time: every activation faults in fresh pages).
 *
 * Those figures predate TensorFlow's BFC pool (lib/backend/native.ts), which now holds the native backend's
 * tensors. Left on malloc are the pool's own regions, tensors made from JS arrays and Eigen's scratch buffers;
 * the fixed threshold still lowers BERT-base 8×128's peak from 3.74 to 3.50 GB for the same step time
 * (5.29 vs 5.05–5.23 s, one run each, 2026-11-29).
 *
 * @module
 */
import { readEnv } from "./config.ts";

/** glibc's mallopt parameter number of M_MMAP_THRESHOLD (malloc.h). */
const M_MMAP_THRESHOLD = -3;

/** The threshold training uses: activations of BERT-base (3–13 MB at 8×128) get their own mappings. */
export const TRAINING_MMAP_THRESHOLD = 4 << 20;

let applied: number | null | undefined;

/**
 * Fixes glibc's mmap threshold at `bytes` for this process (once; later calls return the first outcome).
 * Does nothing where the user set `MALLOC_MMAP_THRESHOLD_` themselves, off glibc (no `libc.so.6`), or
 * without the FFI permission. Returns the threshold in force, or null when it left malloc alone.
 *
 * @example
 * ```ts
 * fixMmapThreshold(); // 4194304 on Linux/glibc under `deno run -A`
 * ```
 */
export function fixMmapThreshold(bytes: number = TRAINING_MMAP_THRESHOLD): number | null {
  if (applied !== undefined) return applied;
  applied = null;
  if (Deno.build.os !== "linux" || readEnv("MALLOC_MMAP_THRESHOLD_") !== undefined) return applied;
  try {
    const libc = Deno.dlopen("libc.so.6", { mallopt: { parameters: ["i32", "i32"], result: "i32" } });
    if (libc.symbols.mallopt(M_MMAP_THRESHOLD, bytes) === 1) applied = bytes;
    libc.close();
  } catch {
    // No glibc, or no --allow-ffi: malloc keeps its defaults.
  }
  return applied;
}
