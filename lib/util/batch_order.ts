/**
 * The order training examples are batched in: shuffled by a seed, optionally sorted by length (stable, so
 * equal lengths keep the shuffled order) and the batches then shuffled — similar lengths share a batch (little
 * padding) while batch order stays random. Used for subword windows and for word-level sentences alike.
 *
 * @module
 */
import { SeededRandom } from "./random.ts";

/** Options of {@link batchOrder}. */
export interface BatchOrderOptions {
  batchSize: number;
  /** Sort by length before cutting into batches (then shuffle the batches). Default false. */
  bucketByLength?: boolean;
  /** Shuffle with this seed. Default: keep input order. */
  shuffleSeed?: number;
}

/**
 * Example indices grouped into batches.
 *
 * @example
 * ```ts
 * batchOrder([5, 1, 3], { batchSize: 2 }); // [[0, 1], [2]]
 * batchOrder([5, 1, 3], { batchSize: 2, bucketByLength: true }); // [[1, 2], [0]]
 * ```
 */
export function batchOrder(lengths: readonly number[], options: BatchOrderOptions): number[][] {
  const { batchSize, bucketByLength = false, shuffleSeed } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const random = shuffleSeed === undefined ? undefined : new SeededRandom(shuffleSeed);
  let order = lengths.map((_, index) => index);
  if (random) order = random.shuffle(order);
  if (bucketByLength) order.sort((a, b) => lengths[a] - lengths[b]);
  let groups: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) groups.push(order.slice(i, i + batchSize));
  if (random && bucketByLength) groups = random.shuffle(groups);
  return groups;
}
