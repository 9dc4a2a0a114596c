/**
 * The tfjs compute backend, chosen in one place. In priority order, each only if it really works (a few
 * tiny ops the model needs run and give the right numbers):
 *
 * 1. `gpu` — tfjs-node-gpu (CUDA); only looked at when an NVIDIA driver is loaded;
 * 2. `webgpu` — Deno's WebGPU on a real (non-software) adapter;
 * 3. `native` — TensorFlow's CPU library through tfjs-node (official install or `deno task setup`'s npm route);
 * 4. `wasm` — XNNPACK wasm, SIMD, 1 thread, plus the kernels it lacks;
 * 5. `cpu` — pure JS.
 *
 * `NER_BACKEND=gpu|webgpu|native|wasm|cpu` forces one (an error says why it cannot work).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { activateTfjsBackend } from "./check.ts";
import { gpuCandidate, nativeCandidate } from "./native.ts";
import {
  BACKEND_ENV,
  type BackendCandidate,
  type BackendChoice,
  type BackendName,
  parseBackendName,
  reasonOf,
  selectBackend,
} from "./select.ts";
import { wasmCandidate } from "./wasm.ts";
import { webgpuCandidate } from "./webgpu.ts";

export {
  BACKEND_ENV,
  BACKEND_NAMES,
  type BackendCandidate,
  type BackendChoice,
  type BackendName,
  BackendUnavailableError,
  parseBackendName,
  selectBackend,
  slowTrainingWarning,
} from "./select.ts";
import { envValue } from "../util/config.ts";
export { checkBackendComputes } from "./check.ts";
export { checkCudaLibraries, type CudaLibraryStatus, TFJS_NODE_GPU_LIBRARIES } from "./cuda_libs.ts";
export { type DeviceMemory, deviceMemory } from "./device_memory.ts";
export { backendThreads, batchJobThreads, INTRA_OP_THREADS_ENV } from "./threads.ts";
export { libtensorflowVersion, nativeInstalled, tfjsNodePackageDir } from "./native.ts";
export { installNativeTensorflow, type NativeInstallOptions } from "./native_install.ts";
export { registerWasmExtraKernels } from "./wasm_kernels.ts";

/** Pure-JS tfjs: always there, slow (~0.65 GFLOP/s). */
const cpuCandidate: BackendCandidate = {
  name: "cpu",
  async activate() {
    await import("@tensorflow/tfjs-backend-cpu");
    await activateTfjsBackend("cpu");
    return { tfjsName: "cpu", detail: "pure JavaScript" };
  },
};

/**
 * All backends in priority order.
 *
 * @example
 * ```ts
 * backendCandidates().map((c) => c.name); // ["gpu", "webgpu", "native", "wasm", "cpu"]
 * ```
 */
export function backendCandidates(): BackendCandidate[] {
  return [gpuCandidate, webgpuCandidate, nativeCandidate, wasmCandidate, cpuCandidate];
}

let current: Promise<BackendChoice> | undefined;

/**
 * Initialises the best working tfjs backend, or the one `NER_BACKEND` forces, once per process, and returns
 * the choice (later calls return the same choice).
 *
 * @example
 * ```ts
 * const { name, skipped } = await initBackend();
 * console.error(`backend ${name}; skipped ${skipped.map((s) => `${s.name} (${s.why})`).join(", ")}`);
 * ```
 */
export function initBackend(): Promise<BackendChoice> {
  if (!current) {
    const value = envValue(BACKEND_ENV);
    const forced = value ? parseBackendName(value, BACKEND_ENV) : undefined;
    current = selectBackend(backendCandidates(), { forced });
  }
  return current;
}

/**
 * Switches to exactly `name` (as if forced), e.g. to compare backends in one process; later
 * {@link initBackend} calls return this choice. On failure the current backend stays as it was.
 *
 * @example
 * ```ts
 * await useBackend("cpu");
 * ```
 */
export async function useBackend(name: BackendName): Promise<BackendChoice> {
  const choice = await selectBackend(backendCandidates(), { forced: name });
  current = Promise.resolve(choice);
  return choice;
}

/** Whether one backend works here, with its description or the reason it does not. */
export interface BackendStatus {
  name: BackendName;
  works: boolean;
  /** What runs ({@link BackendChoice.detail}) when it works, why not otherwise. */
  detail: string;
}

/**
 * Tries every backend (unforced: a software WebGPU adapter counts as not working) and restores the current
 * tfjs backend afterwards. For `deno task doctor` and the bench harness.
 *
 * @example
 * ```ts
 * const available = (await probeBackends()).filter((s) => s.works).map((s) => s.name);
 * ```
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  const previous = current ? (await current).tfjsName : undefined;
  const statuses: BackendStatus[] = [];
  for (const candidate of backendCandidates()) {
    try {
      const { detail } = await candidate.activate({ forced: false });
      statuses.push({ name: candidate.name, works: true, detail });
    } catch (error) {
      statuses.push({ name: candidate.name, works: false, detail: reasonOf(error) });
    }
  }
  if (previous) await tf.setBackend(previous);
  return statuses;
}
