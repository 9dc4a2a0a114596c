/**
 * Downloads the three parquet files of the Hugging Face dataset `masaenger/bc5cdr` (config `bc5cdr_source`)
 * into a cache folder, through lib/util/download.ts (resume, retries, size check, atomic finish, a clear
 * error when offline). The cache folder then holds the files under their hub names, so it is itself a
 * parquet folder the loader can read.
 *
 * @module
 */
import { join } from "node:path";
import type { Split } from "./types.ts";
import { SPLITS } from "./types.ts";
import { downloadFile } from "../util/download.ts";
import { ProgressBar } from "../util/progress.ts";
import { projectPath } from "../util/paths.ts";

/** The dataset repository on the hub. */
export const HF_DATASET = "masaenger/bc5cdr";

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
export interface HubDownloadOptions {
  /** Hub base URL. Default `$HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** Where the files go. Default {@link HUB_CACHE_DIR}. */
  cacheDir?: string;
  /** Expected byte sizes (a mismatch is an error); `null` skips the check. Default {@link HF_PARQUET_SIZES}. */
  sizes?: Readonly<Partial<Record<Split, number>>> | null;
  /** Which splits. Default all three. */
  splits?: readonly Split[];
  /** Attempts per file and first back-off delay (see downloadFile). */
  attempts?: number;
  backoffMs?: number;
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
  options: Pick<HubDownloadOptions, "endpoint" | "revision"> = {},
): string {
  const endpoint = (options.endpoint ?? Deno.env.get("HF_ENDPOINT") ?? "https://huggingface.co").replace(
    /\/$/,
    "",
  );
  const revision = encodeURIComponent(options.revision ?? "main");
  return `${endpoint}/datasets/${HF_DATASET}/resolve/${revision}/bc5cdr_source/${HF_PARQUET_FILES[split]}`;
}

/**
 * Downloads the parquet files (skipping those already cached) and returns their paths by split.
 * Sends `Authorization: Bearer $HF_TOKEN` when that variable is set.
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
  const token = Deno.env.get("HF_TOKEN");
  const paths: Partial<Record<Split, string>> = {};
  for (const split of splits) {
    const url = hubParquetUrl(split, options);
    const expectedSize = sizes?.[split];
    const bar = progress
      ? new ProgressBar({ label: `download ${HF_PARQUET_FILES[split]}`, unit: "B" })
      : undefined;
    let received: number | undefined;
    paths[split] = await downloadFile(url, join(cacheDir, HF_PARQUET_FILES[split]), {
      expectedSize,
      attempts: options.attempts,
      backoffMs: options.backoffMs,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      onProgress: (bytes) => bar?.update(received = bytes),
    });
    if (received !== undefined) bar?.finish(received);
  }
  return paths;
}
