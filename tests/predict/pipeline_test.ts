/**
 * The inference front door on a keyword model (tests/predict/keyword_classifier.ts): the model is exact, so
 * every expected entity below is known, and what is tested is the pipeline — offsets into the original
 * text, aggregation on real tokenization, windows, batching, streaming and errors.
 */
import { assert, assertEquals, assertGreater, assertLessOrEqual, assertRejects } from "@std/assert";
import { createNerPipeline, type NerPipeline } from "../../lib/predict/pipeline.ts";
import { AGGREGATION_STRATEGIES, type AggregationStrategy, type Entity } from "../../lib/predict/types.ts";
import { initBackend } from "../../lib/backend/mod.ts";
import { keywordModel } from "./keyword_classifier.ts";
import { spansToUtf16 } from "../../lib/util/code_points.js";

await initBackend(); // also for the model-folder test, which needs no keyword model

async function keywordPipeline(
  options: { maxLength?: number; stride?: number; batchSize?: number; poolBatches?: number } = {},
) {
  const { classifier, tokenizer, calls } = await keywordModel();
  const ner = await createNerPipeline({ model: classifier, tokenizer, ...options });
  return { ner, calls };
}

/** [text, type, start] of each entity: the offsets are checked against where the words really are. */
function summary(entities: Entity[]): [string, string, number][] {
  return entities.map((e) => [e.text, e.type, e.start]);
}

/** Entity offsets count code points: Python's `text[start:end]`, in JavaScript `[...text].slice(…)`. */
function assertSlicesMatch(text: string, entities: Entity[]): void {
  const characters = [...text];
  for (const e of entities) {
    assertEquals(characters.slice(e.start, e.end).join(""), e.text, JSON.stringify(e));
  }
}

Deno.test("offsets count code points as Python does, after emoji, mathematical letters and Greek too", async () => {
  const { ner } = await keywordPipeline();
  const text = "😀 𝛼-blockers and aspirin. Then κ cisplatin caused fever.";
  const entities = await ner(text);
  // Python: text.index("aspirin") == 17, text.index("cisplatin") == 33, text.index("fever") == 50.
  assertEquals(summary(entities), [["aspirin", "Chemical", 17], ["cisplatin", "Chemical", 33], [
    "fever",
    "Disease",
    50,
  ]]);
  for (const aggregation of AGGREGATION_STRATEGIES) assertSlicesMatch(text, await ner(text, { aggregation }));
  // For slicing in JavaScript: the same spans in UTF-16.
  for (const e of spansToUtf16(text, entities)) assertEquals(text.slice(e.start, e.end), e.text);
});

Deno.test("repeated words each get their own offsets", async () => {
  const { ner } = await keywordPipeline();
  const text = "aspirin, aspirin and aspirin";
  assertEquals(summary(await ner(text)), [["aspirin", "Chemical", 0], ["aspirin", "Chemical", 9], [
    "aspirin",
    "Chemical",
    21,
  ]]);
});

Deno.test("a multi-word, multi-subword entity comes out whole under every grouping strategy", async () => {
  const { ner } = await keywordPipeline();
  const text = "Patients with chronic kidney disease and hypertension.";
  for (const aggregation of ["simple", "first", "average", "max"] as const) {
    assertEquals(summary(await ner(text, { aggregation })), [
      ["chronic kidney disease", "Disease", 14],
      ["hypertension", "Disease", 41],
    ], aggregation);
  }
  // none: one entity per subword token
  assertEquals((await ner(text, { aggregation: "none" })).map((e) => [e.text, e.tag]), [
    ["chronic", "B-Disease"],
    ["kidney", "I-Disease"],
    ["disease", "I-Disease"],
    ["hyper", "B-Disease"],
    ["tension", "I-Disease"],
  ]);
});

/** One long sentence: filler words with a three-word entity every `every` words. */
function longSentence(words: number, every: number): { text: string; expected: [string, string, number][] } {
  const parts: string[] = [];
  const expected: [string, string, number][] = [];
  let length = 0;
  for (let i = 0; parts.length < words; i++) {
    const piece = i % every === every - 1 ? "chronic kidney disease" : `w${i}`;
    if (piece.startsWith("chronic")) expected.push([piece, "Disease", length + (parts.length ? 1 : 0)]);
    length += piece.length + (parts.length ? 1 : 0);
    parts.push(...piece.split(" "));
  }
  return { text: parts.join(" ") + ".", expected };
}

Deno.test("a sentence longer than the window is merged without cut or duplicated entities", async () => {
  const { text, expected } = longSentence(400, 7);
  for (const stride of [0, 4, 10]) {
    const { ner, calls } = await keywordPipeline({ maxLength: 16, stride });
    const entities = await ner(text);
    assertGreater(calls.length, 1); // really windowed (and batched)
    assertEquals(summary(entities), expected, `stride ${stride}`);
  }
});

Deno.test("a 50,000-word text streams through bounded batches", async () => {
  const sentence = "Treatment with cisplatin caused fever in w1 w2 w3 w4 w5 w6 w7 w8 w9 w10.";
  const repeats = Math.ceil(50_000 / sentence.split(" ").length);
  const text = Array(repeats).fill(sentence).join(" ");
  const { ner, calls } = await keywordPipeline({ batchSize: 32 });
  const entities = await ner(text);
  assertEquals(entities.length, 2 * repeats);
  assertEquals(entities.at(-1)!.start, text.lastIndexOf("fever"));
  assertSlicesMatch(text, entities);
  for (const call of calls) assertLessOrEqual(call.batchSize, 32);
});

Deno.test("recognizeDocuments streams: results arrive before the input is exhausted", async () => {
  const { ner } = await keywordPipeline({ batchSize: 4 });
  let pulled = 0;
  function* docs() {
    for (let id = 0; id < 1000; id++, pulled++) yield { id, text: id % 3 ? `Doc ${id}: aspirin.` : "" };
  }
  let seen = 0;
  for await (const { doc, entities } of ner.recognizeDocuments(docs())) {
    if (seen === 0) assertLessOrEqual(pulled, 4 * 8 * 2); // about one pool (batchSize × poolBatches) of windows
    assertEquals(doc.id, seen++); // in input order, empty documents included
    assertEquals(entities.length, doc.id % 3 ? 1 : 0);
  }
  assertEquals(seen, 1000);
});

Deno.test("an aborted signal stops the work with its reason", async () => {
  const { ner } = await keywordPipeline();
  const controller = new AbortController();
  controller.abort(new Error("too slow"));
  await assertRejects(() => ner("aspirin", { signal: controller.signal }), Error, "too slow");
});

Deno.test("bad input is refused with a clear error", async () => {
  const { ner } = await keywordPipeline();
  await assertRejects(() => ner(42 as unknown as string), TypeError, "text must be a string");
  await assertRejects(
    () => ner("x", { aggregation: "mean" as AggregationStrategy }),
    Error,
    'unknown aggregation strategy "mean"',
  );
  const { classifier } = await keywordModel();
  await assertRejects(() => createNerPipeline({ model: classifier }), Error, "needs `tokenizer`");
});

Deno.test("an empty text has no entities", async () => {
  const { ner }: { ner: NerPipeline } = await keywordPipeline();
  assertEquals(await ner(""), []);
  assertEquals(await ner("   \n "), []);
  assert(ner.labels.includes("B-Chemical"));
});

Deno.test("a model folder (HF layout) loads with its vocab; whatever it predicts lies on the text", async () => {
  const dir = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;
  const ner = await createNerPipeline({ model: dir });
  try {
    assertEquals(ner.modelName, dir);
    assertEquals(ner.labels, ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"]);
    const text = "Naloxone reverses the antihypertensive effect of clonidine. ".repeat(20);
    for (const aggregation of AGGREGATION_STRATEGIES) {
      const entities = await ner(text, { aggregation });
      assertSlicesMatch(text, entities);
      for (const e of entities) assert(e.score > 0 && e.score <= 1 && ner.labels.includes(`B-${e.type}`));
    }
  } finally {
    ner.dispose();
  }
});

Deno.test("a title + abstract document is split like the training data: the title is its own sentence", async () => {
  const { ner } = await keywordPipeline();
  const title = "Patients with chronic kidney", abstract = "disease were given aspirin.";
  const text = `${title} ${abstract}`;
  const [asDocument] = await Array.fromAsync(ner.recognizeDocuments([{ title, abstract, text }]));
  assertEquals(asDocument.entities.map((e) => e.text), ["chronic kidney", "disease", "aspirin"]);
  // The same characters as plain text: no boundary after the title, one entity across it.
  assertEquals((await ner(text)).map((e) => e.text), ["chronic kidney disease", "aspirin"]);
});

Deno.test("windows are batched with others of similar length: less padding than in input order", async () => {
  const short = "aspirin.", long = `fever ${"w ".repeat(40)}end.`;
  const docs = Array.from({ length: 64 }, (_, i) => ({ text: i % 2 ? long : short }));
  const padded = async (poolBatches: number) => {
    const { ner, calls } = await keywordPipeline({ batchSize: 8, poolBatches });
    const results = await Array.fromAsync(ner.recognizeDocuments(docs));
    assertEquals(results.map((r) => r.entities[0].text), docs.map((_, i) => (i % 2 ? "fever" : "aspirin")));
    return calls.reduce((sum, call) => sum + call.batchSize * call.seqLength, 0);
  };
  const inOrder = await padded(1), pooled = await padded(8);
  // in order every batch pads to the long sentence; pooled, the 32 short ones share short batches
  assertLessOrEqual(pooled, inOrder * 0.6);
});
