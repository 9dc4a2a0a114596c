/**
 * Long sentences for word-level models: a model that reads whole sentences (a BiLSTM-CRF, a BERT with a CRF
 * head) costs memory in proportion to the longest sentence of a batch — ~90 KB per word of one sentence at the
 * bilstm-crf profile's sizes (a 20,000-word "sentence", a table or a line of `(`, needs 1.8 GB), and a million
 * words overflowed the stack. So a sentence is read in pieces of at most {@link MAX_SENTENCE_WORDS} words,
 * before any model sees it (whatever runs the model: tfjs or ONNX Runtime), as a BERT reads a long sentence in
 * overlapping windows.
 *
 * The rule: consecutive pieces share {@link PIECE_OVERLAP_WORDS} words (the last piece may share more, so it
 * is full length); each piece is decoded on its own (its CRF's best path and marginals), and two pieces meet at
 * a seam inside the words they share: the word nearest the middle of the shared words that both pieces tag
 * `O`. Words before the seam take the first piece's labels and scores, the seam and the words after it the
 * second's — so no entity crosses a seam (both pieces say it is outside every entity), every word is read with
 * at least a few dozen words of context on each side in practice, and the joined labels are a valid IOB2
 * sequence. Only where no shared word is `O` in both (an entity or a disagreement 64 words long) is the seam
 * the middle word, and an entity may be cut there.
 *
 * Sentences of at most {@link MAX_SENTENCE_WORDS} words are read whole, as before: every sentence of BC5CDR
 * (the longest has 225 words) and all but 8 of the 101,449 of the MTL-2016 corpora (the longest, 334 words).
 *
 * @module
 */
import type { ScoredWords } from "../model/types.ts";

/**
 * The most words a word-level model reads at once. The lead measured ~40 words per sentence on average in
 * these corpora; anything above a few hundred words is not a sentence. A forward pass then holds at most
 * `batchSize × 256` words, the cost of a batch of ordinary long sentences.
 */
export const MAX_SENTENCE_WORDS = 256;

/** Words two consecutive pieces of a long sentence share (the seam lies among them). */
export const PIECE_OVERLAP_WORDS = 64;

/** A piece of a sentence: its words `start` (inclusive) to `end` (exclusive). */
export interface SentencePiece {
  start: number;
  end: number;
}

/**
 * The pieces a sentence of `length` words is read in: one piece when it has at most `maxWords` words, else
 * pieces of `maxWords` words starting every `maxWords − overlap` words, the last one ending at the sentence's
 * end (it shares at least `overlap` words with the one before).
 *
 * @example
 * ```ts
 * sentencePieces(10, { maxWords: 4, overlap: 2 });
 * // [{ start: 0, end: 4 }, { start: 2, end: 6 }, { start: 4, end: 8 }, { start: 6, end: 10 }]
 * sentencePieces(3); // [{ start: 0, end: 3 }]
 * ```
 */
export function sentencePieces(
  length: number,
  options: { maxWords?: number; overlap?: number } = {},
): SentencePiece[] {
  const { maxWords = MAX_SENTENCE_WORDS, overlap = PIECE_OVERLAP_WORDS } = options;
  if (!(Number.isInteger(maxWords) && Number.isInteger(overlap) && overlap >= 0 && overlap < maxWords)) {
    throw new RangeError(`pieces need integers 0 ≤ overlap < maxWords, got ${overlap} and ${maxWords}`);
  }
  if (length <= maxWords) return [{ start: 0, end: length }];
  const pieces: SentencePiece[] = [];
  for (let start = 0; start + maxWords < length; start += maxWords - overlap) {
    pieces.push({ start, end: start + maxWords });
  }
  pieces.push({ start: length - maxWords, end: length });
  return pieces;
}

/**
 * Joins the scored pieces of one sentence (`scored[i]` is what the model said of `pieces[i]`'s words) into the
 * sentence's labels and scores, meeting at the seams the module documentation describes. `outsideId` is the
 * label id of `O`.
 *
 * @example
 * ```ts
 * const pieces = [{ start: 0, end: 4 }, { start: 2, end: 6 }];
 * const scores = (n: number) => Array.from({ length: n }, () => new Float32Array(2));
 * joinPieces(pieces, [
 *   { labelIds: [1, 1, 0, 0], scores: scores(4) },
 *   { labelIds: [0, 0, 1, 1], scores: scores(4) },
 * ], 0).labelIds; // [1, 1, 0, 0, 1, 1]: the seam is word 2 or 3, both `O` in both pieces
 * ```
 */
export function joinPieces(
  pieces: readonly SentencePiece[],
  scored: readonly ScoredWords[],
  outsideId: number,
): ScoredWords {
  if (pieces.length === 1) return scored[0];
  const labelIds: number[] = [];
  const scores: Float32Array[] = [];
  let from = 0; // the first word the current piece owns
  pieces.forEach((piece, i) => {
    const next = pieces[i + 1];
    const seam = next ? seamBetween(piece, scored[i], next, scored[i + 1], outsideId) : piece.end;
    for (let word = from; word < seam; word++) {
      labelIds.push(scored[i].labelIds[word - piece.start]);
      scores.push(scored[i].scores[word - piece.start]);
    }
    from = seam;
  });
  return { labelIds, scores };
}

/** The first word `b` owns: nearest the middle of the shared words, one both pieces tag `O` if any. */
function seamBetween(
  a: SentencePiece,
  aScored: ScoredWords,
  b: SentencePiece,
  bScored: ScoredWords,
  outsideId: number,
): number {
  const middle = (b.start + a.end) >> 1;
  const outsideInBoth = (word: number) =>
    word >= b.start && word < a.end &&
    aScored.labelIds[word - a.start] === outsideId && bScored.labelIds[word - b.start] === outsideId;
  for (let distance = 0; distance <= a.end - b.start; distance++) {
    if (outsideInBoth(middle + distance)) return middle + distance;
    if (outsideInBoth(middle - distance)) return middle - distance;
  }
  return middle;
}
