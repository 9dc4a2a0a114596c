/**
 * Corpus stage: BC5CDR documents from the original PubTator files, the Hugging Face parquet files, or the
 * hub, through one front door ({@link loadCorpus}).
 *
 * @module
 */
export type { Document, Mention, Relation, Split } from "./types.ts";
export { SPLITS } from "./types.ts";
export { CorpusFormatError } from "./errors.ts";
export { formatPubTator, parsePubTator, readPubTator } from "./pubtator.ts";
export type { ParsePubTatorOptions } from "./pubtator.ts";
export { documentsFromHfRows, emptyHfReadStats, flattenEntities, readHfParquet } from "./hf_parquet.ts";
export type { HfEntity, HfPassage, HfReadStats, HfRelation, HfRow } from "./hf_parquet.ts";
export {
  downloadHubParquet,
  HF_DATASET,
  HF_PARQUET_FILES,
  HF_PARQUET_SIZES,
  HUB_CACHE_DIR,
  hubParquetUrl,
} from "./hub.ts";
export type { HubDownloadOptions } from "./hub.ts";
export { loadCorpus, PUBTATOR_FILES } from "./load.ts";
export type { Corpus, CorpusSource, LoadCorpusOptions } from "./load.ts";
export { highlightMentionsHtml } from "./highlight.ts";
export type { HighlightDocumentOptions } from "./highlight.ts";
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
} from "./figures.ts";
export type { SplitDocuments } from "./figures.ts";
