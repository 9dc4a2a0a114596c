/**
 * The tfjs wasm backend (XNNPACK), SIMD, single-threaded, completed with the kernels of wasm_kernels.ts.
 * Its heap is 32-bit: 4 GB at most, which BERT-base + Adam does not fit.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { activateTfjsBackend } from "./check.ts";
import type { BackendCandidate } from "./select.ts";
import { registerWasmExtraKernels } from "./wasm_kernels.ts";

/** WebAssembly: portable, ~4× slower than native TensorFlow on a CPU, ~20× faster than pure JS. */
export const wasmCandidate: BackendCandidate = {
  name: "wasm",
  async activate() {
    await import("@tensorflow/tfjs-backend-wasm");
    // Threads need workers sharing wasm memory, which fail under Deno: one thread, decided before init.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    registerWasmExtraKernels();
    await activateTfjsBackend("wasm");
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    return {
      tfjsName: "wasm",
      detail: `XNNPACK ${
        simd ? "SIMD" : "without SIMD"
      }, 1 thread, + JS UnsortedSegmentSum, explicit-transpose matMul`,
    };
  },
};
