/** The batch job behind `deno task ner`, on the keyword model: output formats, shards, order. */
import { assertEquals, assertThrows } from "@std/assert";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import { formatDocument, parseShard, runBatchJob } from "../../lib/predict/batch.ts";
import type { InputDocument } from "../../lib/predict/inputs.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import { keywordModel } from "./keyword_classifier.ts";

function docs(count: number): InputDocument[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    text: i % 2 ? `Doc ${i}: aspirin and\nfever.` : `Doc ${i}: nothing here.`,
    source: "test",
    line: i + 1,
  }));
}

async function run(
  options: { shard?: string; format: "jsonl" | "pubtator"; count: number; blockSize?: number },
) {
  const { classifier, tokenizer } = await keywordModel();
  const ner = await createNerPipeline({ model: classifier, tokenizer, batchSize: 3 });
  let output = "";
  const totals = await runBatchJob({
    ner,
    documents: docs(options.count),
    format: options.format,
    shard: options.shard ? parseShard(options.shard) : undefined,
    documentCount: options.count,
    blockSize: options.blockSize,
    write: (text) => Promise.resolve(void (output += text)),
  });
  return { output, totals };
}

Deno.test("jsonl: one line per document, in input order, with entities", async () => {
  const { output, totals } = await run({ format: "jsonl", count: 5 });
  const lines = output.trimEnd().split("\n").map((line) => JSON.parse(line));
  assertEquals(lines.map((l) => l.id), ["d0", "d1", "d2", "d3", "d4"]);
  assertEquals(lines[1].entities.map((e: { text: string }) => e.text), ["aspirin", "fever"]);
  assertEquals(totals, { documents: 5, entities: 4 });
});

Deno.test("pubtator: what we write reads back, line breaks flattened without moving offsets", async () => {
  const { output } = await run({ format: "pubtator", count: 2 });
  const [empty, withEntities] = parsePubTator(output);
  assertEquals(empty.mentions, []);
  assertEquals(withEntities.title, "Doc 1: aspirin and fever.");
  assertEquals(withEntities.mentions.map((m) => [m.start, m.text, m.type, m.ids]), [
    [7, "aspirin", "Chemical", []],
    [19, "fever", "Disease", []],
  ]);
});

Deno.test("shards i/n are contiguous runs of whole blocks whose outputs concatenate to the unsharded output", async () => {
  const job = (shard?: string) => run({ format: "jsonl", count: 7, shard, blockSize: 2 });
  const ids = async (shard: string) =>
    (await job(shard)).output.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l).id);
  // 7 documents in blocks of 2 → 4 blocks; 3 shards take blocks [0], [1], [2, 3].
  assertEquals(await ids("0/3"), ["d0", "d1"]);
  assertEquals(await ids("1/3"), ["d2", "d3"]);
  assertEquals(await ids("2/3"), ["d4", "d5", "d6"]);
  const parts = await Promise.all(["0/3", "1/3", "2/3"].map(async (s) => (await job(s)).output));
  assertEquals(parts.join(""), (await job()).output);
});

Deno.test("parseShard refuses what is not i/n with 0 ≤ i < n", () => {
  assertEquals(parseShard("2/8"), { index: 2, count: 8 });
  for (const bad of ["3/3", "1/0", "-1/2", "a/b", "1"]) {
    assertThrows(() => parseShard(bad), Error, "--shard must be i/n");
  }
});

Deno.test("formatDocument: JSONL keeps the original text", () => {
  const doc: InputDocument = { id: "x", text: "a\tb", source: "s", line: 1 };
  assertEquals(JSON.parse(formatDocument(doc, [], "jsonl")), { id: "x", text: "a\tb", entities: [] });
});
