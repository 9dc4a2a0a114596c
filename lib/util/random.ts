/**
 * A small seeded random number generator whose whole state is one 32-bit integer, so a training run can save
 * it next to a checkpoint and `--resume` continues with exactly the same data order.
 *
 * @module
 */

/**
 * Mulberry32: a fast 32-bit generator, plenty for shuffling and dropout seeds (not for cryptography).
 *
 * @example
 * ```ts
 * const rng = new SeededRandom(42);
 * const order = rng.shuffle([0, 1, 2, 3]);
 * const saved = rng.state; // later: new SeededRandom(saved) continues the same stream
 * ```
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`SeededRandom: seed must be an integer, got ${seed}`);
    this.#state = seed >>> 0;
  }

  /** The generator's state; `new SeededRandom(state)` continues the stream from here. */
  get state(): number {
    return this.#state;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}
