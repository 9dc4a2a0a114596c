/**
 * Sentence-level types produced by the BIO stage and read by the tokenizer, training and analysis.
 *
 * @module
 */

/** A word with UTF-16 offsets into its document's text (end exclusive). */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/**
 * One sentence of one document, split into words, with one IOB2 tag per word
 * (`O`, `B-Chemical`, `I-Chemical`, `B-Disease`, `I-Disease`).
 * This is also the line format of `outputs/bio/{train,dev,test}.jsonl`.
 */
export interface Sentence {
  docId: string;
  /** Index of the sentence inside its document (0-based). */
  index: number;
  /** Offsets of the sentence in the document text. */
  start: number;
  end: number;
  words: Word[];
  tags: string[];
}
