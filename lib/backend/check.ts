/**
 * "Really works": a backend that registers and initialises can still lack a kernel our model needs or compute
 * garbage (a broken binding, a software GPU with a driver bug). This runs a few tiny ops the BERT forward and
 * backward pass depend on and compares them with numbers known by hand.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core registers op gradients only on request. Its ESM register_all_gradients.js does not load under Deno
// (extensionless imports); the CommonJS bundle of @tensorflow/tfjs registers all of them, for every backend.
import "@tensorflow/tfjs";
import { BackendUnavailableError } from "./select.ts";

const TOLERANCE = 1e-4;

/**
 * Checks the current tfjs backend on tiny inputs; throws naming the op and the wrong numbers.
 *
 * Covered: matMul with a transposed operand, erf (exact GELU), softmax, and the gradient of gather
 * (UnsortedSegmentSum, used by embedding gradients).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * await tf.setBackend("cpu");
 * await checkBackendComputes(); // throws if a result is wrong
 * ```
 */
export async function checkBackendComputes(): Promise<void> {
  const cases: { op: string; compute: () => tf.Tensor; expected: number[] }[] = [
    {
      op: "matMul(a, bᵀ)",
      compute: () => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6]]), false, true),
      expected: [17, 39],
    },
    // erf(0.5) and erf(-1) from Abramowitz & Stegun tables.
    { op: "erf", compute: () => tf.erf(tf.tensor1d([0.5, -1])), expected: [0.5204999, -0.8427008] },
    // softmax([0, ln 3]) = [1/4, 3/4].
    { op: "softmax", compute: () => tf.softmax(tf.tensor1d([0, Math.log(3)])), expected: [0.25, 0.75] },
    {
      // d/dtable Σ gather(table, [0, 2, 0]) · [1, 10, 100] → row 0 gets 1 + 100, row 2 gets 10, row 1 none.
      op: "gradient of gather (UnsortedSegmentSum)",
      compute: () =>
        tf.grad((table: tf.Tensor) =>
          tf.sum(tf.mul(tf.gather(table, tf.tensor1d([0, 2, 0], "int32")), tf.tensor2d([[1], [10], [100]])))
        )(tf.zeros([3, 1])),
      expected: [101, 0, 10],
    },
  ];
  for (const { op, compute, expected } of cases) {
    const result = tf.tidy(compute);
    const actual = Array.from(await result.data());
    result.dispose();
    const wrong = actual.length !== expected.length ||
      actual.some((value, i) => !(Math.abs(value - expected[i]) <= TOLERANCE));
    if (wrong) {
      throw new Error(
        `${tf.getBackend()}: ${op} gave [${actual.join(", ")}] instead of [${expected.join(", ")}]`,
      );
    }
  }
}

/**
 * Makes `tfjsName` the current tfjs backend and checks it with {@link checkBackendComputes}; throws a
 * {@link BackendUnavailableError} when tfjs cannot initialise it.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * await activateTfjsBackend("cpu");
 * ```
 */
export async function activateTfjsBackend(tfjsName: string): Promise<void> {
  if (!await tf.setBackend(tfjsName)) {
    throw new BackendUnavailableError(`tfjs could not initialise its "${tfjsName}" backend`);
  }
  await checkBackendComputes();
}
