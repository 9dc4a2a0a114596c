/**
 * The Hugging Face hub client of both datasets (lib/corpus/readers/) and models (lib/model/hub.ts): one URL
 * layout (`<endpoint>[/datasets]/<id>/resolve/<revision>/<path>`, the endpoint `HF_ENDPOINT` as in
 * huggingface_hub), one token header (`HF_TOKEN`), one cache layout (`<cache root>/<id>[@<revision>]`) and
 * one progress display. Transfers go through lib/util/download.ts (resume, retries, size check, atomic
 * finish, a clear error when offline); its errors come back prefixed with the repository.
 *
 * @module
 */
import { join } from "node:path";
import { envValue } from "./config.ts";
import { DownloadError, downloadFile } from "./download.ts";
import { ProgressBar } from "./progress.ts";

/** A repository on the hub. */
export interface HubRepo {
  kind: "model" | "dataset";
  /** "owner/name" (or "name"). */
  id: string;
}

/** Where and as whom the client asks. */
export interface HubClientOptions {
  /** Hub base URL. Default `$HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** Bearer token. Default `$HF_TOKEN`. */
  token?: string;
  /** Attempts per file (network errors and 5xx are retried). Default 4 (see downloadFile). */
  attempts?: number;
  /** First back-off delay in ms, doubled each retry. Default 500. */
  backoffMs?: number;
}

/** Options of {@link downloadHubFile}. */
export interface HubFileOptions extends HubClientOptions {
  /** Expected byte size; a mismatch is an error. */
  expectedSize?: number;
  /** Writes progress lines (one per 50 MB); default a progress bar on stderr. Pass `() => {}` for silence. */
  log?: (line: string) => void;
}

/**
 * The hub URL of file `path` of `repo`.
 *
 * @example
 * ```ts
 * hubFileUrl({ kind: "model", id: "dmis-lab/biobert-base-cased-v1.1" }, "vocab.txt");
 * // "https://huggingface.co/dmis-lab/biobert-base-cased-v1.1/resolve/main/vocab.txt"
 * ```
 */
export function hubFileUrl(
  repo: HubRepo,
  path: string,
  options: Pick<HubClientOptions, "endpoint" | "revision"> = {},
): string {
  const endpoint = options.endpoint?.replace(/\/+$/, "") ?? envValue("HF_ENDPOINT");
  const revision = encodeURIComponent(options.revision ?? "main");
  const prefix = repo.kind === "dataset" ? "/datasets" : "";
  return `${endpoint}${prefix}/${repo.id}/resolve/${revision}/${path}`;
}

/**
 * The local folder of `id` at `revision` under `cacheRoot`: `<cacheRoot>/<id>`, with `@<revision>` unless
 * it is "main", so two revisions never share files.
 *
 * @example
 * ```ts
 * hubCacheDir("data/cache/models", "dmis-lab/biobert-base-cased-v1.1", "v2");
 * // "data/cache/models/dmis-lab/biobert-base-cased-v1.1@v2"
 * ```
 */
export function hubCacheDir(cacheRoot: string, id: string, revision = "main"): string {
  return join(cacheRoot, revision === "main" ? id : `${id}@${revision}`);
}

/**
 * Downloads file `path` of `repo` to `dest` unless it is there already; returns `dest`.
 *
 * @example
 * ```ts
 * await downloadHubFile({ kind: "model", id: "dmis-lab/biobert-base-cased-v1.1" }, "vocab.txt",
 *   "data/cache/models/dmis-lab/biobert-base-cased-v1.1/vocab.txt");
 * ```
 */
export async function downloadHubFile(
  repo: HubRepo,
  path: string,
  dest: string,
  options: HubFileOptions = {},
): Promise<string> {
  const { log, expectedSize, attempts, backoffMs } = options;
  const token = options.token ?? envValue("HF_TOKEN");
  const label = `${repo.id}/${path}`;
  const bar = log ? undefined : new ProgressBar({ label, unit: "MB" });
  let megabytes = 0, reported = -Infinity;
  await downloadFile(hubFileUrl(repo, path, options), dest, {
    expectedSize,
    attempts,
    backoffMs,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    onProgress: (received, total) => {
      megabytes = received / 1e6;
      if (bar) return bar.update(megabytes, total ? { of: `${(total / 1e6).toFixed(1)} MB` } : {});
      if (received - reported < 50e6 && received !== total) return;
      log!(`${label}: ${megabytes.toFixed(1)} MB`);
      reported = received;
    },
  }).catch((error) => {
    throw error instanceof DownloadError
      ? new DownloadError(`${repo.kind} ${repo.id}: ${error.message}`, error.url, error.dest, {
        cause: error,
      })
      : error;
  });
  if (bar && megabytes > 0) bar.finish(megabytes);
  return dest;
}
