/**
 * Downloads a model from the Hugging Face hub into `data/cache/models/<id>/`: config.json, vocab.txt and the
 * weights (model.safetensors, or pytorch_model.bin when the repository has no safetensors file). Uses the hub's
 * URL layout `<endpoint>/<id>/resolve/<revision>/<file>`; the endpoint is `HF_ENDPOINT` when set (as in
 * huggingface_hub), and `HF_TOKEN` is sent for gated repositories. Files already in the cache are not fetched
 * again; interrupted downloads resume (lib/util/download.ts).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DownloadError, downloadFile } from "../util/download.ts";
import { ProgressBar } from "../util/progress.ts";

/** Where downloaded models go by default: `<project>/data/cache/models`. */
export const MODEL_CACHE_DIR: string = fileURLToPath(new URL("../../data/cache/models", import.meta.url));

/** Weight files in the order they are tried. */
export const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** Files to fetch besides the weights. Default `["config.json", "vocab.txt"]`. */
  files?: readonly string[];
  /** Also fetch the weights. Default true. */
  weights?: boolean;
  /** Cache root; the model lands in `<cacheDir>/<id>`. Default {@link MODEL_CACHE_DIR}. */
  cacheDir?: string;
  /** Hub base URL. Default `$HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** Bearer token. Default `$HF_TOKEN`. */
  token?: string;
  /** Attempts per file (network errors and 5xx are retried). Default 4. */
  attempts?: number;
  /** Writes progress lines (default: a progress bar on stderr); pass `() => {}` for silence. */
  log?: (line: string) => void;
}

/**
 * Downloads model `id` (e.g. "dmis-lab/biobert-base-cased-v1.1") and returns its local folder.
 *
 * @example
 * ```ts
 * const dir = await downloadModel("dmis-lab/biobert-base-cased-v1.1");
 * // dir/config.json, dir/vocab.txt, dir/pytorch_model.bin
 * ```
 */
export async function downloadModel(id: string, options: DownloadModelOptions = {}): Promise<string> {
  if (!isHubModelId(id)) throw new Error(`"${id}" is not a hub model id (expected "owner/name")`);
  const {
    files = ["config.json", "vocab.txt"],
    weights = true,
    cacheDir = MODEL_CACHE_DIR,
    endpoint = Deno.env.get("HF_ENDPOINT") ?? "https://huggingface.co",
    revision = "main",
    token = Deno.env.get("HF_TOKEN"),
    attempts,
    log,
  } = options;
  const dir = join(cacheDir, revision === "main" ? id : `${id}@${revision}`);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const fetchFile = async (file: string) => {
    const url = `${endpoint.replace(/\/+$/, "")}/${id}/resolve/${encodeURIComponent(revision)}/${file}`;
    const bar = log ? undefined : new ProgressBar({ label: `${id}/${file}`, unit: "MB" });
    let megabytes = 0, reported = -Infinity;
    await downloadFile(url, join(dir, file), {
      headers,
      attempts,
      onProgress: (received, total) => {
        megabytes = received / 1e6;
        if (bar) return bar.update(megabytes, total ? { of: `${(total / 1e6).toFixed(1)} MB` } : {});
        if (received - reported < 50e6 && received !== total) return;
        log!(`${id}/${file}: ${megabytes.toFixed(1)} MB`);
        reported = received;
      },
    }).catch((error) => {
      throw error instanceof DownloadError
        ? new DownloadError(`model ${id}: ${error.message}`, error.url, error.dest, { cause: error })
        : error;
    });
    if (bar && megabytes > 0) bar.finish(megabytes);
  };

  for (const file of files) await fetchFile(file);
  if (weights && !(await findWeights(dir))) {
    try {
      await fetchFile(WEIGHT_FILES[0]);
    } catch (error) {
      // No safetensors in the repository (older models): fall back to the PyTorch checkpoint.
      if (!(error instanceof DownloadError && /HTTP 404/.test(error.message))) throw error;
      (log ?? console.error)(`${id}: no ${WEIGHT_FILES[0]} on the hub, fetching ${WEIGHT_FILES[1]}`);
      await fetchFile(WEIGHT_FILES[1]);
    }
  }
  return dir;
}

/**
 * The weight file of a model folder (model.safetensors preferred), or undefined when it has none.
 *
 * @example
 * ```ts
 * await findWeights("data/fixtures/model/tiny-bert"); // ".../model.safetensors"
 * ```
 */
export async function findWeights(dir: string): Promise<string | undefined> {
  for (const file of WEIGHT_FILES) {
    const path = join(dir, file);
    if (await Deno.stat(path).then((stat) => stat.isFile, () => false)) return path;
  }
  return undefined;
}

/**
 * Whether `source` has the shape of a hub model id ("owner/name" or "name").
 *
 * @example
 * ```ts
 * isHubModelId("dmis-lab/biobert-base-cased-v1.1"); // true
 * isHubModelId("./outputs/run/best"); // false
 * ```
 */
export function isHubModelId(source: string): boolean {
  return /^[\w][\w.-]*(\/[\w][\w.-]*)?$/.test(source) && !source.includes("..");
}
