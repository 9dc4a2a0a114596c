/**
 * BC5CDR's reader: {@link readBc5cdr} finds BC5CDR as original PubTator files, as the Hugging Face parquet
 * files, or downloads the parquet files from the hub, and returns the three splits as {@link Document}s
 * either way (lib/corpus/load.ts makes them the registry's `bc5cdr` corpus).
 *
 * Where it looks, in order (the first that has all requested splits wins):
 * 1. `options.dir`, else `$BC5CDR_DIR`: `<dir>/pubtator/`, `<dir>/` for the PubTator files
 *    (`CDR_{Training,Development,Test}Set.PubTator.txt`), then `<dir>/`, `<dir>/bc5cdr_source/`, `<dir>/parquet/` for the
 *    parquet files (`{train,validation,test}-00000-of-00001.parquet`);
 * 2. without a folder: the download cache `data/cache/bc5cdr/`, else the hub (downloaded into that cache).
 *
 * `options.source` (or `$BC5CDR_SOURCE`) restricts the search to one kind: "pubtator", "parquet" or "hub".
 *
 * @module
 */
import { join } from "node:path";
import type { Document, Split } from "../types.ts";
import { SPLITS } from "../types.ts";
import { readPubTator } from "./pubtator.ts";
import { CorpusFormatError } from "../errors.ts";
import { emptyHfReadStats, type HfReadStats, readHfParquet } from "./hf_parquet.ts";
import {
  downloadHubParquet,
  HF_PARQUET_FILES,
  HUB_CACHE_DIR,
  type HubDownloadOptions,
} from "./bc5cdr_hub.ts";
import { envValue } from "../../util/config.ts";
import { isFile } from "../../util/exists.ts";

/** What kind of files BC5CDR's documents were read from. */
export type DocumentSource = "pubtator" | "parquet" | "hub";

/** File names of the original PubTator release, by split. */
export const PUBTATOR_FILES: Readonly<Record<Split, string>> = {
  train: "CDR_TrainingSet.PubTator.txt",
  dev: "CDR_DevelopmentSet.PubTator.txt",
  test: "CDR_TestSet.PubTator.txt",
};

/** Options of {@link readBc5cdr}. */
export interface DocumentFilesOptions {
  /** Restrict to one kind of source. Default `$BC5CDR_SOURCE`, else whatever is found first. */
  source?: DocumentSource;
  /** Folder holding `pubtator/` or the parquet files. Default `$BC5CDR_DIR`. */
  dir?: string;
  /** Splits to load. Default all three. */
  splits?: readonly Split[];
  /** Hub download options (endpoint, cache folder, …) for the "hub" source. */
  hub?: HubDownloadOptions;
}

/** BC5CDR's documents as read. Splits not requested are empty lists. */
export interface DocumentFiles {
  source: DocumentSource;
  /** The folder (or hub URL) the documents were read from. */
  location: string;
  splits: Record<Split, Document[]>;
  /** For parquet sources: entities dropped or tolerated by the flattening policy (see hf_parquet.ts). */
  hfStats?: HfReadStats;
}

async function folderWith(candidates: string[], files: string[]): Promise<string | undefined> {
  for (const dir of candidates) {
    if ((await Promise.all(files.map((f) => isFile(join(dir, f))))).every(Boolean)) return dir;
  }
  return undefined;
}

/** Reads each split's file; a file with no documents is refused (it would train or test on nothing). */
async function readSplits(
  splits: readonly Split[],
  fileOf: (split: Split) => string,
  read: (path: string) => Promise<Document[]>,
): Promise<Record<Split, Document[]>> {
  const result: Record<Split, Document[]> = { train: [], dev: [], test: [] };
  for (const split of splits) {
    const path = fileOf(split);
    result[split] = await read(path);
    if (result[split].length === 0) {
      throw new CorpusFormatError(path, 1, `the ${split} split has no documents`);
    }
  }
  return result;
}

async function loadParquetFolder(
  dir: string,
  splits: readonly Split[],
  source: DocumentSource,
): Promise<DocumentFiles> {
  const hfStats = emptyHfReadStats();
  const documents = await readSplits(
    splits,
    (s) => join(dir, HF_PARQUET_FILES[s]),
    (path) => readHfParquet(path, { stats: hfStats }),
  );
  return { source, location: dir, splits: documents, hfStats };
}

/**
 * Loads BC5CDR (see the module doc for where it looks). Throws an error naming every place it looked
 * when nothing is found.
 *
 * @example
 * ```ts
 * const read = await readBc5cdr(); // $BC5CDR_DIR, else cache, else hub
 * console.log(read.source, read.splits.train.length); // "pubtator" 500
 * const dev = (await readBc5cdr({ dir: "data/fixtures/corpus", splits: ["dev"] })).splits.dev;
 * ```
 */
export async function readBc5cdr(options: DocumentFilesOptions = {}): Promise<DocumentFiles> {
  const splits = options.splits ?? SPLITS;
  const source = options.source ?? (envValue("BC5CDR_SOURCE") as DocumentSource | undefined);
  if (source !== undefined && !["pubtator", "parquet", "hub"].includes(source)) {
    throw new Error(
      `unknown corpus source ${JSON.stringify(source)} (BC5CDR_SOURCE?): use pubtator, parquet or hub`,
    );
  }
  const dir = options.dir ?? envValue("BC5CDR_DIR");
  const pubtatorFiles = splits.map((s) => PUBTATOR_FILES[s]);
  const parquetFiles = splits.map((s) => HF_PARQUET_FILES[s]);
  const cacheDir = options.hub?.cacheDir ?? HUB_CACHE_DIR;

  if (source === "hub") {
    const paths = await downloadHubParquet({ ...options.hub, splits });
    const corpus = await loadParquetFolder(cacheDir, splits, "hub");
    return { ...corpus, location: Object.values(paths).join(", ") };
  }

  const looked: string[] = [];
  const pubtatorDirs = dir ? [join(dir, "pubtator"), dir] : [];
  const parquetDirs = dir ? [dir, join(dir, "bc5cdr_source"), join(dir, "parquet")] : [cacheDir];
  if (source !== "parquet") {
    const found = await folderWith(pubtatorDirs, pubtatorFiles);
    if (found) {
      const documents = await readSplits(splits, (s) => join(found, PUBTATOR_FILES[s]), readPubTator);
      return { source: "pubtator", location: found, splits: documents };
    }
    looked.push(...pubtatorDirs.map((d) => `${d}/{${pubtatorFiles.join(",")}}`));
  }
  if (source !== "pubtator") {
    const found = await folderWith(parquetDirs, parquetFiles);
    if (found) return await loadParquetFolder(found, splits, "parquet");
    looked.push(...parquetDirs.map((d) => `${d}/{${parquetFiles.join(",")}}`));
    if (!dir && source === undefined) {
      try {
        return await readBc5cdr({ ...options, source: "hub" });
      } catch (error) {
        throw new Error(
          `BC5CDR corpus not found: BC5CDR_DIR is not set, ${cacheDir} has no parquet files, and the hub ` +
            `download failed (${(error as Error).message}). Set BC5CDR_DIR to a folder holding pubtator/ ` +
            `or the HF parquet files.`,
          { cause: error },
        );
      }
    }
  }
  const origin = options.dir ? "the dir option" : dir ? "BC5CDR_DIR" : "no BC5CDR_DIR set";
  throw new Error(
    `BC5CDR corpus not found (${origin}${source ? `, source ${source}` : ""}). Looked for:\n  ${
      looked.join("\n  ")
    }\n` +
      `Set BC5CDR_DIR to a folder holding pubtator/ (the original release) or the HF parquet files, ` +
      `or use source "hub" to download them.`,
  );
}
