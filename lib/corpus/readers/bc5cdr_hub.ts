/**
 * Downloads the three parquet files of the Hugging Face dataset `masaenger/bc5cdr` (config `bc5cdr_source`)
 * into a cache folder, through the hub client lib/util/hub.ts (`HF_ENDPOINT`, `HF_TOKEN`, resume, retries,
 * size check, atomic finish, a clear error when offline). The cache folder then holds the files under their
 * hub names, flat (without `bc5cdr_source/`), so it is itself a parquet folder the loader can read.
 *
 * @module
 */
import { join } from "node:path";
import type { Split } from "../types.ts";
import { SPLITS } from "../types.ts";
import { downloadHubFile, type HubClientOptions, hubFileUrl, type HubRepo } from "../../util/hub.ts";
import { projectPath } from "../../util/paths.ts";

/** The dataset repository on the hub. */
export const HF_DATASET = "masaenger/bc5cdr";

const REPO: HubRepo = { kind: "dataset", id: HF_DATASET };

/** File name of each split's parquet file (on the hub under `bc5cdr_source/`). */
export const HF_PARQUET_FILES: Readonly<Record<Split, string>> = {
  train: "train-00000-of-00001.parquet",
  dev: "validation-00000-of-00001.parquet",
  test: "test-00000-of-00001.parquet",
};

/** Byte sizes of the files on the hub (revision `main`, commit b0a2912 "Convert dataset to Parquet"). */
export const HF_PARQUET_SIZES: Readonly<Record<Split, number>> = {
  train: 502_664,
  dev: 498_695,
  test: 515_058,
};

/** Default cache folder of the downloads. */
export const HUB_CACHE_DIR: string = projectPath("data", "cache", "bc5cdr");

/** Options of {@link downloadHubParquet}. */
export interface HubDownloadOptions extends HubClientOptions {
  /** Where the files go. Default {@link HUB_CACHE_DIR}. */
  cacheDir?: string;
  /** Expected byte sizes (a mismatch is an error); `null` skips the check. Default {@link HF_PARQUET_SIZES}. */
  sizes?: Readonly<Partial<Record<Split, number>>> | null;
  /** Which splits. Default all three. */
  splits?: readonly Split[];
  /** Show a progress bar on stderr. Default true. */
  progress?: boolean;
}

/**
 * The hub URL of one split's parquet file.
 *
 * @example
 * ```ts
 * hubParquetUrl("dev");
 * // "https://huggingface.co/datasets/masaenger/bc5cdr/resolve/main/bc5cdr_source/validation-00000-of-00001.parquet"
 * ```
 */
export function hubParquetUrl(
  split: Split,
  options: Pick<HubClientOptions, "endpoint" | "revision"> = {},
): string {
  return hubFileUrl(REPO, hubPath(split), options);
}

/** Where a split's file is in the dataset repository. */
function hubPath(split: Split): string {
  return `bc5cdr_source/${HF_PARQUET_FILES[split]}`;
}

/**
 * Downloads the parquet files (skipping those already cached) and returns their paths by split.
 * Sends `Authorization: Bearer $HF_TOKEN` when that variable (or `options.token`) is set.
 *
 * @example
 * ```ts
 * const paths = await downloadHubParquet();
 * // { train: "data/cache/bc5cdr/train-00000-of-00001.parquet", dev: …, test: … }
 * ```
 */
export async function downloadHubParquet(
  options: HubDownloadOptions = {},
): Promise<Partial<Record<Split, string>>> {
  const { cacheDir = HUB_CACHE_DIR, splits = SPLITS, progress = true } = options;
  const sizes = options.sizes === undefined ? HF_PARQUET_SIZES : options.sizes;
  const paths: Partial<Record<Split, string>> = {};
  for (const split of splits) {
    paths[split] = await downloadHubFile(REPO, hubPath(split), join(cacheDir, HF_PARQUET_FILES[split]), {
      ...options,
      expectedSize: sizes?.[split],
      log: progress ? undefined : () => {},
    });
  }
  return paths;
}
