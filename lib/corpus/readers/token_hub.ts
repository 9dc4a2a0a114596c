/**
 * Downloads the parquet files of a Hugging Face `tokens` + `ner_tags` dataset into a cache folder, through
 * the hub client lib/util/hub.ts (`HF_ENDPOINT`, `HF_TOKEN`, resume, retries, atomic finish, a clear error
 * when offline), as lib/corpus/readers/bc5cdr_hub.ts does for BC5CDR.
 *
 * @module
 */
import { join } from "node:path";
import type { Split } from "../types.ts";
import { SPLITS } from "../types.ts";
import { downloadHubFile, hubCacheDir, type HubClientOptions } from "../../util/hub.ts";
import { projectPath } from "../../util/paths.ts";

/** A dataset on the hub and where its split files are. */
export interface HubTokenDataset {
  /** "owner/name". */
  repo: string;
  /** Branch, tag or commit (`refs/convert/parquet` is the hub's own parquet conversion). */
  revision: string;
  /** Path of each split's parquet file in the repository; a split without one is empty. */
  files: Partial<Record<Split, string>>;
  /** What of this entry was checked, and where. */
  provenance: string;
}

/** Options of {@link downloadHubTokenDataset}. */
export interface HubTokenDownloadOptions extends Omit<HubClientOptions, "revision"> {
  /** Cache root; the files go to `<root>/<repo>[@<revision>]/<split>.parquet` (`/` in the revision → `--`). Default `data/cache/corpora`. */
  cacheDir?: string;
  /** Show progress on stderr. Default true. */
  progress?: boolean;
}

/** Default cache root of downloaded token datasets. */
export const TOKEN_DATASET_CACHE: string = projectPath("data", "cache", "corpora");

/**
 * Downloads the dataset's split files (those cached already are kept) and returns their local paths.
 *
 * @example
 * ```ts
 * const paths = await downloadHubTokenDataset({
 *   repo: "spyysalo/bc2gm_corpus", revision: "main", provenance: "",
 *   files: { train: "bc2gm_corpus/train-00000-of-00001.parquet" },
 * });
 * // { train: "data/cache/corpora/spyysalo/bc2gm_corpus/train.parquet" }
 * ```
 */
export async function downloadHubTokenDataset(
  dataset: HubTokenDataset,
  options: HubTokenDownloadOptions = {},
): Promise<Partial<Record<Split, string>>> {
  const { cacheDir = TOKEN_DATASET_CACHE, progress = true, ...client } = options;
  // One folder per revision; a ref such as refs/convert/parquet becomes one folder name.
  const dir = hubCacheDir(cacheDir, dataset.repo, dataset.revision.replaceAll("/", "--"));
  const paths: Partial<Record<Split, string>> = {};
  for (const split of SPLITS) {
    const file = dataset.files[split];
    if (!file) continue;
    paths[split] = await downloadHubFile(
      { kind: "dataset", id: dataset.repo },
      file,
      join(dir, `${split}.parquet`),
      { ...client, revision: dataset.revision, log: progress ? undefined : () => {} },
    );
  }
  return paths;
}
