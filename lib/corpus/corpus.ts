/**
 * The one corpus type. A {@link Corpus} — whatever files it was read from — offers per split its documents
 * and its BIO sentences with the conversion's report, so a caller never asks what kind of corpus it holds:
 *
 * - a corpus of documents (BC5CDR: abstracts with mention offsets) has its documents as read; its sentences
 *   are lib/bio's conversion of them, made on first use of a split and then kept;
 * - a word-tokenised corpus (CoNLL files, HF `tokens` + `ner_tags`) has its own tokens as sentences, kept,
 *   and documents rebuilt from them (lib/corpus/token_conversion.ts), both made when it is read.
 *
 * @module
 */
import { basename } from "node:path";
import { type ConversionReport, convertDocuments, type LostMention } from "../bio/convert.ts";
import type { Sentence } from "../bio/types.ts";
import type { DocumentFiles, DocumentSource } from "./readers/bc5cdr.ts";
import type { HfReadStats } from "./readers/hf_parquet.ts";
import type { TokenFiles } from "./readers/token_files.ts";
import type { CorpusEntry } from "./registry.ts";
import type { TokenConversionReport } from "./token_conversion.ts";
import { type Document, type Split, SPLITS } from "./types.ts";

/** What a corpus was read from: documents (`pubtator`, `parquet`, `hub`) or word-tokenised files. */
export type CorpusSource = DocumentSource | "tokens";

/** One split as BIO sentences, with what the conversion found. */
export interface SplitConversion {
  sentences: Sentence[];
  /** Counts; for a word-tokenised corpus also its tag scheme, repairs and token check. */
  report: ConversionReport | TokenConversionReport;
  /** Mentions that did not come out as exactly one entity (overlaps, which flat IOB2 cannot hold). */
  lostMentions: LostMention[];
}

/** A loaded corpus (see the module doc). */
export interface Corpus {
  /** The registry name, or the path it was read from. */
  name: string;
  /** Its registry entry; undefined for a path. */
  entry?: CorpusEntry;
  /** What it is, for headings: the entry's title, or `<folder> (your corpus)` for a path. */
  title: string;
  source: CorpusSource;
  /** Where it was read from (folder, files or hub URLs). */
  location: string;
  /** For HF parquet documents: entities dropped or tolerated when flattened (readers/hf_parquet.ts). */
  hfStats?: HfReadStats;
  /** The documents of each split (splits not read are empty). */
  splits: Record<Split, Document[]>;
  /** The BIO sentences of a split, with the conversion's report (see the module doc). */
  conversion(split: Split): SplitConversion;
}

/**
 * A word-tokenised corpus's report of a split (with its tag scheme, tokens and repairs); undefined for a
 * corpus of documents, which is not converted for it.
 *
 * @example
 * ```ts
 * import { loadCorpus } from "./load.ts";
 * tokenReport(await loadCorpus("bc2gm"), "train")?.scheme; // "IOB2"
 * ```
 */
export function tokenReport(corpus: Corpus, split: Split): TokenConversionReport | undefined {
  return corpus.source === "tokens" ? corpus.conversion(split).report as TokenConversionReport : undefined;
}

/** Who a corpus is: its name, and its registry entry when it has one. */
export interface CorpusIdentity {
  name: string;
  entry?: CorpusEntry;
}

function titleOf({ name, entry }: CorpusIdentity): string {
  return entry?.title ?? `${basename(name)} (your corpus)`;
}

/**
 * A corpus of documents; each split is converted to sentences by lib/bio on first use.
 *
 * @example
 * ```ts
 * import { readBc5cdr } from "./readers/bc5cdr.ts";
 * const corpus = documentCorpus({ name: "fixture" }, await readBc5cdr({ dir: "data/fixtures/corpus" }));
 * corpus.conversion("train").report.lost; // 0
 * ```
 */
export function documentCorpus(identity: CorpusIdentity, read: DocumentFiles): Corpus {
  const converted = new Map<Split, SplitConversion>();
  return {
    ...identity,
    title: titleOf(identity),
    source: read.source,
    location: read.location,
    hfStats: read.hfStats,
    splits: read.splits,
    conversion(split) {
      let conversion = converted.get(split);
      if (!conversion) {
        conversion = convertDocuments(read.splits[split]);
        converted.set(split, conversion);
      }
      return conversion;
    },
  };
}

/**
 * A word-tokenised corpus, from its read and converted split files.
 *
 * @example
 * ```ts
 * import { readTokenFiles } from "./readers/token_files.ts";
 * const corpus = tokenCorpus({ name: "c" }, await readTokenFiles({ train: "c/train.tsv" }));
 * corpus.conversion("train").sentences[0].words; // the file's own tokens
 * ```
 */
export function tokenCorpus(identity: CorpusIdentity, read: TokenFiles): Corpus {
  const splits = Object.fromEntries(SPLITS.map((s) => [s, read.splits[s].documents])) as Record<
    Split,
    Document[]
  >;
  return {
    ...identity,
    title: titleOf(identity),
    source: "tokens",
    location: read.location,
    splits,
    conversion(split) {
      const { sentences, report, lostMentions } = read.splits[split];
      return { sentences, report, lostMentions };
    },
  };
}
