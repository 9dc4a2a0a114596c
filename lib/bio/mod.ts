/**
 * BIO stage: PubMed-aware sentence splitting, word tokenization with offsets, lossless IOB2 tagging of
 * mentions, JSONL I/O of sentences, and the comparison with an independent IOB conversion; word-tokenised
 * corpora (CoNLL files, Hugging Face `tokens` + `ner_tags` datasets) kept as tokenised, the corpus registry;
 * the label module (tags.ts: the IOB syntax and tags ↔ spans; labels.ts: label sets and their check), and the
 * document consistency rules over tags.
 *
 * @module
 */
export type { Sentence, Word } from "./types.ts";
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
export { parseConll, readConll } from "./conll.ts";
export type { ParseConllOptions } from "./conll.ts";
export { convertTokenSentences } from "./token_corpus.ts";
export type { TokenConversion, TokenConversionReport, TokenSentence } from "./token_corpus.ts";
export { classLabelNames, readHfTokenParquet } from "./hf_tokens.ts";
export type { HfTokenSplit } from "./hf_tokens.ts";
export { downloadHubTokenDataset, TOKEN_DATASET_CACHE } from "./hf_hub.ts";
export type { HubTokenDataset, HubTokenDownloadOptions } from "./hf_hub.ts";
export { CORPORA, corpusFolderFiles, loadNamedCorpus, loadTokenFiles } from "./corpora.ts";
export type { CorpusEntry, LoadNamedCorpusOptions, NamedCorpus, TokenCorpus } from "./corpora.ts";
export { labelSetProblems, labelsFromSentences, MAX_ENTITY_TYPES, validateLabelSet } from "./labels.ts";
export {
  abbreviationPairs,
  consistencyOptionsProblems,
  consistentCorpusTags,
  consistentTags,
} from "./consistency.ts";
export type { AbbreviationPair, ConsistencyOptions } from "./consistency.ts";
export {
  chosenCorpus,
  convertedCorpusDir,
  corpusDisplayName,
  corpusSlug,
  DEFAULT_CORPUS,
  runNameFor,
} from "./corpus_names.ts";
export {
  corpusOriginRows,
  exampleDocumentsHtml,
  isTokenCorpus,
  loadChosenCorpus,
  splitSizeTables,
} from "./chosen_corpus.ts";
export type { ChosenCorpus } from "./chosen_corpus.ts";
export { conversionCheckTables, walkthroughDocument } from "./conversion_views.ts";
export type { WalkthroughDocument } from "./conversion_views.ts";
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
