/**
 * The labelled sentences a training run reads — a profile's `data`, split by split — and the label set they
 * define. `data` is one of
 *
 * - a corpus: a registry name (`bc5cdr`, `bc2gm`, `bionlp13cg`, …) or a folder/file of CoNLL or HF parquet
 *   split files, read through lib/corpus/load.ts from its own files every time (BC5CDR converted on the fly,
 *   about a second for its three splits: a stale conversion can never stand in for the data); one process
 *   reads a corpus once;
 * - a folder holding `train.jsonl` (BIO sentences, lib/bio/jsonl.ts: what `deno task convert` writes, or
 *   sentences made elsewhere): <folder>/<split>.jsonl.
 *
 * A relative path is read against the project root, as profiles' paths are.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { readSentencesJsonl } from "../bio/jsonl.ts";
import { labelsFromSentences } from "../bio/labels.ts";
import type { Sentence } from "../bio/types.ts";
import { isFile } from "../util/exists.ts";
import { projectPath } from "../util/paths.ts";
import type { Corpus } from "./corpus.ts";
import { MissingSplitError } from "./errors.ts";
import { loadCorpus } from "./load.ts";
import { type Split, SPLITS } from "./types.ts";

/** Options of {@link loadSplit} and {@link labelsOfData}. */
export interface LoadSplitOptions {
  /** Progress messages (where a corpus comes from). Default: none. */
  log?: (message: string) => void;
}

/** Corpora read in this process, by spec: a run reads train, dev, test and the labels of one corpus. */
const corpora = new Map<string, Promise<Corpus>>();

function cachedCorpus(spec: string, log?: (message: string) => void): Promise<Corpus> {
  let loading = corpora.get(spec);
  if (!loading) {
    loading = loadCorpus(spec, { log });
    // A failed read is not kept: the next call tries again (and reports again).
    loading.catch(() => corpora.delete(spec));
    corpora.set(spec, loading);
  }
  return loading;
}

/**
 * The sentences of `split` of `data` (see the module doc), and where they were read from. Throws a
 * {@link MissingSplitError} when a folder of converted sentences lacks the split's file; a corpus's missing
 * or empty split is returned empty (lib/train/data.ts's `checkSentences` refuses it where training needs it).
 *
 * @example
 * ```ts
 * const { sentences, source } = await loadSplit("data/fixtures/train", "train");
 * const bc2gm = await loadSplit("bc2gm", "dev"); // $MTL2016_DIR/BC2GM-IOB/devel.tsv
 * ```
 */
export async function loadSplit(
  data: string,
  split: Split,
  options: LoadSplitOptions = {},
): Promise<{ sentences: Sentence[]; source: string }> {
  const folder = isAbsolute(data) ? data : projectPath(data);
  if (await isFile(join(folder, "train.jsonl"))) {
    const path = join(folder, `${split}.jsonl`);
    if (!(await isFile(path))) throw new MissingSplitError(split, path);
    return { sentences: await readSentencesJsonl(path), source: path };
  }
  // A registry name stays a name; a path is read from where it is.
  const spec = await Deno.stat(folder).then(() => folder, () => data);
  const corpus = await cachedCorpus(spec, options.log);
  return { sentences: corpus.conversion(split).sentences, source: `${corpus.location} (${split})` };
}

/**
 * The label set `data` defines: `O`, then `B-`/`I-` of every entity type in its three splits, types sorted
 * (lib/bio/labels.ts) — for BC5CDR `O, B-Chemical, I-Chemical, B-Disease, I-Disease`. A missing dev or test
 * split counts as empty.
 *
 * @example
 * ```ts
 * await labelsOfData("bc2gm"); // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function labelsOfData(data: string, options: LoadSplitOptions = {}): Promise<string[]> {
  const sentences: Sentence[] = [];
  for (const split of SPLITS) {
    const read = await loadSplit(data, split, options).catch((error) => {
      if (split !== "train" && error instanceof MissingSplitError) return { sentences: [], source: "" };
      throw error;
    });
    // Said as such, not as the label set of nothing (only O) that it would give.
    if (split === "train" && read.sentences.length === 0) {
      throw new Error(
        `data ${data}: the train split (${read.source}) is empty: nothing to train or evaluate on`,
      );
    }
    sentences.push(...read.sentences);
  }
  try {
    return labelsFromSentences(sentences);
  } catch (error) {
    throw new Error(`data ${data}: ${(error as Error).message}`);
  }
}
