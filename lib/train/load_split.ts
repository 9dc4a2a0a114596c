/**
 * Reads one labelled split of a profile's data.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import type { Split } from "../corpus/types.ts";
import { splitPath } from "./data.ts";

/**
 * The sentences of `split`: for `data: "bc5cdr"` from outputs/bio/<split>.jsonl (converted from the corpus
 * first when missing), else from <data>/<split>.jsonl.
 *
 * @example
 * ```ts
 * const { sentences } = await loadSplit("data/fixtures/train", "train", { outputsDir: "outputs" });
 * ```
 */
export async function loadSplit(
  data: string,
  split: Split,
  options: { outputsDir: string; log?: (message: string) => void },
): Promise<{ sentences: Sentence[]; source: string }> {
  const path = splitPath(data, split, options.outputsDir);
  const text = await Deno.readTextFile(path).catch(() => null);
  if (text === null) throw new Error(`no ${split} split at ${path}`);
  const sentences = text.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as Sentence];
    } catch {
      throw new Error(`${path}:${i + 1}: not a JSON line`);
    }
  });
  return { sentences, source: path };
}
