/**
 * A one-layer, two-head BERT-like graph on tiny shapes, written with the same tfjs-core ops as lib/model
 * (gather, layer norm pieces, matMul with transposes, masked softmax, erf GELU, log-softmax loss), to
 * compare a backend's loss and gradients with the pure-JS cpu backend's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

const VOCAB = 13, HIDDEN = 8, HEADS = 2, FFN = 16, LABELS = 5, BATCH = 2, SEQ = 6;

/** Parameter shapes by name. */
const SHAPES: Record<string, number[]> = {
  word: [VOCAB, HIDDEN],
  position: [SEQ, HIDDEN],
  lnGamma: [HIDDEN],
  lnBeta: [HIDDEN],
  qkv: [HIDDEN, 3 * HIDDEN],
  out: [HIDDEN, HIDDEN],
  ffnIn: [HIDDEN, FFN],
  ffnOut: [FFN, HIDDEN],
  classifier: [HIDDEN, LABELS],
};

/** Fixed inputs: token ids (with repeats, so embedding gradients accumulate), mask, labels. */
const IDS = [[1, 5, 5, 12, 0, 0], [3, 1, 7, 7, 7, 2]];
const MASK = [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]];
const LABEL_IDS = [[0, 1, 2, 0, 0, 0], [4, 3, 0, 1, 2, 2]];

/** Seeded parameters as plain arrays, so each backend builds identical variables from them. */
export function miniBertInitialValues(seed = 7): Map<string, Float32Array> {
  return new Map(
    Object.entries(SHAPES).map(([name, shape], i) => {
      const t = tf.randomNormal(shape, 0, 0.5, "float32", seed + i);
      const values = t.dataSync() as Float32Array;
      t.dispose();
      return [name, values.slice()];
    }),
  );
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  // Not squaredDifference: its tfjs gradient does not reduce over broadcast dimensions.
  const variance = tf.mean(tf.square(tf.sub(x, mean)), -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-12))), gamma), beta);
}

function loss(p: Record<string, tf.Tensor>): tf.Scalar {
  const ids = tf.tensor2d(IDS, undefined, "int32");
  const mask = tf.tensor2d(MASK);
  let x = tf.add(tf.gather(p.word, ids), p.position);
  x = layerNorm(x, p.lnGamma, p.lnBeta);
  const flat = tf.reshape(x, [BATCH * SEQ, HIDDEN]);
  const [q, k, v] = tf.split(tf.matMul(flat, p.qkv), 3, -1).map((t) =>
    tf.transpose(tf.reshape(t, [BATCH, SEQ, HEADS, HIDDEN / HEADS]), [0, 2, 1, 3])
  );
  const scores = tf.add(
    tf.div(tf.matMul(q, k, false, true), Math.sqrt(HIDDEN / HEADS)),
    tf.reshape(tf.mul(tf.sub(1, mask), -10000), [BATCH, 1, 1, SEQ]),
  );
  const context = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [
    BATCH * SEQ,
    HIDDEN,
  ]);
  const attended = tf.add(flat, tf.matMul(context, p.out));
  const inner = tf.matMul(attended, p.ffnIn);
  const gelu = tf.mul(tf.mul(inner, 0.5), tf.add(1, tf.erf(tf.div(inner, Math.SQRT2))));
  const hidden = tf.add(attended, tf.matMul(gelu, p.ffnOut));
  const logProbs = tf.logSoftmax(tf.matMul(hidden, p.classifier));
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor1d(LABEL_IDS.flat(), "int32"), LABELS)), -1);
  const weights = tf.reshape(mask, [-1]);
  return tf.neg(tf.div(tf.sum(tf.mul(picked, weights)), tf.sum(weights)));
}

/**
 * Loss and gradients of every parameter on the current backend, as plain arrays.
 *
 * @example
 * ```ts
 * const { loss, grads } = await miniBertLossAndGrads(miniBertInitialValues());
 * ```
 */
export async function miniBertLossAndGrads(
  initial: Map<string, Float32Array>,
): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  const variables = Object.fromEntries(
    [...initial].map((
      [name, values],
    ) => [name, tf.variable(tf.tensor(values, SHAPES[name]), true, undefined)]),
  );
  const { value, grads } = tf.variableGrads(() => loss(variables), Object.values(variables));
  const names = new Map(Object.entries(variables).map(([name, v]) => [v.name, name]));
  // Asynchronous reads: the webgpu backend cannot read synchronously under Deno.
  const result = {
    loss: (await value.data())[0],
    grads: new Map(
      await Promise.all(
        Object.entries(grads).map(async ([id, g]) =>
          [names.get(id)!, await g.data() as Float32Array] as const
        ),
      ),
    ),
  };
  tf.dispose([value, ...Object.values(grads), ...Object.values(variables)]);
  return result;
}

/** Largest absolute difference between two gradient maps (and that each has every name). */
export function maxGradDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name);
    if (!other || other.length !== values.length) throw new Error(`gradient ${name} missing or misshapen`);
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - other[i]));
  }
  return worst;
}
