/**
 * The batch job behind `deno task ner`: documents in, one result per document out (JSONL or PubTator),
 * streamed, optionally restricted to one shard of the input so several processes or machines can split a
 * corpus (lib/predict/shard.ts).
 *
 * @module
 */
import { formatPubTator } from "../corpus/readers/pubtator.ts";
import { spansToUtf16 } from "../util/code_points.js";
import type { InputDocument } from "./inputs.ts";
import type { NerPipeline } from "./pipeline.ts";
import { type Shard, SHARD_BLOCK_DOCUMENTS, shardRange } from "./shard.ts";
import type { AggregationStrategy, Entity } from "./types.ts";

export { parseShard, type Shard } from "./shard.ts";

/** Output formats: one JSON object per document, or PubTator with the predictions as mention lines. */
export type OutputFormat = "jsonl" | "pubtator";

/** PubTator lines cannot hold line breaks or tabs: replace them by spaces (same length, offsets unchanged). */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]/g, " ");
}

/**
 * One document's result in `format`, ending with a newline. JSONL: `{"id", "text", "entities"}`. PubTator:
 * title and abstract lines (a plain text is the title, with an empty abstract) and one mention line per
 * entity with id `-1` (predictions are not normalised), then a blank line. Offsets in both count Unicode
 * code points of the text (as Python does; see lib/predict/types.ts's `Entity`).
 *
 * @example
 * ```ts
 * declare const entities: any; // the example's inputs
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
    // A Document holds UTF-16 offsets; formatPubTator writes them back as the entities' code points.
    mentions: spansToUtf16(doc.text, entities).map((e) => ({
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
  /** Only this shard's documents; needs `documentCount`. */
  shard?: Shard;
  /** How many documents the whole input holds (a counting pass), to place the shard's boundaries. */
  documentCount?: number;
  /**
   * Documents per block: forward passes never mix documents of two blocks. Default
   * {@link SHARD_BLOCK_DOCUMENTS}; shards' outputs concatenate to the unsharded output only with the same value.
   */
  blockSize?: number;
  aggregation?: AggregationStrategy;
  /** Called after each document with the running totals. */
  onProgress?: (totals: { documents: number; entities: number }) => void;
}

/**
 * Runs the model over `documents` (only the shard's share), writing each result in input order.
 *
 * @example
 * ```ts
 * declare const ner: any, documents: any, writer: any; // the example's inputs
 * const totals = await runBatchJob({ ner, documents, format: "jsonl", write: (t) => writer.write(t) });
 * ```
 */
export async function runBatchJob(
  options: BatchJobOptions,
): Promise<{ documents: number; entities: number }> {
  const { ner, documents, format, write, shard, aggregation, onProgress } = options;
  const blockSize = options.blockSize ?? SHARD_BLOCK_DOCUMENTS;
  if (shard && options.documentCount === undefined) {
    throw new Error("a shard needs the input's documentCount");
  }
  const { start, end } = shard
    ? shardRange(shard, options.documentCount!, blockSize)
    : { start: 0, end: Infinity };
  async function* blocks() {
    let position = 0, block: InputDocument[] = [];
    for await (const doc of documents) {
      if (position >= end) break;
      if (position++ < start) continue;
      block.push(doc);
      if (block.length < blockSize) continue;
      yield block;
      block = [];
    }
    if (block.length > 0) yield block;
  }
  const totals = { documents: 0, entities: 0 };
  for await (const block of blocks()) {
    for await (const { doc, entities } of ner.recognizeDocuments(block, { aggregation })) {
      await write(formatDocument(doc, entities, format));
      totals.documents++;
      totals.entities += entities.length;
      onProgress?.(totals);
    }
  }
  return totals;
}
