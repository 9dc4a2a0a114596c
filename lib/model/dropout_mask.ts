/**
 * Dropout keep-masks from a counter-based generator: element i of a mask is kept when a keyed hash of i falls
 * below (1 − rate)·2³². Every element is computed on its own — no serial chain — so a 32×12×128×128 attention
 * mask takes ~20 ms here. tfjs's `tf.dropout` draws from seedrandom's Alea, a multiply-with-carry recurrence
 * whose every step waits for the previous one (8–9 ns an element, ~60 ms for that mask): drawn that way, the
 * masks took ~1.3 s of a BERT-base training step at 32×128, the difference between PyTorch's step time and
 * ours. The masks are therefore not `tf.dropout`'s (runs before 2026-11-29 drew those): same seed, same mask,
 * but other masks than then.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Baagøe's Mash hash (seedrandom's seeding hash): successive calls give successive 32-bit words of `data`. */
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
    return n >>> 0;
  };
}

/** MurmurHash3's 32-bit finaliser: a bijection of 32-bit words in which every input bit flips ~half the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A bool keep-mask of `shape` for dropout at `rate`: each element kept with probability 1 − rate, element i
 * kept when fmix32((i ^ k₁)·φ ^ k₂) < (1 − rate)·2³² (φ = 0x9e3779b1, odd: the product is a bijection), k₁ and
 * k₂ two words of the seed's hash — the keys enter before and after the multiplication, so two seeds' masks are
 * not shifted or index-flipped copies of each other. The same seed gives the same mask; without a seed one is
 * drawn from `Math.random()` (which training seeds per step).
 * The dropout multiplier is `cast(mask) / (1 − rate)`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const x = tf.ones([2, 3]);
 * const keep = dropoutKeepMask([2, 3], 0.1, "7:0");
 * const dropped = tf.mul(x, tf.div(tf.cast(keep, "float32"), 0.9)); // 0 or 1/0.9
 * ```
 */
export function dropoutKeepMask(shape: number[], rate: number, seed?: string | number): tf.Tensor {
  const hash = mash();
  const text = String(seed ?? Math.random());
  const first = hash(text), second = hash(text);
  const threshold = Math.round(Math.min(Math.max(1 - rate, 0), 1) * 2 ** 32);
  const values = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    const h = fmix32(Math.imul(i ^ first, 0x9e3779b1) ^ second);
    values[i] = h >>> 0 < threshold ? 1 : 0;
  }
  return tf.tensor(values, shape, "bool");
}
