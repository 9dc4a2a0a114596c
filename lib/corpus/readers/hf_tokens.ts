/**
 * Hugging Face token-classification datasets — a parquet file per split with a `tokens` (list of strings)
 * and a `ner_tags` (list of class ids) column — read into {@link TokenSentence}s, with the tag names taken
 * from the dataset's own features: the `ClassLabel` names that the `datasets` library stores in the
 * parquet file's `huggingface` key-value metadata (`{"info": {"features": {"ner_tags": …}}}`). A dataset
 * whose features give no names for `ner_tags` is refused in one line: numbering tags by guess would
 * silently mislabel them. Rows without tokens are skipped and counted; a damaged row (a null or non-integer
 * tag among `ner_tags`, a document `id` again after other rows) is refused with its file and row number, a
 * damaged file (footer, pages) by lib/corpus/readers/parquet_file.ts's checks, in one line. A file whose
 * footer counts more rows or token values than the corpus's limits leave (lib/corpus/token_conversion.ts's
 * `TOKEN_CORPUS_LIMITS`) is refused before its rows are read.
 *
 * @module
 */
import { parquetSchema } from "hyparquet";
import { CorpusFormatError } from "../errors.ts";
import { readParquetFile } from "./parquet_file.ts";
import { TokenCorpusSize, type TokenSentence } from "../token_conversion.ts";

/** What {@link readHfTokenParquet} returns. */
export interface HfTokenSplit {
  sentences: TokenSentence[];
  /** The `ner_tags` ClassLabel names, in id order. */
  labelNames: string[];
  /** Rows without tokens (skipped). */
  emptySentences: number;
}

/**
 * The ClassLabel names of `ner_tags` in a `datasets` features object (a `Sequence`/`List` of a
 * `ClassLabel`, or a one-element list of one); undefined when there are none.
 *
 * @example
 * ```ts
 * classLabelNames({ ner_tags: { feature: { names: ["O", "B-GENE", "I-GENE"], _type: "ClassLabel" }, _type: "Sequence" } });
 * // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export function classLabelNames(features: unknown): string[] | undefined {
  const column = (features as Record<string, unknown> | null)?.ner_tags as
    | Record<string, unknown>
    | undefined;
  const inner = (Array.isArray(column) ? column[0] : column?.feature) as Record<string, unknown> | undefined;
  const names = inner?._type === "ClassLabel" ? inner.names : undefined;
  return Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === "string")
    ? names as string[]
    : undefined;
}

/**
 * Reads one split's parquet file (see the module doc). Document ids are the rows' `id` column when there is
 * one, else `<docPrefix>-<row>`; each row is its own document.
 *
 * @example
 * ```ts
 * const { sentences, labelNames } = await readHfTokenParquet("data/cache/corpora/spyysalo/bc2gm_corpus/train.parquet");
 * labelNames; // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function readHfTokenParquet(
  path: string,
  options: { docPrefix?: string; size?: TokenCorpusSize } = {},
): Promise<HfTokenSplit> {
  const { size = new TokenCorpusSize() } = options;
  // Read through the checks of lib/corpus/readers/parquet_file.ts: a damaged file is refused in one line, never a hang.
  const { metadata, rows } = await readParquetFile(path, {
    columns: (metadata) => {
      const columns = parquetSchema(metadata).children.map((child) => child.element.name);
      const missing = ["tokens", "ner_tags"].filter((name) => !columns.includes(name));
      if (missing.length > 0) {
        throw new Error(`${path}: no ${missing.join(" and ")} column (its columns: ${columns.join(", ")})`);
      }
      // The footer's counts, before any row is read: rows, and the values of `tokens` (one per token, and
      // one per empty or null list).
      const rows = Number(metadata.num_rows);
      const tokenValues = metadata.row_groups.flatMap((group) => group.columns)
        .filter((column) => column.meta_data?.path_in_schema[0] === "tokens")
        .reduce((sum, column) => sum + Number(column.meta_data!.num_values), 0);
      const over = size.add({ sentences: rows, tokens: tokenValues });
      if (over) throw new Error(`${path}: ${rows} rows with ${tokenValues} token values: ${over}`);
      return ["tokens", "ner_tags", ...(columns.includes("id") ? ["id"] : [])];
    },
  });
  const hf = metadata.key_value_metadata?.find((kv) => kv.key === "huggingface")?.value;
  let features: unknown;
  try {
    features = hf ? JSON.parse(hf)?.info?.features : undefined;
  } catch {
    features = undefined;
  }
  const labelNames = classLabelNames(features);
  if (!labelNames) {
    throw new Error(
      `${path}: the dataset's features give no ClassLabel names for ner_tags ` +
        `(${
          hf ? "its huggingface metadata has none" : "no huggingface metadata"
        }), so its tag ids cannot be named`,
    );
  }
  const prefix = options.docPrefix ?? "row";
  const sentences: TokenSentence[] = [];
  let emptySentences = 0;
  rows.forEach((row, r) => {
    const { tokens, ner_tags: ids, id } = row as { tokens: unknown; ner_tags: unknown; id?: unknown };
    const fail = (problem: string): never => {
      throw new CorpusFormatError(path, r + 1, problem);
    };
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string" && t !== "")) {
      fail(`"tokens" is not a list of non-empty strings`);
    }
    if (!Array.isArray(ids) || ids.length !== (tokens as string[]).length) {
      fail(`"ner_tags" is not a list as long as "tokens" (${(tokens as string[]).length})`);
    }
    const tags = (ids as unknown[]).map((value, i) => {
      // Only numbers are ids: Number(null) would be 0, the first class (`O`), silently.
      const tag = typeof value === "number" || typeof value === "bigint"
        ? labelNames[Number(value)]
        : undefined;
      return tag ?? fail(`ner_tags[${i}] is ${String(value)}, not a class id 0–${labelNames.length - 1}`);
    });
    if (tags.length === 0) return void emptySentences++;
    sentences.push({
      docId: typeof id === "string" && id !== "" ? id : `${prefix}-${r + 1}`,
      tokens: tokens as string[],
      tags,
      file: path,
      line: r + 1,
      tokenPerLine: false,
    });
  });
  return { sentences, labelNames, emptySentences };
}
