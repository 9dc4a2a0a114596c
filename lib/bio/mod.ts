/**
 * BIO stage: PubMed-aware sentence splitting, word tokenization with offsets, lossless IOB2 tagging of a
 * document's mentions, the label module (tags.ts: the IOB syntax, tag schemes IOB2/IOBES and tags ↔ spans;
 * labels.ts: label sets derived from the data and their check), the document consistency rules over tags,
 * JSONL I/O of sentences, HTML of a tagged sentence, and the comparison with an independent IOB conversion.
 * It knows documents only by the small shape it declares ({@link AnnotatedDocument}); corpora live in
 * lib/corpus.
 *
 * @module
 */
export type { AnnotatedDocument, PartialAnnotation, Sentence, TextMention, Word } from "./types.ts";
export { ABBREVIATIONS, SENTENCE_FINAL_ABBREVIATIONS, splitSentences } from "./sentences.ts";
export type { Span, SplitSentencesOptions } from "./sentences.ts";
export { tokenizeWords } from "./words.ts";
export type { TokenizeOptions } from "./words.ts";
export {
  bioTagsFromSpans,
  continuesEntity,
  detectScheme,
  entitySpans,
  entityTag,
  isIob2Tag,
  OUTSIDE,
  parseTag,
  readSchemeSpans,
  spansFromBioTags,
  TagSchemeError,
  tagsFromSpans,
  tagType,
} from "./tags.ts";
export type {
  EntityPrefix,
  ParsedTag,
  SchemeReading,
  TagRepair,
  TagScheme,
  TokenSpan,
  TypedSpan,
} from "./tags.ts";
export { convertDocuments, resolveOverlaps, sentencesFromDocument, sentencesFromText } from "./convert.ts";
export type { ConversionReport, LostMention } from "./convert.ts";
export { checkLossless, countByType } from "./lossless.ts";
export type { LosslessCheck } from "./lossless.ts";
export {
  allowedLabels,
  labelSetProblems,
  labelsFromSentences,
  labelsOfTypes,
  MAX_ENTITY_TYPES,
  validateLabelSet,
} from "./labels.ts";

export {
  abbreviationPairs,
  consistencyOptionsProblems,
  consistentCorpusTags,
  consistentTags,
} from "./consistency.ts";
export type { AbbreviationPair, ConsistencyOptions } from "./consistency.ts";
export {
  reportedLabels,
  type ReportedTypes,
  reportedTypesProblems,
  reportEntities,
} from "./reported_types.ts";
export {
  formatSentencesJsonl,
  parseSentencesJsonl,
  readSentencesJsonl,
  writeSentencesJsonl,
} from "./jsonl.ts";
export { compareWithReference } from "./reference.ts";
export type { IobSentence, ReferenceComparison, ReferenceDisagreement } from "./reference.ts";
export { bioSentenceHtml } from "./html.ts";
