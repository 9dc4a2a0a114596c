import { assert, assertEquals } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../lib/backend/mod.ts";

/** Runs `compute` on pure-JS cpu and on wasm; returns both results as arrays with their shapes. */
async function onCpuAndWasm(compute: () => tf.Tensor) {
  const results = [];
  for (const name of ["cpu", "wasm"] as const) {
    await useBackend(name);
    const t = tf.tidy(compute);
    results.push({ shape: t.shape, values: Array.from(await t.data()) });
    t.dispose();
  }
  return { cpu: results[0], wasm: results[1] };
}

function maxDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((value, i) => Math.abs(value - b[i])));
}

Deno.test("wasm UnsortedSegmentSum: a hand-checked case", async () => {
  const { wasm } = await onCpuAndWasm(() =>
    tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], "int32"), 3)
  );
  assertEquals(wasm, { shape: [3, 2], values: [3, 4, 0, 0, 6, 8] });
});

Deno.test("wasm UnsortedSegmentSum matches cpu: repeated, unused and out-of-range ids, int32 values", async () => {
  const ids = [4, 0, 4, 9, -1, 1, 4, 0];
  const { cpu, wasm } = await onCpuAndWasm(() =>
    tf.unsortedSegmentSum(tf.randomNormal([8, 3, 5], 0, 1, "float32", 3), tf.tensor1d(ids, "int32"), 6)
  );
  assertEquals(wasm.shape, [6, 3, 5]);
  assert(maxDifference(cpu.values, wasm.values) < 1e-6);
  const ints = await onCpuAndWasm(() =>
    tf.unsortedSegmentSum(tf.tensor1d([7, 8, 9], "int32"), tf.tensor1d([1, 1, 0], "int32"), 2)
  );
  assertEquals(ints.wasm.values, [9, 15]);
});

Deno.test("wasm embedding gradient (gather → UnsortedSegmentSum) matches cpu", async () => {
  const { cpu, wasm } = await onCpuAndWasm(() =>
    tf.grad((table: tf.Tensor) =>
      tf.sum(tf.square(tf.gather(table, tf.tensor2d([[1, 3, 3], [0, 1, 1]], undefined, "int32"))))
    )(tf.randomNormal([5, 4], 0, 1, "float32", 5))
  );
  assertEquals(wasm.shape, [5, 4]);
  assert(maxDifference(cpu.values, wasm.values) < 1e-6);
});

for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]]) {
  Deno.test(`wasm matMul(transposeA=${transposeA}, transposeB=${transposeB}) matches cpu, batched and broadcast`, async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const a = tf.randomNormal(transposeA ? [2, 3, 7, 5] : [2, 3, 5, 7], 0, 1, "float32", 1);
      const b = tf.randomNormal(transposeB ? [1, 6, 7] : [1, 7, 6], 0, 1, "float32", 2);
      return tf.matMul(a, b, transposeA, transposeB);
    });
    assertEquals(wasm.shape, [2, 3, 5, 6]);
    assert(maxDifference(cpu.values, wasm.values) < 1e-5);
  });
}

Deno.test("wasm matMul with a size-1 dimension transposed (a no-op permutation) matches cpu", async () => {
  const { cpu, wasm } = await onCpuAndWasm(() =>
    tf.matMul(
      tf.randomNormal([1, 4], 0, 1, "float32", 8),
      tf.randomNormal([3, 4], 0, 1, "float32", 9),
      false,
      true,
    )
  );
  assertEquals(wasm.shape, [1, 3]);
  assert(maxDifference(cpu.values, wasm.values) < 1e-5);
});

Deno.test("wasm fused matMul with transposes, bias and activation matches cpu", async () => {
  const { cpu, wasm } = await onCpuAndWasm(() =>
    tf.fused.matMul({
      a: tf.randomNormal([6, 4], 0, 1, "float32", 10),
      b: tf.randomNormal([5, 6], 0, 1, "float32", 11),
      transposeA: true,
      transposeB: true,
      bias: tf.randomNormal([5], 0, 1, "float32", 12),
      activation: "relu",
    })
  );
  assertEquals(wasm.shape, [4, 5]);
  assert(maxDifference(cpu.values, wasm.values) < 1e-5);
});

Deno.test("the explicit transposes are freed: no wasm buffers are left behind", async () => {
  await useBackend("wasm");
  const a = tf.randomNormal([4, 3]);
  const b = tf.randomNormal([5, 3]);
  const before = tf.engine().backend.numDataIds();
  tf.matMul(a, b, false, true).dispose();
  tf.matMul(a, a, true, false).dispose();
  assertEquals(tf.engine().backend.numDataIds(), before);
  tf.dispose([a, b]);
});
