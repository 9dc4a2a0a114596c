/**
 * How a document to tag is cut into sentences: a PubTator-style document (`text === title + " " + abstract`)
 * like the training data — title and abstract separately — and any other text by a sentence splitter.
 *
 * @module
 */
import { sentencesFromDocument, sentencesFromText } from "../bio/convert.ts";
import type { Sentence } from "../bio/types.ts";

/**
 * A document for the pipeline's `recognizeDocuments`: anything with a text. A PubTator-style document
 * (`text === title + " " + abstract`) is split like the training data: title and abstract separately.
 */
export interface TextDocument {
  text: string;
  title?: string;
  abstract?: string;
}

/**
 * The sentences (with word offsets into `doc.text`) the pipeline tags for `doc`.
 *
 * @example
 * ```ts
 * const title = "Naloxone and clonidine.", abstract = "Naloxone reverses it. In rats.";
 * documentSentences({ title, abstract, text: `${title} ${abstract}` }).length; // 3
 * ```
 */
export function documentSentences(
  doc: TextDocument,
  splitSentences: (text: string) => Sentence[] = sentencesFromText,
): Sentence[] {
  const { text, title, abstract } = doc;
  if (title === undefined || abstract === undefined || text !== `${title} ${abstract}`) {
    return splitSentences(text);
  }
  return sentencesFromDocument({ id: "", title, abstract, text, mentions: [] });
}
