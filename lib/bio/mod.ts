/**
 * BIO stage: PubMed-aware sentence splitting, word tokenization with offsets, lossless IOB2 tagging of
 * mentions, JSONL I/O of sentences, and the comparison with an independent IOB conversion.
 *
 * @module
 */
export type { Sentence, Word } from "./types.ts";
export { ABBREVIATIONS, SENTENCE_FINAL_ABBREVIATIONS, splitSentences } from "./sentences.ts";
export type { Span, SplitSentencesOptions } from "./sentences.ts";
export { tokenizeWords } from "./words.ts";
export type { TokenizeOptions } from "./words.ts";
export { bioTagsFromSpans, OUTSIDE, spansFromBioTags } from "./tags.ts";
export type { TypedSpan } from "./tags.ts";
export { convertDocuments, resolveOverlaps, sentencesFromDocument, sentencesFromText } from "./convert.ts";
export type { ConversionReport, LostMention } from "./convert.ts";
export {
  formatSentencesJsonl,
  parseSentencesJsonl,
  readSentencesJsonl,
  writeSentencesJsonl,
} from "./jsonl.ts";
export { compareWithReference, IOB_FILES, readIobReference } from "./reference.ts";
export type { IobSentence, ReferenceComparison, ReferenceDisagreement } from "./reference.ts";
export { bioSentenceHtml } from "./html.ts";
export { convertCorpus, findIobReference } from "./convert_corpus.ts";
export type {
  ConversionSummary,
  ConvertCorpusOptions,
  ConvertedCorpus,
  ConvertedSplit,
} from "./convert_corpus.ts";
