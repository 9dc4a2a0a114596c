/**
 * Kernels the tfjs wasm backend (4.22) lacks or runs badly, which BERT training needs:
 *
 * - `UnsortedSegmentSum` is not registered at all, and the gradient of `gather` (embedding lookups) uses it.
 *   A plain JS loop over the wasm heap is enough: it runs once per step on `[tokens, hidden]` values.
 * - `BatchMatMul` / `_FusedMatMul` with `transposeA`/`transposeB`: the built-in transposed paths are ~10–40×
 *   slower than the plain one (XNNPACK only fast-paths the untransposed layout), and every backward pass of
 *   a matMul is a transposed matMul. Transposing the operand explicitly first, then multiplying, is cheap.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * `UnsortedSegmentSum` for the wasm backend: `out[segmentIds[i], …] += x[i, …]`. Ids outside
 * `[0, numSegments)` are dropped, as the cpu backend does.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * tf.unsortedSegmentSum(tf.tensor2d([[1], [2], [3]]), tf.tensor1d([1, 0, 1], "int32"), 2); // [[2], [4]]
 * ```
 */
export function unsortedSegmentSumWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const wasm = backend as BackendWasm;
  const segmentRank = segmentIds.shape.length;
  if (x.shape.slice(0, segmentRank).join() !== segmentIds.shape.join()) {
    throw new Error(
      `UnsortedSegmentSum (wasm): segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`,
    );
  }
  const rowShape = x.shape.slice(segmentRank);
  const rowSize = tf.util.sizeFromShape(rowShape);
  // Copies first: makeOutput may grow the wasm heap and detach earlier views.
  const values = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
  const out = wasm.makeOutput([numSegments, ...rowShape], x.dtype);
  const sums = wasm.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) sums[to + j] += values[from + j];
  }
  return out;
}

/**
 * Wraps the wasm kernel `kernelName` (a matMul with `transposeA`/`transposeB` attributes) so that transposed
 * operands are transposed explicitly and the original kernel always runs untransposed.
 */
function withExplicitTransposes(kernelName: "BatchMatMul" | "_FusedMatMul"): tf.KernelConfig {
  const original = tf.getKernel(kernelName, "wasm");
  const transpose = tf.getKernel(tf.Transpose, "wasm");
  if (!original || !transpose) throw new Error(`wasm backend lacks ${kernelName} or Transpose`);
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs) => {
    const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const temporaries: tf.TensorInfo[] = [];
    const swapLastTwo = (t: tf.TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      const transposed = transpose.kernelFunc({
        inputs: { x: t },
        backend,
        attrs: { perm },
      }) as tf.TensorInfo;
      temporaries.push(transposed);
      return transposed;
    };
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const result = original.kernelFunc({
      inputs: { ...inputs, a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    for (const t of temporaries) (backend as BackendWasm).disposeData(t.dataId);
    return result;
  };
  return { ...original, kernelFunc };
}

let registered = false;

/**
 * Registers the extra/replacement wasm kernels (idempotent). Call after importing the wasm backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-wasm";
 * registerWasmExtraKernels();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmExtraKernels(): void {
  if (registered) return;
  if (!tf.getKernel(tf.UnsortedSegmentSum, "wasm")) {
    tf.registerKernel({
      kernelName: tf.UnsortedSegmentSum,
      backendName: "wasm",
      kernelFunc: unsortedSegmentSumWasm,
    });
  }
  for (const kernelName of ["BatchMatMul", "_FusedMatMul"] as const) {
    const wrapped = withExplicitTransposes(kernelName);
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel(wrapped);
  }
  registered = true;
}
