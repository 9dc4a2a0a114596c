/**
 * The document-level types every stage of the pipeline shares.
 *
 * @module
 */

/** The dataset splits, named as in the original corpus release (train / development / test). */
export type Split = "train" | "dev" | "test";

/** The splits in pipeline order. */
export const SPLITS: readonly Split[] = ["train", "dev", "test"];

/**
 * One annotated mention. Offsets are UTF-16 code-unit offsets into {@link Document.text},
 * end exclusive, so `doc.text.slice(start, end) === text`.
 */
export interface Mention {
  start: number;
  end: number;
  text: string;
  /** "Chemical" or "Disease" in BC5CDR; kept as a string so other corpora fit. */
  type: string;
  /** Concept ids (MeSH); a composite mention has several, an unnormalised one none (`-1` in PubTator). */
  ids: string[];
  /** For discontiguous mentions (HF schema): every [start, end) piece. Absent when contiguous. */
  pieces?: [number, number][];
  /**
   * For composite mentions ("Ocular and auditory toxicity"): the texts of the individual mentions they
   * stand for ("Ocular toxicity", "auditory toxicity"), one per id, from PubTator's 7th column.
   */
  individualMentions?: string[];
}

/** A document-level relation between two concepts (BC5CDR: chemical-induced disease, "CID"). */
export interface Relation {
  type: string;
  /** Concept id of the first argument (BC5CDR: the chemical's MeSH id). */
  arg1: string;
  /** Concept id of the second argument (BC5CDR: the disease's MeSH id). */
  arg2: string;
}

/**
 * One abstract. `text === title + " " + abstract` (the PubTator convention for offsets). Documents rebuilt
 * from word-tokenised corpora (lib/corpus/token_conversion.ts) join their sentences by line breaks instead:
 * there the title is the first sentence and `text === title + "\n" + abstract` (or `title` alone).
 */
export interface Document {
  id: string;
  title: string;
  abstract: string;
  text: string;
  mentions: Mention[];
  relations: Relation[];
}
