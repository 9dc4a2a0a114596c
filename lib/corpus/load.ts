/**
 * The one front door to every corpus: {@link loadCorpus} takes a registry name (lib/corpus/registry.ts) or a
 * path and returns a {@link Corpus}, from wherever that corpus is found:
 *
 * - a folder: its split files named `train.*`, `dev.*`/`devel.*`/`valid*.*`, `test.*` (CoNLL text, or
 *   `.parquet` in the HF layout); one such file: read as the train split;
 * - a corpus of documents (`bc5cdr`): its entry's reader (`options.documentFiles`: folder and kind of files);
 * - an MTL-2016 corpus: `$MTL2016_DIR/<folder>/{train,devel,test}.tsv` when `MTL2016_DIR` is set;
 * - else its Hugging Face dataset, downloaded through the one hub client (`options.hub`).
 *
 * Every word-tokenised corpus's splits must share one tag scheme (lib/corpus/readers/token_files.ts).
 *
 * @module
 */
import { join } from "node:path";
import { envValue } from "../util/config.ts";
import { DownloadError } from "../util/download.ts";
import { type Corpus, documentCorpus, tokenCorpus } from "./corpus.ts";
import { chosenCorpus, DEFAULT_CORPUS } from "./names.ts";
import type { DocumentFilesOptions } from "./readers/bc5cdr.ts";
import { corpusFolderFiles, readTokenFiles } from "./readers/token_files.ts";
import { downloadHubTokenDataset, type HubTokenDownloadOptions } from "./readers/token_hub.ts";
import { CORPORA, registryEntry } from "./registry.ts";
import { type Split, SPLITS } from "./types.ts";

/** Options of {@link loadCorpus}. */
export interface LoadCorpusOptions {
  /** For a corpus of documents (BC5CDR): where its files are and which kind to read (readers/bc5cdr.ts). */
  documentFiles?: DocumentFilesOptions;
  /** The MTL-2016 folder. Default `$MTL2016_DIR`. */
  mtl2016Dir?: string;
  /** For hub datasets: the client's options and the cache folder. */
  hub?: HubTokenDownloadOptions;
  /** Progress messages (where the corpus comes from). Default: none. */
  log?: (message: string) => void;
}

const MTL2016_FILES: Readonly<Record<Split, string>> = {
  train: "train.tsv",
  dev: "devel.tsv",
  test: "test.tsv",
};

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  return await Deno.stat(path).catch(() => null);
}

/**
 * Loads a corpus by registry name or path (see the module doc); without one, the default corpus (BC5CDR).
 *
 * @example
 * ```ts
 * const corpus = await loadCorpus();              // BC5CDR: $BC5CDR_DIR, else the data cache, else the hub
 * const bc2gm = await loadCorpus("bc2gm");        // $MTL2016_DIR/BC2GM-IOB, else the hub
 * const mine = await loadCorpus("data/my-corpus"); // a folder of CoNLL files
 * mine.conversion("train").sentences.length;
 * ```
 */
export async function loadCorpus(
  spec: string = DEFAULT_CORPUS,
  options: LoadCorpusOptions = {},
): Promise<Corpus> {
  const info = await statOrNull(spec);
  const identity = { name: spec };
  if (info?.isDirectory) {
    return tokenCorpus(identity, await readTokenFiles(await corpusFolderFiles(spec), { location: spec }));
  }
  if (info?.isFile) return tokenCorpus(identity, await readTokenFiles({ train: spec }));
  const entry = registryEntry(spec);
  if (!entry) {
    throw new Error(
      `unknown corpus ${JSON.stringify(spec)}: not a file or folder, and not one of ${
        Object.keys(CORPORA).join(", ")
      }`,
    );
  }
  const named = { name: spec, entry };
  if (entry.documents) return documentCorpus(named, await entry.documents(options.documentFiles));
  const mtlDir = options.mtl2016Dir ?? envValue("MTL2016_DIR");
  if (entry.mtl2016 && mtlDir) {
    const dir = join(mtlDir, entry.mtl2016);
    const files = Object.fromEntries(SPLITS.map((s) => [s, join(dir, MTL2016_FILES[s])]));
    const missing: Split[] = [];
    for (const split of SPLITS) if (!(await statOrNull(files[split]))?.isFile) missing.push(split);
    if (missing.length > 0) throw new Error(`${dir}: no ${missing.map((s) => MTL2016_FILES[s]).join(", ")}`);
    return tokenCorpus(named, await readTokenFiles(files, { location: dir }));
  }
  if (!entry.hub) {
    throw new Error(
      `corpus ${spec}: set MTL2016_DIR to the folder holding ${entry.mtl2016}/ (train.tsv, devel.tsv, test.tsv)`,
    );
  }
  options.log?.(`${spec}: from the hub dataset ${entry.hub.repo} (${entry.hub.provenance})`);
  const paths = await downloadHubTokenDataset(entry.hub, options.hub).catch((error) => {
    if (!(error instanceof DownloadError) || !entry.mtl2016) throw error;
    const hint = ` Or set MTL2016_DIR to a folder holding ${entry.mtl2016}/.`;
    throw new DownloadError(error.message + hint, error.url, error.dest, { cause: error });
  });
  return tokenCorpus(named, await readTokenFiles(paths));
}

/**
 * Loads the corpus `options.corpus` names, else the chosen one (lib/corpus/names.ts's `chosenCorpus`:
 * `$NER_CORPUS`, else the default corpus) — what the notebooks show.
 *
 * @example
 * ```ts
 * const corpus = await loadChosenCorpus(); // $NER_CORPUS, else BC5CDR
 * corpus.title;                            // "BioCreative V CDR (chemicals and diseases, …)"
 * corpus.splits.train.length;              // 500
 * ```
 */
export async function loadChosenCorpus(
  options: LoadCorpusOptions & { corpus?: string } = {},
): Promise<Corpus> {
  return await loadCorpus(options.corpus ?? chosenCorpus(), options);
}
