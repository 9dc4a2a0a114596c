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
  /**
   * What the tags allow besides themselves when the sentence's corpus annotates only some of the model's
   * types ({@link PartialAnnotation}); absent: every tag is exactly what it says.
   */
  partial?: PartialAnnotation;
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

/**
 * What a partially annotated corpus's tags allow (Greenberg et al. 2018, "Marginal likelihood training of
 * BiLSTM-CRF for biomedical named entity recognition from disjoint label sets", EMNLP): a word its corpus
 * tags `O` may be any entity of a type that corpus leaves unannotated (`open`), and a mention of a coarse type
 * may be any of the finer types it stands for (`alternatives`). Training maximises the summed probability of
 * every tag sequence these allow, so no corpus teaches "not an entity" for a type it never annotates.
 */
export interface PartialAnnotation {
  /** Labels an `O` word may take besides `O`: `B-`/`I-` of every type the corpus leaves unannotated. */
  open: readonly string[];
  /** A tag → every tag it may stand for, itself first; a tag not listed stands only for itself. */
  alternatives: ReadonlyMap<string, readonly string[]>;
}
