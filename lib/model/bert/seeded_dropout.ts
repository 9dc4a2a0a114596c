/**
 * Reproducible dropout. The model's dropout masks (lib/model/dropout_mask.ts) draw their seeds from
 * `Math.random()` when the forward pass is given none; so the training step runs with `Math.random`
 * temporarily replaced by a generator seeded from (run seed, step). The step is synchronous (no other code
 * runs while it is replaced), and the original is always put back.
 *
 * @module
 */
import { SeededRandom } from "../../util/random.ts";

/**
 * Runs `fn` with `Math.random` drawing from a generator seeded by `seed`; returns what `fn` returns.
 *
 * @example
 * ```ts
 * declare const runSeed: any, step: any, lossOf: any, model: any, batch: any; // the example's inputs
 * const loss = withSeededMathRandom(runSeed * 1_000_003 + step, () => lossOf(model.forward(batch, { training: true })));
 * ```
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const rng = new SeededRandom(seed >>> 0);
  Math.random = () => rng.next();
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error("withSeededMathRandom: fn must be synchronous");
    return result;
  } finally {
    Math.random = original;
  }
}
