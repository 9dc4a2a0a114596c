/**
 * Dropout keep-masks, drawn as `tf.dropout` draws them but about 5× faster. tfjs's `randomUniform` fills its
 * buffer in a generic JS loop (133 ms for one 32×12×128×128 attention mask here, ~3 s of a BERT-base training
 * step at 32×128); this draws the very same numbers — tfjs seeds seedrandom's Alea generator with the seed's
 * string, or with `Math.random()` when there is none — in a tight loop, and keeps the booleans only.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** 2^-32. */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** Baagøe's Mash hash, the state Alea's seeding walks through. */
function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * TWO_TO_MINUS_32;
  };
}

/** The state of Baagøe's Alea generator seeded with `seed`, as seedrandom's `alea(seed)` starts. */
function aleaState(seed: string): [number, number, number, number] {
  const hash = mash();
  const state = [hash(" "), hash(" "), hash(" ")].map((s) => {
    const v = s - hash(seed);
    return v < 0 ? v + 1 : v;
  });
  return [state[0], state[1], state[2], 1];
}

/**
 * Which elements `tf.dropout(x, rate, undefined, seed)` keeps, as a bool tensor of `shape`: exactly where its
 * float32 `floor(u + (1 − rate))` is 1, u being `tf.randomUniform(shape, 0, 1, "float32", seed)`. Without a
 * seed it draws one from `Math.random()`, as tfjs does. The dropout multiplier is `cast(mask) / (1 − rate)`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const x = tf.ones([2, 3]);
 * const keep = dropoutKeepMask([2, 3], 0.1, "7:0");
 * const dropped = tf.mul(x, tf.div(tf.cast(keep, "float32"), 0.9)); // = tf.dropout(x, 0.1, undefined, "7:0")
 * ```
 */
export function dropoutKeepMask(shape: number[], rate: number, seed?: string | number): tf.Tensor {
  let [s0, s1, s2, c] = aleaState(String(seed ?? Math.random()));
  const keep = Math.fround(1 - rate);
  const values = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    // Alea's step, inlined: this loop is the whole cost.
    const t = 2091639 * s0 + c * TWO_TO_MINUS_32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    // float32 u + keep, rounded as TensorFlow's float32 add rounds it (the double sum of two floats is exact).
    values[i] = Math.fround(Math.fround(s2) + keep) >= 1 ? 1 : 0;
  }
  return tf.tensor(values, shape, "bool");
}
