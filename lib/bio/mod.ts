/**
 * BIO stage: PubMed-aware sentence splitting, word tokenization with offsets, lossless IOB2 tagging of a
 * document's mentions, tag schemes (IOB2, IOBES), label sets derived from the data, JSONL I/O of sentences,
 * HTML of a tagged sentence, and the comparison with an independent IOB conversion. It knows documents only
 * by the small shape it declares ({@link AnnotatedDocument}); corpora live in lib/corpus.
 *
 * @module
 */
export type { AnnotatedDocument, Sentence, TextMention, Word } from "./types.ts";
export { ABBREVIATIONS, SENTENCE_FINAL_ABBREVIATIONS, splitSentences } from "./sentences.ts";
export type { Span, SplitSentencesOptions } from "./sentences.ts";
export { tokenizeWords } from "./words.ts";
export type { TokenizeOptions } from "./words.ts";
export { bioTagsFromSpans, OUTSIDE, spansFromBioTags } from "./tags.ts";
export type { TypedSpan } from "./tags.ts";
export { convertDocuments, resolveOverlaps, sentencesFromDocument, sentencesFromText } from "./convert.ts";
export type { ConversionReport, LostMention } from "./convert.ts";
export { checkLossless, countByType } from "./lossless.ts";
export type { LosslessCheck } from "./lossless.ts";
export { detectScheme, readSchemeSpans, splitTag, TagSchemeError, tagsFromSpans } from "./schemes.ts";
export type { SchemeReading, TagRepair, TagScheme, TokenSpan } from "./schemes.ts";
export { labelsFromSentences } from "./labels.ts";
export {
  formatSentencesJsonl,
  parseSentencesJsonl,
  readSentencesJsonl,
  writeSentencesJsonl,
} from "./jsonl.ts";
export { compareWithReference } from "./reference.ts";
export type { IobSentence, ReferenceComparison, ReferenceDisagreement } from "./reference.ts";
export { bioSentenceHtml } from "./html.ts";
