/**
 * Reads one labelled split of a profile's data.
 *
 * @module
 */
import { convertDocuments } from "../bio/convert.ts";
import { readSentencesJsonl } from "../bio/jsonl.ts";
import type { Sentence } from "../bio/types.ts";
import { loadCorpus } from "../corpus/load.ts";
import type { Split } from "../corpus/types.ts";
import { splitPath } from "./data.ts";

/**
 * The sentences of `split`: for `data: "bc5cdr"` from outputs/bio/<split>.jsonl (what `deno task convert`
 * writes), or — when that file is missing — converted from the corpus on the fly (lib/corpus's loader:
 * `BC5CDR_DIR`, data caches or the hub); for a folder, from <folder>/<split>.jsonl.
 *
 * @example
 * ```ts
 * const { sentences, source } = await loadSplit("data/fixtures/train", "train", { outputsDir: "outputs" });
 * ```
 */
export async function loadSplit(
  data: string,
  split: Split,
  options: { outputsDir: string; log?: (message: string) => void },
): Promise<{ sentences: Sentence[]; source: string }> {
  const path = splitPath(data, split, options.outputsDir);
  const exists = await Deno.stat(path).then((s) => s.isFile, () => false);
  if (exists) return { sentences: await readSentencesJsonl(path), source: path };
  if (data !== "bc5cdr") throw new Error(`no ${split} split: ${path} does not exist`);
  const corpus = await loadCorpus();
  options.log?.(
    `${path} missing: converting the ${split} split of ${corpus.location} (deno task convert saves it)`,
  );
  const { sentences } = convertDocuments(corpus.splits[split]);
  return { sentences, source: `${corpus.location} (${split}, converted)` };
}
