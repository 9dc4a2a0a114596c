/**
 * The BiLSTM's hand-written backward pass (backpropagation through time) against tfjs autodiff of the plain
 * loop, and the per-sentence reversal that keeps padding out of both directions.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs";
import { assertEquals, assertLess } from "@std/assert";
import { initBackend } from "../../../lib/backend/mod.ts";
import { biLstm, lstmRecurrence, withinLengthReversal } from "../../../lib/model/word_crf/bilstm.ts";

await initBackend();

/** The same recurrence with plain ops (gates i, f, o, g), differentiated by tfjs. */
function plainRecurrence(projected: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  const [, , batch, gates] = projected.shape;
  const h = gates / 4;
  let state = tf.zeros([2, batch, h]), cell = tf.zeros([2, batch, h]);
  const states = [];
  for (const step of tf.unstack(projected)) {
    const z = tf.add(step, tf.matMul(state, kernel as tf.Tensor3D));
    const [i, f, o, g] = tf.split(z, 4, 2);
    cell = tf.add(tf.mul(tf.sigmoid(f), cell), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    state = tf.mul(tf.sigmoid(o), tf.tanh(cell));
    states.push(state);
  }
  return tf.stack(states);
}

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  assertEquals(a.shape, b.shape);
  return (await tf.max(tf.abs(tf.sub(a, b))).data())[0];
}

Deno.test("LSTM recurrence: values and gradients equal autodiff of the plain loop", async () => {
  const [time, batch, h] = [6, 3, 4];
  const projected = tf.randomNormal([time, 2, batch, 4 * h], 0, 1, "float32", 1);
  const kernel = tf.randomNormal([2, h, 4 * h], 0, 0.5, "float32", 2);
  // A weighted sum of the states, so that each state's gradient differs.
  const weights = tf.randomNormal([time, 2, batch, h], 0, 1, "float32", 3);
  const loss = (f: typeof plainRecurrence) => (p: tf.Tensor, k: tf.Tensor) =>
    tf.sum(tf.mul(f(p, k), weights));
  const fused = (p: tf.Tensor, k: tf.Tensor) => lstmRecurrence(p as tf.Tensor4D, k as tf.Tensor3D);
  assertLess(await maxDifference(fused(projected, kernel), plainRecurrence(projected, kernel)), 1e-6);
  const [dp, dk] = tf.grads(loss(fused))([projected, kernel]);
  const [dpPlain, dkPlain] = tf.grads(loss(plainRecurrence))([projected, kernel]);
  assertLess(await maxDifference(dp, dpPlain), 1e-5, "d projected");
  assertLess(await maxDifference(dk, dkPlain), 1e-5, "d recurrent kernel");
});

Deno.test("reversal within lengths keeps padding in place and is its own inverse", () => {
  const index = withinLengthReversal([3, 1, 0], 3);
  assertEquals([...index], [2, 1, 0, 3, 4, 5, 6, 7, 8]);
  assertEquals([...index].map((i) => index[i]), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

Deno.test("BiLSTM: a sentence's states do not depend on its padding, nor on training or inference", async () => {
  const h = 3;
  const weights = {
    inputKernel: tf.randomNormal([2, 2, 4 * h], 0, 1, "float32", 4) as tf.Tensor3D,
    recurrentKernel: tf.randomNormal([2, h, 4 * h], 0, 1, "float32", 5) as tf.Tensor3D,
    bias: tf.randomNormal([2, 4 * h], 0, 1, "float32", 6) as tf.Tensor2D,
  };
  const words = tf.randomNormal([1, 3, 2], 0, 1, "float32", 7) as tf.Tensor3D;
  const padded = tf.concat([words, tf.fill([1, 2, 2], 9)], 1) as tf.Tensor3D;
  const alone = biLstm(words, [3], weights);
  const withPadding = tf.slice(biLstm(padded, [3], weights), [0, 0, 0], [1, 3, 2 * h]);
  assertLess(await maxDifference(alone, withPadding), 1e-6);
  // Inference (no saved activations) and training (hand-written gradient) compute the same states.
  assertEquals(await maxDifference(biLstm(words, [3], weights, { training: true }), alone), 0);
});
