/**
 * The demo's example sentences follow the model's types: BC5CDR's six for Chemical/Disease, sentences of the
 * corpus's test split (showing as many types as they can) for other types, none — with the reason — when
 * the corpus is not of the model's types.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { demoExamples } from "../../lib/predict/demo_examples.ts";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";

const FIXTURE = new URL("../../data/fixtures/types16", import.meta.url).pathname;

Deno.test("demoExamples: BC5CDR's sentences for its types, the test split's for 16 others, a reason for none", async () => {
  assertEquals((await demoExamples(["Chemical", "Disease"])).sentences, [...EXAMPLE_SENTENCES]);

  const types = Object.keys(MENTIONS).sort();
  const test = (await Deno.readTextFile(`${FIXTURE}/test.tsv`)).trim().split("\n\n")
    .map((block) => block.split("\n").map((line) => line.split("\t")[0]).join(" "));
  const { sentences, source } = await demoExamples(types, { corpus: FIXTURE });
  assertEquals(sentences.length, 6);
  assertStringIncludes(source, "test split");
  // Each is a sentence of the test split (its tokens in order), and together they show 12 types (2 each).
  for (const sentence of sentences) assert(test.includes(sentence), sentence);
  const shown = types.filter((type) => sentences.some((s) => s.includes(MENTIONS[type])));
  assertEquals(shown.length, 12);

  const genes = await demoExamples(["GENE"], { corpus: FIXTURE });
  assertEquals(genes.sentences, []);
  assertStringIncludes(genes.source, "no sentence with the model's types (GENE)");
  const bc5cdr = await demoExamples(["GENE"], { corpus: "bc5cdr" });
  assert(bc5cdr.sentences.length === 0 && bc5cdr.source.includes("set NER_CORPUS"), bc5cdr.source);
});

Deno.test("demoExamples counts the model's types it shows, not the corpus's others", async () => {
  const corpus = new URL("../../data/fixtures/conll_corpus", import.meta.url).pathname;
  // The test split's one sentence has Chemical, Disease and Species: of the model's two, it shows one.
  const { sentences, source } = await demoExamples(["Protein", "Species"], { corpus });
  assertEquals(sentences, ["Cisplatin causes nephrotoxicity in humans ."]);
  assertStringIncludes(source, "(1 sentences showing 1 of the model's 2 types)");
});
