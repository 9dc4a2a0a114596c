/**
 * Reads the independent IOB conversion of BC5CDR that `deno task convert` compares with (the
 * MTL-Bioinformatics-2016 `BC5CDR-IOB` files in `$BC5CDR_DIR/iob/`: `token<TAB>tag` lines, blank lines
 * between sentences, plus `DERIVED_doc_index.tsv` mapping each PMID to its sentence range), grouped by
 * document for lib/bio/reference.ts's comparison.
 *
 * @module
 */
import { join } from "node:path";
import type { IobSentence } from "../../bio/reference.ts";
import type { Split } from "../types.ts";
import { readFileLines } from "../../util/lines.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";

/** File name of each split in the reference folder. */
export const IOB_FILES: Readonly<Record<Split, string>> = {
  train: "train.tsv",
  dev: "devel.tsv",
  test: "test.tsv",
};
const INDEX_SPLIT: Readonly<Record<Split, string>> = { train: "train", dev: "devel", test: "test" };

/**
 * Reads one split of the reference, grouped by document (PMID → its sentences, in order).
 *
 * @example
 * ```ts
 * const dev = await readIobReference(`${Deno.env.get("BC5CDR_DIR")}/iob`, "dev");
 * dev.get("6794356")?.length; // sentences of that abstract
 * ```
 */
export async function readIobReference(dir: string, split: Split): Promise<Map<string, IobSentence[]>> {
  const path = join(dir, IOB_FILES[split]);
  const sentences: IobSentence[] = [];
  let current: IobSentence = { tokens: [], tags: [] };
  let lineNumber = 0;
  for await (const line of readFileLines(path, { kind: "corpus file" })) {
    lineNumber++;
    if (line.trim() === "") {
      if (current.tokens.length) sentences.push(current);
      current = { tokens: [], tags: [] };
      continue;
    }
    const [token, tag, extra] = line.split("\t");
    if (tag === undefined || extra !== undefined) {
      throw new Error(`${path}:${lineNumber}: expected "token<TAB>tag"`);
    }
    current.tokens.push(token);
    current.tags.push(tag);
  }
  if (current.tokens.length) sentences.push(current);

  const indexPath = join(dir, "DERIVED_doc_index.tsv");
  const byDoc = new Map<string, IobSentence[]>();
  (await readTextFileBounded(indexPath, { kind: "corpus file" })).trim().split("\n").slice(1).forEach(
    (line, i) => {
      const [indexSplit, pmid, first, last] = line.split("\t");
      if (indexSplit !== INDEX_SPLIT[split]) return;
      const from = Number(first), to = Number(last);
      if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to && to < sentences.length)) {
        throw new Error(`${indexPath}:${i + 2}: sentence range ${first}..${last} outside ${path}`);
      }
      byDoc.set(pmid, sentences.slice(from, to + 1));
    },
  );
  return byDoc;
}
