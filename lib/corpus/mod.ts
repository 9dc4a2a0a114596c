/**
 * Corpus stage, the one corpus layer: a corpus by registry name or path → a {@link Corpus} with, per split,
 * its documents and its BIO sentences, whatever it was read from (BC5CDR's PubTator or HF parquet abstracts,
 * CoNLL files, HF `tokens` + `ner_tags` datasets); the registry and its names; the training data loader;
 * the conversion step of `deno task convert`; and the views the notebooks show of a corpus.
 *
 * @module
 */
export type { Document, Mention, Relation, Split } from "./types.ts";
export { SPLITS } from "./types.ts";
export { CorpusFormatError, MissingSplitError } from "./errors.ts";
export type { Corpus, CorpusSource, SplitConversion } from "./corpus.ts";
export { loadChosenCorpus, loadCorpus } from "./load.ts";
export type { LoadCorpusOptions } from "./load.ts";
export { CORPORA, registryEntry } from "./registry.ts";
export type { CorpusEntry } from "./registry.ts";
export {
  chosenCorpus,
  convertedCorpusDir,
  corpusDisplayName,
  corpusListEntries,
  corpusSlug,
  DEFAULT_CORPUS,
  runNameFor,
} from "./names.ts";
export { labelsOfData, loadSplit } from "./splits.ts";
export type { LoadSplitOptions } from "./splits.ts";
export { convertCorpus, findIobReference } from "./convert.ts";
export type { ConversionSummary, ConvertCorpusOptions, ConvertedCorpus, ConvertedSplit } from "./convert.ts";
export {
  convertTokenSentences,
  TOKEN_CORPUS_LIMITS,
  TokenCorpusSize,
  tokenLine,
} from "./token_conversion.ts";
export type { TokenConversion, TokenConversionReport, TokenSentence } from "./token_conversion.ts";
export { formatPubTator, parsePubTator, readPubTator } from "./readers/pubtator.ts";
export type { ParsePubTatorOptions } from "./readers/pubtator.ts";
export {
  documentsFromHfRows,
  emptyHfReadStats,
  flattenEntities,
  readHfParquet,
} from "./readers/hf_parquet.ts";
export type { HfEntity, HfPassage, HfReadStats, HfRelation, HfRow } from "./readers/hf_parquet.ts";
export { PUBTATOR_FILES, readBc5cdr } from "./readers/bc5cdr.ts";
export type { DocumentFiles, DocumentFilesOptions, DocumentSource } from "./readers/bc5cdr.ts";
export {
  downloadHubParquet,
  HF_DATASET,
  HF_PARQUET_FILES,
  HF_PARQUET_SIZES,
  HUB_CACHE_DIR,
  hubParquetUrl,
} from "./readers/bc5cdr_hub.ts";
export type { HubDownloadOptions } from "./readers/bc5cdr_hub.ts";
export { parseConll, readConll } from "./readers/conll.ts";
export type { ParseConllOptions } from "./readers/conll.ts";
export { classLabelNames, readHfTokenParquet } from "./readers/hf_tokens.ts";
export type { HfTokenSplit } from "./readers/hf_tokens.ts";
export { downloadHubTokenDataset, TOKEN_DATASET_CACHE } from "./readers/token_hub.ts";
export type { HubTokenDataset, HubTokenDownloadOptions } from "./readers/token_hub.ts";
export { corpusFolderFiles, readTokenFiles } from "./readers/token_files.ts";
export type { TokenFiles } from "./readers/token_files.ts";
export { IOB_FILES, readIobReference } from "./readers/iob_reference.ts";
export { highlightMentionsHtml } from "./views/highlight.ts";
export type { HighlightDocumentOptions } from "./views/highlight.ts";
export {
  corpusSummaryRows,
  FEW_TYPES,
  mentionFrequencyFigure,
  mentionLengthFigure,
  mentionsPerSplitFigure,
  mentionsPerTypeRows,
  mentionTypes,
  mentionVocabularyRows,
  typesByFrequency,
} from "./views/figures.ts";
export type { SplitDocuments } from "./views/figures.ts";
export { corpusOriginRows, corpusPalette, exampleDocumentsHtml, splitSizeTables } from "./views/overview.ts";
export { conversionCheckTables, walkthroughDocument } from "./views/conversion.ts";
export type { WalkthroughDocument } from "./views/conversion.ts";
