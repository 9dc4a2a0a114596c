/**
 * The tfjs compute backend, chosen in one place.
 *
 * (Minimal first version: pure-JS cpu only. The full chain — tfjs-node-gpu, WebGPU, native CPU, wasm, cpu —
 * replaces it.)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

/** The backend in use and why the others were not. */
export interface BackendChoice {
  name: string;
  skipped: { name: string; why: string }[];
}

/**
 * Initialises the best working tfjs backend (idempotent) and returns the choice.
 *
 * @example
 * ```ts
 * const { name } = await initBackend();
 * ```
 */
export async function initBackend(): Promise<BackendChoice> {
  await tf.setBackend("cpu");
  await tf.ready();
  return { name: tf.getBackend(), skipped: [] };
}
