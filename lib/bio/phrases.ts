/**
 * Word sequences in a document, found fast: every occurrence of many phrases in one pass (Aho–Corasick), and
 * running counts of marked positions (a Fenwick tree). What keeps the document consistency rules
 * (consistency.ts) linear in the document's length.
 *
 * @module
 */
/**
 * Counts of positions `0…n−1` that hold a mark, by prefix sums that stay up to date (a Fenwick tree).
 *
 * @example
 * ```ts
 * const marks = new MarkCounts(10);
 * marks.mark(3);
 * marks.before(3); // 0
 * marks.before(4); // 1
 * ```
 */
export class MarkCounts {
  readonly #tree: Int32Array;
  constructor(n: number) {
    this.#tree = new Int32Array(n + 1);
  }
  mark(position: number): void {
    for (let i = position + 1; i < this.#tree.length; i += i & -i) this.#tree[i]++;
  }
  /** Marks in `[0, end)`. */
  before(end: number): number {
    let count = 0;
    for (let i = end; i > 0; i -= i & -i) count += this.#tree[i];
    return count;
  }
}

/**
 * Every occurrence, inside one sentence, of each of `keys` (word-id sequences) that `keep` accepts, per key in
 * document order: one Aho–Corasick pass over the document's word ids (linear in the words and the
 * occurrences, however many keys there are).
 *
 * @example
 * ```ts
 * // Words as ids: "IL-2" = 1, "receptor" = 2, "binds" = 3.
 * const sentences = [Int32Array.of(1, 2, 3, 1)];
 * occurrencesOf([[1], [1, 2]], sentences, 4, () => true); // [[[0, 0], [0, 3]], [[0, 0]]]
 * ```
 */
export function occurrencesOf(
  keys: readonly number[][],
  sentenceIds: readonly Int32Array[],
  vocabularySize: number,
  keep: (sentence: number, start: number, length: number) => boolean,
): [number, number][][] {
  const child = new Map<number, number>(); // node · vocabularySize + word → child node
  const depth = [0], keyAt = [-1], children: number[][] = [[]];
  const next = (node: number, word: number) => child.get(node * vocabularySize + word);
  keys.forEach((key, k) => {
    let node = 0;
    for (const word of key) {
      let to = next(node, word);
      if (to === undefined) {
        to = depth.length;
        child.set(node * vocabularySize + word, to);
        depth.push(depth[node] + 1), keyAt.push(-1), children.push([]), children[node].push(word);
      }
      node = to;
    }
    keyAt[node] = k;
  });
  // fail: the node of the longest proper suffix; output: the nearest suffix node that ends a key.
  const fail = new Int32Array(depth.length), output = new Int32Array(depth.length).fill(-1);
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const word of children[node]) {
      const to = next(node, word)!;
      let back = fail[node];
      while (node !== 0 && back !== 0 && next(back, word) === undefined) back = fail[back];
      const suffix = node === 0 ? 0 : next(back, word) ?? 0;
      fail[to] = suffix;
      output[to] = keyAt[suffix] >= 0 ? suffix : output[suffix];
      queue.push(to);
    }
  }
  const found: [number, number][][] = keys.map(() => []);
  sentenceIds.forEach((ids, s) => {
    let node = 0;
    ids.forEach((word, t) => {
      while (node !== 0 && next(node, word) === undefined) node = fail[node];
      node = next(node, word) ?? 0;
      for (let end = keyAt[node] >= 0 ? node : output[node]; end > 0; end = output[end]) {
        const start = t + 1 - depth[end];
        if (keep(s, start, depth[end])) found[keyAt[end]].push([s, start]);
      }
    });
  });
  return found;
}
