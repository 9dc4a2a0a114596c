/** The word-level network's character convolution (im2col, for every backend) against tfjs's conv1d. */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs";
import { assertEquals, assertLess } from "@std/assert";
import { initBackend } from "../../../lib/backend/mod.ts";
import { charConvolution } from "../../../lib/model/word_crf/network.ts";

await initBackend();

Deno.test("character convolution equals conv1d with 'same' padding, odd and even widths", async () => {
  for (const width of [1, 2, 3, 4, 5]) {
    const x = tf.randomNormal([7, 9, 5], 0, 1, "float32", width);
    const kernel = tf.randomNormal([width, 5, 6], 0, 1, "float32", 10 + width);
    const bias = tf.randomNormal([6], 0, 1, "float32", 20 + width);
    const ours = charConvolution(x, kernel, bias);
    const reference = tf.add(tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, 1, "same"), bias);
    assertEquals(ours.shape, [7, 9, 6]);
    assertLess((await tf.max(tf.abs(tf.sub(ours, reference))).data())[0], 1e-5, `width ${width}`);
  }
});
