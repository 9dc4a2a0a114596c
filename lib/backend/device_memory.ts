/**
 * Device memory as the current tfjs backend reports it. Only GPU backends that manage their own buffers know
 * it: tfjs-backend-webgpu keeps freed buffers in a pool for reuse, so what it holds allocated is the peak of
 * its live tensors (plus staging buffers) so far. The native backends (tfjs-node, tfjs-node-gpu) report no
 * device figures; for CUDA ask the driver (`nvidia-smi`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** What the backend reports of its device memory, in bytes. */
export interface DeviceMemory {
  /** Bytes in live tensors on the device. */
  inUse: number;
  /** Bytes the backend holds allocated (live + pooled for reuse): its peak so far. */
  allocated: number;
}

/**
 * The current backend's device memory, or undefined when it does not report any.
 *
 * @example
 * ```ts
 * const memory = deviceMemory();
 * if (memory) console.error(`device: ${(memory.allocated / 2 ** 20).toFixed(0)} MiB held`);
 * ```
 */
export function deviceMemory(): DeviceMemory | undefined {
  const info = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  if (info.numBytesInGPU === undefined || info.numBytesAllocatedInGPU === undefined) return undefined;
  return { inUse: info.numBytesInGPU, allocated: info.numBytesAllocatedInGPU };
}
