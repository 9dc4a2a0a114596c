/**
 * What the tokenizer stage hands to the model, training and inference stages.
 *
 * @module
 */

/** Label id of positions that carry no label (special tokens, non-first subwords, padding), as in HF. */
export const IGNORE_INDEX = -100;

/** Options of {@link EncodedWindow} production (`encodeWords`). */
export interface EncodeOptions {
  /** Sequence length including [CLS] and [SEP]. Default 128. */
  maxLength?: number;
  /**
   * Most subword tokens (whole words only) two consecutive windows share when a sentence is too long for
   * `maxLength`. Default 32.
   */
  stride?: number;
  /** Label every subword (B-X on a later subword becomes I-X, mapped by name) instead of only the first. */
  labelAllSubwords?: boolean;
}

/** One model input: a sentence, or one window of a sentence too long for `maxLength`. */
export interface EncodedWindow {
  /** WordPiece ids, starting with [CLS] and ending with [SEP]; no padding. */
  inputIds: number[];
  /** The WordPiece strings of `inputIds`. */
  tokens: string[];
  /** Index (into the sentence's words) of the word each token comes from; null for special tokens. */
  wordIds: (number | null)[];
  /** [start, end) offsets of each token in the text the words' offsets refer to; [0, 0] for special tokens. */
  offsets: [number, number][];
  /** One label id per token, {@link IGNORE_INDEX} where no label applies. Present when labels were given. */
  labels?: number[];
  /** Words [wordStart, wordEnd) appear in this window. */
  wordStart: number;
  wordEnd: number;
  /**
   * Words [ownedStart, ownedEnd) are the ones this window answers for when overlapping windows are merged
   * (each word is owned by exactly one window: the one where it has the most context).
   */
  ownedStart: number;
  ownedEnd: number;
}

/** A padded batch, row-major, ready for the model. */
export interface TokenBatch {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  /** Present when every window had labels; padding is {@link IGNORE_INDEX}. */
  labels?: Int32Array;
}
