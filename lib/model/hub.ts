/**
 * Downloads a model from the Hugging Face hub into `data/cache/models/<id>/`: config.json, vocab.txt and the
 * weights (model.safetensors, or pytorch_model.bin when the repository has no safetensors file), through the
 * hub client lib/util/hub.ts (`HF_ENDPOINT`, `HF_TOKEN` for gated repositories, the cache layout). Files
 * already in the cache are not fetched again; interrupted downloads resume.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DownloadError } from "../util/download.ts";
import { downloadHubFile, hubCacheDir, type HubFileOptions } from "../util/hub.ts";

/** Where downloaded models go by default: `<project>/data/cache/models`. */
export const MODEL_CACHE_DIR: string = fileURLToPath(new URL("../../data/cache/models", import.meta.url));

/** Weight files in the order they are tried. */
export const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions extends Omit<HubFileOptions, "expectedSize"> {
  /** Files to fetch besides the weights. Default `["config.json", "vocab.txt"]`. */
  files?: readonly string[];
  /** Also fetch the weights. Default true. */
  weights?: boolean;
  /** Cache root; the model lands in `<cacheDir>/<id>[@<revision>]`. Default {@link MODEL_CACHE_DIR}. */
  cacheDir?: string;
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
  const { files = ["config.json", "vocab.txt"], weights = true, cacheDir = MODEL_CACHE_DIR } = options;
  const dir = hubCacheDir(cacheDir, id, options.revision);
  const fetchFile = (file: string) => downloadHubFile({ kind: "model", id }, file, join(dir, file), options);

  try {
    for (const file of files) await fetchFile(file);
    if (weights && !(await findWeights(dir))) {
      try {
        await fetchFile(WEIGHT_FILES[0]);
      } catch (error) {
        // No safetensors in the repository (older models): fall back to the PyTorch checkpoint.
        if (!(error instanceof DownloadError && /HTTP 404/.test(error.message))) throw error;
        (options.log ?? console.error)(
          `${id}: no ${WEIGHT_FILES[0]} on the hub, fetching ${WEIGHT_FILES[1]}`,
        );
        await fetchFile(WEIGHT_FILES[1]);
      }
    }
  } catch (error) {
    await removeEmptyFolders(dir, cacheDir);
    throw error;
  }
  return dir;
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty (a failed download's). */
async function removeEmptyFolders(dir: string, root: string): Promise<void> {
  for (let folder = dir; folder.startsWith(`${root}/`); folder = dirname(folder)) {
    // A non-recursive remove fails on a folder with anything in it (a partial download to resume): stop there.
    if (!await Deno.remove(folder).then(() => true, () => false)) return;
  }
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

/**
 * Whether `source` names a local path, never to be looked up on the hub: anything not shaped like a hub id
 * (`./`, `../`, `/` or `~` first, a backslash, more than one `/`), or an `owner/name` whose `owner` is a folder
 * under `base` (`outputs/biobrt` is a mistyped run folder, not a hub repository).
 *
 * @example
 * ```ts
 * await isLocalModelPath("./outputs/run/best"); // true
 * await isLocalModelPath("dmis-lab/biobert-base-cased-v1.1"); // false (no folder "dmis-lab" here)
 * ```
 */
export async function isLocalModelPath(source: string, base = "."): Promise<boolean> {
  if (!isHubModelId(source)) return true;
  const slash = source.indexOf("/");
  if (slash < 0) return false;
  return await Deno.stat(join(base, source.slice(0, slash))).then((info) => info.isDirectory, () => false);
}
