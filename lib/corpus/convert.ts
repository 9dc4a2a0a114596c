/**
 * The conversion stage as one step, shared by `deno task convert` and notebook 02: a loaded corpus → IOB2
 * sentences per split (its {@link Corpus.conversion}), checked for lost mentions and compared with the
 * independent IOB conversion when one is at hand, and (given `outDir`) written as `{train,dev,test}.jsonl` +
 * `report.json` in one atomic step. A word-tokenised corpus's report adds the tag scheme, the repairs and the
 * token check. Either way the result names the corpus and its label set.
 *
 * @module
 */
import { join } from "node:path";
import { type Corpus, tokenReport } from "./corpus.ts";
import { type Split, SPLITS } from "./types.ts";
import { writeDirAtomic } from "../util/atomic.ts";
import type { ConversionReport, LostMention } from "../bio/convert.ts";
import { formatSentencesJsonl } from "../bio/jsonl.ts";
import { compareWithReference, type ReferenceComparison } from "../bio/reference.ts";
import type { Sentence } from "../bio/types.ts";
import { envValue } from "../util/config.ts";
import { MAX_LINE_CHARS } from "../util/lines.ts";
import { IOB_FILES, readIobReference } from "./readers/iob_reference.ts";
import type { TokenConversionReport } from "./token_conversion.ts";
import { labelsFromSentences, validateLabelSet } from "../bio/labels.ts";
import { DEFAULT_CORPUS } from "./names.ts";
import { registryEntry } from "./registry.ts";

/** Options of {@link convertCorpus}. */
export interface ConvertCorpusOptions {
  /** The corpus (lib/corpus/load.ts's `loadCorpus`). */
  corpus: Corpus;
  /** The corpus's name in outputs. Default its own name. */
  name?: string;
  /** A folder with the IOB reference files ({@link findIobReference}); none: `reference` stays null. */
  referenceDir?: string;
  /** Where to write the splits and report.json; the folder is replaced as a whole. None: nothing is written. */
  outDir?: string;
  /** Progress messages. Default: none. */
  log?: (message: string) => void;
}

/** One converted split. */
export interface ConvertedSplit {
  sentences: Sentence[];
  /** For a token corpus, with its scheme, repairs and token check. */
  report: ConversionReport | TokenConversionReport;
  lostMentions: LostMention[];
  /** The comparison with the reference conversion, or null without one. */
  reference: ReferenceComparison | null;
}

/** A split's line of the summary (the JSON `deno task convert` prints). */
export interface ConversionSummary
  extends Pick<ConversionReport, "documents" | "sentences" | "mentions" | "entities" | "lost"> {
  /** Entity agreement with the reference (4 decimals), or null without one. */
  iobAgreement: number | null;
}

/** What {@link convertCorpus} returns. */
export interface ConvertedCorpus {
  /** The corpus's name (registry name or path). */
  corpus: string;
  /** Its label set, derived from the sentences of all splits ({@link labelsFromSentences}). */
  labels: string[];
  splits: Record<Split, ConvertedSplit>;
  summary: Record<Split, ConversionSummary>;
}

/**
 * The IOB reference folder of `corpus` (default the default corpus): `reference` when given (an error when
 * it lacks the files), else its entry's `iobReference` folder inside `dir` (default `$BC5CDR_DIR`) when it
 * holds them, else undefined. Only BC5CDR has such a reference (an independent conversion of its documents):
 * for any other corpus there is none (undefined).
 *
 * @example
 * ```ts
 * const referenceDir = await findIobReference({ dir: "/data/bc5cdr" }); // "/data/bc5cdr/iob" or undefined
 * await findIobReference({ corpus: "bc2gm" });                          // undefined
 * ```
 */
export async function findIobReference(
  options: { dir?: string; reference?: string; corpus?: string } = {},
): Promise<string | undefined> {
  const folder = registryEntry(options.corpus ?? DEFAULT_CORPUS)?.iobReference;
  if (!folder) return undefined;
  const corpusDir = options.dir ?? envValue("BC5CDR_DIR");
  const dir = options.reference ?? (corpusDir ? join(corpusDir, folder) : undefined);
  if (!dir) return undefined;
  const present = await Deno.stat(join(dir, IOB_FILES.train)).then(() => true, () => false);
  if (!present && options.reference) throw new Error(`${dir}: no ${IOB_FILES.train} there`);
  return present ? dir : undefined;
}

/**
 * Converts every split of `corpus`, compares with the reference and writes the result when `outDir` is given
 * (atomically: on any failure the old folder stays as it was).
 *
 * @example
 * ```ts
 * import { loadChosenCorpus } from "./load.ts";
 * const corpus = await loadChosenCorpus();
 * const referenceDir = await findIobReference({ corpus: corpus.name });
 * const { summary } = await convertCorpus({ corpus, referenceDir, outDir: "outputs/bio" });
 * summary.train.lost; // 0
 * ```
 */
export async function convertCorpus(options: ConvertCorpusOptions): Promise<ConvertedCorpus> {
  const { corpus, referenceDir, outDir, log = () => {} } = options;
  const name = options.name ?? corpus.name;
  const splits = {} as Record<Split, ConvertedSplit>;
  const summary = {} as Record<Split, ConversionSummary>;
  for (const split of SPLITS) {
    const { sentences, report, lostMentions } = corpus.conversion(split);
    const reference = referenceDir
      ? compareWithReference(sentences, await readIobReference(referenceDir, split))
      : null;
    for (const { docId, mention } of lostMentions) {
      const { start, end, type, text } = mention;
      log(`${split}: LOST ${docId} [${start}, ${end}) ${type} ${JSON.stringify(text)}`);
    }
    splits[split] = { sentences, report, lostMentions, reference };
    const { documents, mentions, entities, lost } = report;
    summary[split] = {
      documents,
      sentences: report.sentences,
      mentions,
      entities,
      lost,
      iobAgreement: reference ? Number(reference.agreement.toFixed(4)) : null,
    };
    const tokens = tokenReport(corpus, split);
    if (tokens) {
      const { repairExamples, repairs, scheme } = tokens;
      for (const example of repairExamples) log(`${split}: repaired ${example}`);
      log(`${split}: ${tokens.tokens} tokens, ${repairs} tags repaired, scheme ${scheme ?? "-"}`);
    }
    log(
      `${split}: ${documents} documents → ${report.sentences} sentences` +
        (reference ? ` (reference ${reference.referenceSentences})` : "") +
        `, ${lost} lost, ${reference?.disagreements.length ?? "-"} documents disagreeing with the reference`,
    );
  }
  const labels = labelsFromSentences(SPLITS.flatMap((split) => splits[split].sentences));
  validateLabelSet(labels, `corpus ${name}`);
  log(`corpus ${name}: ${labels.length} labels (${labels.join(" ")})`);
  if (outDir !== undefined) {
    await writeDirAtomic(outDir, async (dir) => {
      for (const split of SPLITS) {
        await writeSentenceLines(join(dir, `${split}.jsonl`), splits[split].sentences, split);
      }
      const details = Object.fromEntries(
        SPLITS.map((split) => [split, { ...splits[split].report, reference: splits[split].reference }]),
      );
      const report = {
        corpus: name,
        labels,
        source: corpus.source,
        location: corpus.location,
        hfStats: corpus.hfStats,
        splits: details,
      };
      await Deno.writeTextFile(join(dir, "report.json"), JSON.stringify(report, null, 1) + "\n");
    });
    log(`wrote ${outDir}/{train,dev,test}.jsonl and report.json`);
  }
  return { corpus: name, labels, splits, summary };
}

/**
 * Writes `sentences` as JSONL (lib/bio/jsonl.ts's lines) a batch of lines at a time, never as one string of
 * the whole split (a string holds at most 512 Mi characters; a large split's JSONL is more). A sentence whose
 * line would be over the line readers' limit is refused: every reader of the file would refuse it.
 */
async function writeSentenceLines(path: string, sentences: readonly Sentence[], split: Split): Promise<void> {
  using file = await Deno.open(path, { write: true, createNew: true });
  const encoder = new TextEncoder();
  const writeAll = async (bytes: Uint8Array) => {
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
  };
  let batch: string[] = [], batchLength = 0;
  for (const sentence of sentences) {
    const line = formatSentencesJsonl([sentence]);
    if (line.length - 1 > MAX_LINE_CHARS) {
      throw new Error(
        `${split}: sentence ${sentence.index + 1} of document ${JSON.stringify(sentence.docId)} (` +
          `${sentence.words.length} words) would be a JSONL line of ${
            line.length - 1
          } characters, over the ` +
          `line limit of ${MAX_LINE_CHARS} (docs/reliability.md); refused`,
      );
    }
    batch.push(line);
    batchLength += line.length;
    if (batchLength >= WRITE_BATCH_CHARS) {
      await writeAll(encoder.encode(batch.join("")));
      batch = [], batchLength = 0;
    }
  }
  await writeAll(encoder.encode(batch.join("")));
}

/** About how much JSONL text {@link writeSentenceLines} encodes and writes at once. */
const WRITE_BATCH_CHARS = 1 << 20;
