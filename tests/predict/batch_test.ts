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

Deno.test("astral text: JSONL and PubTator offsets count code points, as a Python reader slices them", async () => {
  const { classifier, tokenizer } = await keywordModel();
  const ner = await createNerPipeline({ model: classifier, tokenizer });
  const title = "😀 aspirin and 𝛼 fever.", abstract = "Then 𝛼𝛽 cisplatin.";
  const documents: InputDocument[] = [
    { id: "plain", text: "IL-2 and 😀 aspirin; 𝛼 fever again.", source: "s", line: 1 },
    { id: "pubtator", text: `${title} ${abstract}`, title, abstract, source: "s", line: 2 },
  ];
  const output = { jsonl: "", pubtator: "" };
  for (const format of ["jsonl", "pubtator"] as const) {
    await runBatchJob({
      ner,
      documents,
      format,
      write: (text) => Promise.resolve(void (output[format] += text)),
    });
  }
  const pythonSlice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");
  const jsonl = output.jsonl.trimEnd().split("\n").map((line) => JSON.parse(line));
  assertEquals(
    jsonl.map((r) => r.entities.map((e: { start: number; text: string }) => [e.text, e.start])),
    [[["aspirin", 11], ["fever", 22]], [["aspirin", 2], ["fever", 16], ["cisplatin", 31]]],
  );
  for (const r of jsonl) {
    for (const e of r.entities) assertEquals(pythonSlice(r.text, e.start, e.end), e.text);
  }
  // The PubTator mention lines carry the same code point offsets; our reader reads them back to the text.
  const mentionLines = output.pubtator.split("\n").filter((line) => line.split("\t").length === 6);
  assertEquals(mentionLines.map((line) => line.split("\t").slice(0, 4)), [
    ["plain", "11", "18", "aspirin"],
    ["plain", "22", "27", "fever"],
    ["pubtator", "2", "9", "aspirin"],
    ["pubtator", "16", "21", "fever"],
    ["pubtator", "31", "40", "cisplatin"],
  ]);
  const read = parsePubTator(output.pubtator);
  for (const doc of read) for (const m of doc.mentions) assertEquals(doc.text.slice(m.start, m.end), m.text);
  assertEquals(read.map((d) => d.mentions.length), [2, 3]);
});
