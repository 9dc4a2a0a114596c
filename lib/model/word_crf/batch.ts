/**
 * Padded batches of encoded sentences for the word-level model.
 *
 * @module
 */
import { FORBIDDEN } from "../crf/crf.ts";
import type { WordBatch } from "./network.ts";
import { PAD_ID, UNK_ID } from "./vocab.ts";
import type { EncodedWords } from "./vocab.ts";

/** Options of {@link makeWordBatch}. */
export interface WordBatchOptions {
  /** Gold tag ids per sentence (training and evaluation). */
  tags?: readonly (readonly number[])[];
  /**
   * While training, a word seen only once in training reads as `<unk>` with this probability, so the model
   * learns what to do with unseen words (Lample et al. 2016). Needs `countOf` and `random`.
   */
  singletonUnkRate?: number;
  countOf?: (wordId: number) => number;
  random?: () => number;
  /**
   * Partial annotation: per sentence, per word, the label ids its annotation allows (the gold tag's, and the
   * others lib/bio/labels.ts's `allowedLabels` gives), out of `labels` labels.
   */
  allowed?: { ids: readonly (readonly (readonly number[])[])[]; labels: number };
}

/**
 * Pads sentences (each with ≥ 1 word) into one batch.
 *
 * @example
 * ```ts
 * const batch = makeWordBatch([{ wordIds: [5, 6], shapeIds: [1, 7], charIds: [[3, 4], [9]] }]);
 * batch.charLength; // 2
 * batch.charRows; // [1, 2]: distinct spellings, row 0 is padding
 * ```
 */
export function makeWordBatch(sentences: readonly EncodedWords[], options: WordBatchOptions = {}): WordBatch {
  const batchSize = sentences.length;
  const lengths = sentences.map((s) => s.wordIds.length);
  if (lengths.some((n) => n === 0)) throw new Error("makeWordBatch: a sentence has no words");
  // Loops, not Math.max(...): spreading a million words' lengths overflowed the call stack.
  let seqLength = 0, charLength = 0;
  for (const sentence of sentences) {
    seqLength = Math.max(seqLength, sentence.wordIds.length);
    for (const chars of sentence.charIds) charLength = Math.max(charLength, chars.length);
  }
  const wordIds = new Int32Array(batchSize * seqLength).fill(PAD_ID);
  const shapeIds = new Int32Array(batchSize * seqLength);
  // Each distinct spelling once (padding is the empty one): "the", "," and repeated mentions share a row.
  const spellings = new Map<string, number>([["", 0]]);
  const charRows = new Int32Array(batchSize * seqLength);
  const tags = options.tags ? new Int32Array(batchSize * seqLength) : undefined;
  const { singletonUnkRate = 0, countOf, random } = options;
  sentences.forEach((sentence, b) => {
    sentence.wordIds.forEach((id, t) => {
      const row = b * seqLength + t;
      const dropped = singletonUnkRate > 0 && countOf!(id) === 1 && random!() < singletonUnkRate;
      wordIds[row] = dropped ? UNK_ID : id;
      shapeIds[row] = sentence.shapeIds[t];
      const key = sentence.charIds[t].join(",");
      if (!spellings.has(key)) spellings.set(key, spellings.size);
      charRows[row] = spellings.get(key)!;
      if (tags) tags[row] = options.tags![b][t];
    });
  });
  const charIds = new Int32Array(spellings.size * charLength).fill(PAD_ID);
  for (const [key, index] of spellings) {
    if (key !== "") charIds.set(key.split(",").map(Number), index * charLength);
  }
  const allowed = options.allowed && allowedMask(options.allowed, lengths, seqLength);
  return { batchSize, seqLength, charLength, wordIds, shapeIds, charIds, charRows, lengths, tags, allowed };
}

/** `[batch, seqLength, labels]`: 0 where allowed, FORBIDDEN where not; padding allows all (it is not read). */
function allowedMask(
  allowed: NonNullable<WordBatchOptions["allowed"]>,
  lengths: readonly number[],
  seqLength: number,
): Float32Array {
  const k = allowed.labels;
  const mask = new Float32Array(lengths.length * seqLength * k);
  allowed.ids.forEach((words, b) => {
    mask.fill(FORBIDDEN, b * seqLength * k, (b * seqLength + lengths[b]) * k);
    words.forEach((ids, t) => {
      for (const id of ids) mask[(b * seqLength + t) * k + id] = 0;
    });
  });
  return mask;
}
