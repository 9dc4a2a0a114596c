/**
 * Builds parquet files in the layout the `datasets` library writes for token classification: `id`,
 * `tokens` (list of strings), `ner_tags` (list of int64 class ids), and the features — with the ClassLabel
 * names of `ner_tags` — in the file's `huggingface` key-value metadata.
 */
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet-writer";

/** One dataset row. */
export interface TokenRow {
  id: string;
  tokens: string[];
  /** Class ids; a null is a missing value (which a reader must refuse, never read as class 0). */
  ner_tags: (number | null)[];
}

const list = (name: string, element: SchemaElement): SchemaElement[] => [
  { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  element,
];

const SCHEMA: SchemaElement[] = [
  { name: "schema", num_children: 3 },
  { name: "id", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  ...list("tokens", {
    name: "element",
    type: "BYTE_ARRAY",
    converted_type: "UTF8",
    repetition_type: "OPTIONAL",
  }),
  ...list("ner_tags", { name: "element", type: "INT64", repetition_type: "OPTIONAL" }),
];

/** The `datasets` features of such a dataset; `names: null` makes `ner_tags` a plain integer sequence. */
export function tokenFeatures(names: string[] | null): unknown {
  return {
    id: { dtype: "string", _type: "Value" },
    tokens: { feature: { dtype: "string", _type: "Value" }, _type: "Sequence" },
    ner_tags: {
      feature: names ? { names, _type: "ClassLabel" } : { dtype: "int64", _type: "Value" },
      _type: "Sequence",
    },
  };
}

/** The parquet bytes of `rows` with `features` in the `huggingface` metadata (none when undefined). */
export function tokenParquet(rows: readonly TokenRow[], features?: unknown): Uint8Array {
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    schema: SCHEMA,
    columnData: [
      { name: "id", data: rows.map((r) => r.id) },
      { name: "tokens", data: rows.map((r) => r.tokens) },
      { name: "ner_tags", data: rows.map((r) => r.ner_tags.map((id) => id === null ? null : BigInt(id))) },
    ],
    kvMetadata: features === undefined
      ? undefined
      : [{ key: "huggingface", value: JSON.stringify({ info: { features } }) }],
  });
  return new Uint8Array(writer.getBuffer());
}
