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

/**
 * A mention as the conversion reads it: a typed span of its document's text, UTF-16 offsets, end exclusive
 * (lib/corpus's `Mention` is one).
 */
export interface TextMention {
  start: number;
  end: number;
  text: string;
  type: string;
}

/**
 * A document as the conversion reads it: its text, whose `title` and `abstract` parts are split into
 * sentences separately, and its mentions (lib/corpus's `Document` is one). `text === title + " " + abstract`
 * (or `"\n"` between them, or `title` alone when `abstract` is empty).
 */
export interface AnnotatedDocument {
  id: string;
  title: string;
  abstract: string;
  text: string;
  mentions: readonly TextMention[];
}
