/**
 * The labelled splits of a profile's `data`, and the label set they define. `data` is one of
 *
 * - `"bc5cdr"`: outputs/bio/<split>.jsonl (what `deno task convert` writes), or — when that file is missing —
 *   converted from the corpus on the fly (lib/corpus's loader: `BC5CDR_DIR`, data caches or the hub);
 * - a folder holding `train.jsonl` (BIO sentences, lib/bio/jsonl.ts): <folder>/<split>.jsonl;
 * - any other corpus of the registry (`bc2gm`, `linnaeus`, `bionlp13cg`, …) or a folder/file of CoNLL or HF
 *   parquet split files (lib/bio/corpora.ts): read from its own files, tokens kept, every time (so a stale
 *   conversion can never stand in for the data); one process reads a corpus once.
 *
 * @module
 */
import { join } from "node:path";
import { convertDocuments } from "../bio/convert.ts";
import { loadNamedCorpus, type TokenCorpus } from "../bio/corpora.ts";
import { readSentencesJsonl } from "../bio/jsonl.ts";
import { labelsFromSentences } from "../bio/labels.ts";
import type { Sentence } from "../bio/types.ts";
import { loadCorpus } from "../corpus/load.ts";
import { type Split, SPLITS } from "../corpus/types.ts";
import { type LabelledProfile, resolveProjectPath, type TrainProfile } from "./profile.ts";

/** Where a split of `data` is read from. */
type SplitSource =
  | { kind: "jsonl"; path: string; convertIfMissing: boolean }
  | { kind: "corpus"; spec: string };

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}

async function splitSource(data: string, split: Split, outputsDir: string): Promise<SplitSource> {
  if (data === "bc5cdr") {
    return { kind: "jsonl", path: join(outputsDir, "bio", `${split}.jsonl`), convertIfMissing: true };
  }
  const folder = resolveProjectPath(data);
  if (await isFile(join(folder, "train.jsonl"))) {
    return { kind: "jsonl", path: join(folder, `${split}.jsonl`), convertIfMissing: false };
  }
  // A registry name stays a name; a path is resolved as profiles resolve paths (against the project root).
  const asPath = await Deno.stat(folder).then(() => true, () => false);
  return { kind: "corpus", spec: asPath ? folder : data };
}

/** Token corpora read in this process, by spec: a run reads train, dev, test and the labels of one corpus. */
const tokenCorpora = new Map<string, Promise<TokenCorpus>>();

function tokenCorpus(spec: string, log?: (message: string) => void): Promise<TokenCorpus> {
  let loading = tokenCorpora.get(spec);
  if (!loading) {
    loading = loadNamedCorpus(spec, { log }).then(({ name, corpus }) => {
      if (!("kind" in corpus)) throw new Error(`${name}: expected a word-tokenised corpus`);
      return corpus;
    });
    // A failed read is not kept: the next call tries again (and reports again).
    loading.catch(() => tokenCorpora.delete(spec));
    tokenCorpora.set(spec, loading);
  }
  return loading;
}

/**
 * The sentences of `split` of `data` (see the module doc), and where they were read from. Throws when the
 * split does not exist; an empty split is returned as it is (lib/train/data.ts's `checkSentences` refuses
 * it where training needs it).
 *
 * @example
 * ```ts
 * const { sentences, source } = await loadSplit("data/fixtures/train", "train", { outputsDir: "outputs" });
 * const bc2gm = await loadSplit("bc2gm", "dev", { outputsDir: "outputs" }); // $MTL2016_DIR/BC2GM-IOB/devel.tsv
 * ```
 */
export async function loadSplit(
  data: string,
  split: Split,
  options: { outputsDir: string; log?: (message: string) => void },
): Promise<{ sentences: Sentence[]; source: string }> {
  const source = await splitSource(data, split, options.outputsDir);
  if (source.kind === "corpus") {
    const corpus = await tokenCorpus(source.spec, options.log);
    return { sentences: corpus.splits[split].sentences, source: `${corpus.location} (${split})` };
  }
  if (await isFile(source.path)) {
    return { sentences: await readSentencesJsonl(source.path), source: source.path };
  }
  if (!source.convertIfMissing) throw new Error(`no ${split} split: ${source.path} does not exist`);
  const corpus = await loadCorpus();
  options.log?.(
    `${source.path} missing: converting the ${split} split of ${corpus.location} (deno task convert saves it)`,
  );
  const { sentences } = convertDocuments(corpus.splits[split]);
  return { sentences, source: `${corpus.location} (${split}, converted)` };
}

/**
 * The label set `data` defines: `O`, then `B-`/`I-` of every entity type in its three splits, types sorted
 * (lib/bio/labels.ts) — for BC5CDR `O, B-Chemical, I-Chemical, B-Disease, I-Disease`. A missing split
 * counts as empty.
 *
 * @example
 * ```ts
 * await labelsOfData("bc2gm", { outputsDir: "outputs" }); // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function labelsOfData(
  data: string,
  options: { outputsDir: string; log?: (message: string) => void },
): Promise<string[]> {
  const sentences: Sentence[] = [];
  for (const split of SPLITS) {
    const read = await loadSplit(data, split, options).catch((error) => {
      if (split !== "train" && /^no \w+ split:/.test(error.message)) return { sentences: [] };
      throw error;
    });
    sentences.push(...read.sentences);
  }
  try {
    return labelsFromSentences(sentences);
  } catch (error) {
    throw new Error(`data ${data}: ${(error as Error).message}`);
  }
}

/**
 * `profile` with its label set: the profile's own `labels` when it lists them (the data is checked against
 * them), else {@link labelsOfData} of its `data`.
 *
 * @example
 * ```ts
 * import { loadProfile } from "./profile.ts";
 * const profile = await withLabels(await loadProfile("bilstm-crf", { data: "bc2gm" }), { outputsDir: "outputs" });
 * profile.labels; // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function withLabels(
  profile: TrainProfile,
  options: { outputsDir: string; log?: (message: string) => void },
): Promise<LabelledProfile> {
  if (profile.labels) return profile as LabelledProfile;
  return { ...profile, labels: await labelsOfData(profile.data, options) };
}
