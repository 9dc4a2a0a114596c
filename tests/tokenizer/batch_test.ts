/** Batching: padding, length bucketing, seeded shuffling, and the way back from rows to windows. */
import { assertEquals, assertLess, assertNotEquals, assertThrows } from "@std/assert";
import { IGNORE_INDEX, makeBatches, mergeWindowPredictions, unbatchRows } from "../../lib/tokenizer/mod.ts";
import { fixtureTokenizer, LABEL2ID } from "./helpers.ts";

async function sentences(count: number) {
  const tokenizer = await fixtureTokenizer();
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 1 + (i * 7) % 13 }, (_, j) => (j % 2 ? "Naloxone" : "of"));
    const labels = words.map((word) => (word === "of" ? "O" : "B-Chemical"));
    return tokenizer.encodeWords(words, { labels, label2id: LABEL2ID })[0];
  });
}

Deno.test("makeBatches: rows padded to the longest window with pad 0, mask 0, label -100", async () => {
  const tokenizer = await fixtureTokenizer();
  const windows = [["of", "Naloxone"], ["Naloxone", "of", "Naloxone", "of"]].map((words) =>
    tokenizer.encodeWords(words, { labels: words.map(() => "O"), label2id: LABEL2ID })[0]
  );
  const [batch, ...rest] = makeBatches(windows, { batchSize: 4 });
  assertEquals(rest, []);
  assertEquals([batch.batchSize, batch.seqLength], [2, windows[1].inputIds.length]);
  const short = windows[0].inputIds.length;
  const row0 = (array: Int32Array) => Array.from(array.subarray(0, batch.seqLength));
  assertEquals(row0(batch.inputIds), [...windows[0].inputIds, ...new Array(batch.seqLength - short).fill(0)]);
  assertEquals(row0(batch.attentionMask), [
    ...new Array(short).fill(1),
    ...new Array(batch.seqLength - short).fill(0),
  ]);
  assertEquals(row0(batch.labels!), [
    ...windows[0].labels!,
    ...new Array(batch.seqLength - short).fill(IGNORE_INDEX),
  ]);
  assertEquals(Array.from(batch.tokenTypeIds), new Array(2 * batch.seqLength).fill(0));
  assertEquals(batch.windowIndices, [0, 1]);
});

Deno.test("makeBatches: bucketing by length needs less padding; every window lands in one row", async () => {
  const windows = await sentences(64);
  const padding = (batches: ReturnType<typeof makeBatches>) =>
    batches.reduce((sum, b) => sum + b.attentionMask.length - b.attentionMask.reduce((a, m) => a + m, 0), 0);
  const plain = makeBatches(windows, { batchSize: 8 });
  const bucketed = makeBatches(windows, { batchSize: 8, bucketByLength: true, shuffleSeed: 1 });
  assertLess(padding(bucketed), padding(plain));
  const rows = bucketed.flatMap((batch) => batch.windowIndices).sort((a, b) => a - b);
  assertEquals(rows, windows.map((_, i) => i));
});

Deno.test("makeBatches: the same seed gives the same order, another seed another", async () => {
  const windows = await sentences(40);
  const order = (seed: number) =>
    makeBatches(windows, { batchSize: 4, bucketByLength: true, shuffleSeed: seed }).map((b) =>
      b.windowIndices
    );
  assertEquals(order(7), order(7));
  assertNotEquals(order(7), order(8));
  assertEquals(makeBatches(windows, { batchSize: 4 })[0].windowIndices, [0, 1, 2, 3]);
});

Deno.test("unbatchRows + mergeWindowPredictions: per-row outputs come back to their words", async () => {
  const tokenizer = await fixtureTokenizer();
  const words = Array.from({ length: 120 }, (_, i) => ["Naloxone", "of", "hypertension"][i % 3]);
  const windows = tokenizer.encodeWords(words, { maxLength: 24, stride: 6 });
  const batches = makeBatches(windows, { batchSize: 3, bucketByLength: true, shuffleSeed: 3 });
  // A "model" that echoes its input ids, row by row.
  const outputs = batches.map((b) =>
    b.windowIndices.map((_, r) => Array.from(b.inputIds.subarray(r * b.seqLength, (r + 1) * b.seqLength)))
  );
  const merged = mergeWindowPredictions(windows, unbatchRows(batches, outputs));
  assertEquals(merged, words.map((word) => tokenizer.wordPieces(word).ids[0]));
});

Deno.test("makeBatches: refuses a bad batch size and windows with and without labels mixed", async () => {
  const tokenizer = await fixtureTokenizer();
  const labelled = tokenizer.encodeWords(["of"], { labels: ["O"], label2id: LABEL2ID });
  const bare = tokenizer.encodeWords(["of"]);
  assertThrows(() => makeBatches(bare, { batchSize: 0 }), RangeError, "batchSize");
  assertThrows(
    () => makeBatches([...labelled, ...bare], { batchSize: 2 }),
    Error,
    "1 of 2 windows have labels",
  );
  assertEquals(makeBatches(bare, { batchSize: 2 })[0].labels, undefined);
});
