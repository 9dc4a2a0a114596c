/**
 * Overlapping windows over a long sentence, which window answers for which word, and the one rule that turns
 * per-window, per-token model outputs back into one value per word — shared by training, evaluation and
 * inference.
 *
 * @module
 */
import type { EncodedWindow } from "./types.ts";

/** The word ranges of one window (the fields of {@link EncodedWindow} that say which words it holds). */
export interface WindowSpan {
  /** Words [wordStart, wordEnd) appear in the window. */
  wordStart: number;
  wordEnd: number;
  /** Words [ownedStart, ownedEnd) are answered for by this window. */
  ownedStart: number;
  ownedEnd: number;
}

/**
 * Cuts a sentence whose words have `lengths` subwords into windows of at most `capacity` subwords.
 *
 * Windows break at word boundaries. The first starts at word 0 and takes as many words as fit; each next one
 * starts early enough to repeat at most `stride` subwords of the previous window (as many whole words as fit
 * in that budget while leaving room for the first new word), so every word appears in some window. A word
 * longer than `capacity` counts as `capacity` (the caller truncates it).
 *
 * Ownership: a word appearing in several windows belongs to the one where it has the most context, i.e. the
 * largest min(subwords before it, subwords after it) in the window; ties go to the earlier window. This
 * splits every overlap at its middle, so owned ranges are contiguous and partition all words; windows left
 * owning nothing (possible only with a stride close to the capacity) are dropped.
 *
 * An empty sentence gives one empty window.
 *
 * @example
 * ```ts
 * planWindows([3, 3, 3, 3], { capacity: 6, stride: 3 });
 * // [{ wordStart: 0, wordEnd: 2, ownedStart: 0, ownedEnd: 2 }, { wordStart: 1, wordEnd: 3, ownedStart: 2, ... }, ...]
 * ```
 */
export function planWindows(
  lengths: readonly number[],
  { capacity, stride }: { capacity: number; stride: number },
): WindowSpan[] {
  const count = lengths.length;
  if (count === 0) return [{ wordStart: 0, wordEnd: 0, ownedStart: 0, ownedEnd: 0 }];
  const size = lengths.map((length) => Math.min(length, capacity));

  const spans: { wordStart: number; wordEnd: number }[] = [];
  for (let start = 0;;) {
    let end = start;
    for (let used = 0; end < count && used + size[end] <= capacity; end++) used += size[end];
    spans.push({ wordStart: start, wordEnd: end });
    if (end === count) break;
    let next = end;
    for (let overlap = 0; next - 1 > start; next--) {
      const grown = overlap + size[next - 1];
      if (grown > stride || grown + size[end] > capacity) break;
      overlap = grown;
    }
    start = next;
  }

  // Prefix sums make "subwords before / after word i in window k" O(1).
  const before = [0];
  for (const s of size) before.push(before.at(-1)! + s);
  const context = (word: number, span: { wordStart: number; wordEnd: number }) =>
    Math.min(before[word] - before[span.wordStart], before[span.wordEnd] - before[word + 1]);

  const owner: number[] = [];
  let first = 0; // first window containing the current word
  for (let word = 0; word < count; word++) {
    while (spans[first].wordEnd <= word) first++;
    let best = first;
    for (let k = first + 1; k < spans.length && spans[k].wordStart <= word; k++) {
      if (context(word, spans[k]) > context(word, spans[best])) best = k;
    }
    owner.push(best);
  }

  const result: WindowSpan[] = [];
  spans.forEach((span, k) => {
    const ownedStart = owner.indexOf(k);
    if (ownedStart < 0) return;
    result.push({ ...span, ownedStart, ownedEnd: owner.lastIndexOf(k) + 1 });
  });
  return result;
}

/**
 * For each word of a windowed sentence, the values of all its subwords, read from the window that owns the
 * word. `perTokenValues[w][t]` is the value (logits row, probability, label id, …) of token `t` of
 * `windows[w]`; rows may be longer than the window (padding is ignored). The basis of every aggregation
 * (first / average / max subword).
 *
 * @example
 * ```ts
 * declare const windows: any, logitsPerWindow: any; // the example's inputs
 * const perWord = wordTokenValues(windows, logitsPerWindow); // perWord[i] = logits rows of word i's subwords
 * ```
 */
export function wordTokenValues<T>(
  windows: readonly EncodedWindow[],
  perTokenValues: readonly (readonly T[])[],
): T[][] {
  if (perTokenValues.length !== windows.length) {
    throw new Error(`${perTokenValues.length} value rows for ${windows.length} windows`);
  }
  const words: T[][] = [];
  windows.forEach((window, w) => {
    const values = perTokenValues[w];
    if (values.length < window.inputIds.length) {
      throw new Error(`window ${w}: ${values.length} values for ${window.inputIds.length} tokens`);
    }
    window.wordIds.forEach((word, t) => {
      if (word === null || word < window.ownedStart || word >= window.ownedEnd) return;
      (words[word] ??= []).push(values[t]);
    });
  });
  const wordCount = Math.max(0, ...windows.map((window) => window.ownedEnd));
  for (let word = 0; word < wordCount; word++) {
    if (!words[word]) throw new Error(`word ${word} is owned by no window`);
  }
  return words;
}

/**
 * One value per word: the value of the word's first subword in the window that owns it — the merging rule
 * for overlapping windows that training, evaluation and inference share.
 *
 * @example
 * ```ts
 * import type { Sentence } from "../bio/types.ts";
 * import type { BertTokenizer } from "./bert.ts";
 * import type { EncodedWindow } from "./types.ts";
 * declare const tokenizer: BertTokenizer, sentence: Sentence; // the example's inputs
 * declare function argmaxPerToken(window: EncodedWindow): number[]; // the model's label id per token
 * const windows = tokenizer.encodeWords(sentence.words, { maxLength: 128 });
 * const predictedIds = mergeWindowPredictions(windows, windows.map((w) => argmaxPerToken(w)));
 * predictedIds.length === sentence.words.length; // true
 * ```
 */
export function mergeWindowPredictions<T>(
  windows: readonly EncodedWindow[],
  perTokenValues: readonly (readonly T[])[],
): T[] {
  return wordTokenValues(windows, perTokenValues).map((values) => values[0]);
}
