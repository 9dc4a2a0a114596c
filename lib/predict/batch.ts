/**
 * The batch job behind `deno task ner`: documents in, one result per document out (JSONL or PubTator),
 * streamed, optionally restricted to one shard of the input so several machines can split a corpus.
 *
 * @module
 */
import { formatPubTator } from "../corpus/pubtator.ts";
import type { InputDocument } from "./inputs.ts";
import type { NerPipeline } from "./pipeline.ts";
import type { AggregationStrategy, Entity } from "./types.ts";

/** Output formats: one JSON object per document, or PubTator with the predictions as mention lines. */
export type OutputFormat = "jsonl" | "pubtator";

/** Shard `index` of `count`: documents whose 0-based position p has p % count === index. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `i/n` (0 ≤ i < n) into a {@link Shard}.
 *
 * @example
 * ```ts
 * parseShard("2/8"); // { index: 2, count: 8 }
 * ```
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]), count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new Error(`--shard must be i/n with 0 ≤ i < n (e.g. 0/4), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** PubTator lines cannot hold line breaks or tabs: replace them by spaces (same length, offsets unchanged). */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]/g, " ");
}

/**
 * One document's result in `format`, ending with a newline. JSONL: `{"id", "text", "entities"}`. PubTator:
 * title and abstract lines (a plain text is the title, with an empty abstract) and one mention line per
 * entity with id `-1` (predictions are not normalised), then a blank line.
 *
 * @example
 * ```ts
 * formatDocument({ id: "1", text: "Aspirin.", source: "stdin", line: 1 }, entities, "pubtator");
 * ```
 */
export function formatDocument(doc: InputDocument, entities: Entity[], format: OutputFormat): string {
  if (format === "jsonl") return JSON.stringify({ id: doc.id, text: doc.text, entities }) + "\n";
  const title = doc.title ?? doc.text;
  const abstract = doc.abstract ?? "";
  return formatPubTator([{
    id: oneLine(doc.id).replaceAll("|", "/"),
    title: oneLine(title),
    abstract: oneLine(abstract),
    text: oneLine(`${title} ${abstract}`),
    mentions: entities.map((e) => ({
      start: e.start,
      end: e.end,
      text: oneLine(e.text),
      type: e.type,
      ids: [],
    })),
    relations: [],
  }]) + "\n";
}

/** Options of {@link runBatchJob}. */
export interface BatchJobOptions {
  ner: Pick<NerPipeline, "recognizeDocuments">;
  documents: AsyncIterable<InputDocument> | Iterable<InputDocument>;
  format: OutputFormat;
  /** Write every result as it comes (stdout, a file). */
  write: (text: string) => Promise<void>;
  shard?: Shard;
  aggregation?: AggregationStrategy;
  /** Called after each document with the running totals. */
  onProgress?: (totals: { documents: number; entities: number }) => void;
}

/**
 * Runs the model over `documents` (only the shard's share), writing each result in input order.
 *
 * @example
 * ```ts
 * const totals = await runBatchJob({ ner, documents, format: "jsonl", write: (t) => writer.write(t) });
 * ```
 */
export async function runBatchJob(
  options: BatchJobOptions,
): Promise<{ documents: number; entities: number }> {
  const { ner, documents, format, write, shard, aggregation, onProgress } = options;
  async function* shardOf() {
    let position = 0;
    for await (const doc of documents) {
      if (!shard || position % shard.count === shard.index) yield doc;
      position++;
    }
  }
  const totals = { documents: 0, entities: 0 };
  for await (const { doc, entities } of ner.recognizeDocuments(shardOf(), { aggregation })) {
    await write(formatDocument(doc, entities, format));
    totals.documents++;
    totals.entities += entities.length;
    onProgress?.(totals);
  }
  return totals;
}
