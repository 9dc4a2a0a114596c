/**
 * Label sets are checked where they enter — a word-level model's config, a BERT folder, a corpus conversion
 * (training data: tests/train/labels_from_data_test.ts) — so a set that passed before and broke a later stage
 * (issue 27 item 6) is refused there in one line; and types named like Object properties count as numbers.
 */
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import { convertCorpus } from "../../lib/corpus/convert.ts";
import { loadCorpus } from "../../lib/corpus/load.ts";
import { loadTokenClassifier } from "../../lib/model/bert/pretrained.ts";
import { validateWordCrfConfig } from "../../lib/model/word_crf/folder.ts";

const TINY_BERT = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;

/** A word-level config.json (valid sizes) with `labels` as its id2label. */
function wordCrfConfig(labels: readonly string[]): Record<string, unknown> {
  return {
    model_type: "word-crf",
    id2label: Object.fromEntries(labels.map((label, id) => [String(id), label])),
    word_vocab_size: 10,
    char_vocab_size: 10,
    word_dim: 4,
    char_dim: 4,
    char_filters: 4,
    char_kernel: 3,
    max_word_chars: 8,
    shape_dim: 2,
    hidden_size: 4,
    dropout: 0.1,
    initializer_range: 0.02,
    consistency: { abbreviations: true, propagation: true },
  };
}

Deno.test("word-level config: labels without O, only I-, a type named O, or 1,000 types are refused", () => {
  const refused = (labels: string[]) =>
    assertThrows(() => validateWordCrfConfig(wordCrfConfig(labels), "m/config.json"), Error).message;
  validateWordCrfConfig(wordCrfConfig(["O", "B-Chemical", "I-Chemical"]), "m/config.json");
  // Before: accepted, then `ner` with the abbreviation rule crashed ("reading 'startsWith'").
  assertStringIncludes(
    refused(["B-Chemical", "I-Chemical"]),
    'm/config.json: invalid word-crf config: no "O" label',
  );
  // Before: accepted, then every entity came out with "score": null.
  assertStringIncludes(refused(["I-Chemical", "I-Disease"]), '"B-Chemical" is missing');
  assertStringIncludes(refused(["O", "B-O", "I-O"]), 'an entity type named "O" (B-O,I-O)');
  const thousand = ["O", ...Array.from({ length: 1000 }, (_, i) => [`B-T${i}`, `I-T${i}`]).flat()];
  assertStringIncludes(refused(thousand), "1000 entity types, over this project's limit of 64");
  // The consistency options are checked by the same function as a profile's.
  const config = { ...wordCrfConfig(["O", "B-X", "I-X"]), consistency: { propagation: "yes" } };
  assertThrows(() => validateWordCrfConfig(config, "m"), Error, "consistency must be an object of booleans");
});

Deno.test("BERT folder: its labels, or the labels of a new head, pass the same check", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = JSON.parse(await Deno.readTextFile(join(TINY_BERT, "config.json")));
    const labels = ["B-Chemical", "I-Chemical", "B-O", "I-O", "O"];
    config.id2label = Object.fromEntries(labels.map((label, id) => [String(id), label]));
    config.label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
    await Deno.copyFile(join(TINY_BERT, "model.safetensors"), join(dir, "model.safetensors"));
    await assertRejects(
      () => loadTokenClassifier(dir),
      Error,
      `${dir}/config.json: invalid label set: an entity type named "O"`,
    );
    await assertRejects(
      () => loadTokenClassifier(TINY_BERT, { labels: ["B-X", "I-X"], log: () => {} }),
      Error,
      'the labels given: invalid label set: no "O" label',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A CoNLL corpus folder of three identical splits. */
async function conllCorpus(text: string): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir();
  for (const split of ["train", "devel", "test"]) await Deno.writeTextFile(join(dir, `${split}.tsv`), text);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("conversion: a type named O, only O, or 65 types are refused before anything is written", async () => {
  const cases: [string, string][] = [
    ["Aspirin\tB-O\ncures\tO\npain\tB-Disease\n.\tO\n", 'an entity type named "O" (B-O,I-O)'],
    ["Aspirin\tO\ncures\tO\n.\tO\n", "no entity type (only O)"],
    [Array.from({ length: 65 }, (_, i) => `w${i}\tB-T${i}\n.\tO\n`).join("\n"), "65 entity types"],
  ];
  for (const [text, problem] of cases) {
    await using corpus = await conllCorpus(text);
    const outDir = join(corpus.dir, "out");
    const loaded = await loadCorpus(corpus.dir);
    await assertRejects(
      () => convertCorpus({ corpus: loaded, outDir }),
      Error,
      `corpus ${corpus.dir}: invalid label set: ${problem}`,
    );
    assertEquals(await Deno.stat(outDir).then(() => true, () => false), false);
  }
});

Deno.test("conversion: types named like Object properties are counted as numbers", async () => {
  await using corpus = await conllCorpus(
    "Aspirin\tB-constructor\nx\tB-toString\ny\tB-valueOf\nz\tB-hasOwnProperty\nw\tB-__proto__\n.\tO\n\n" +
      "Heparin\tB-constructor\n.\tO\n",
  );
  const loaded = await loadCorpus(corpus.dir);
  const { summary } = await convertCorpus({ corpus: loaded });
  // As report.json holds them: before, "constructor" counted as "function Object() { [native code] }11".
  assertEquals(
    JSON.stringify(summary.train.mentions),
    '{"__proto__":1,"constructor":2,"hasOwnProperty":1,"toString":1,"valueOf":1}',
  );
  assertEquals(JSON.stringify(summary.test.entities), JSON.stringify(summary.test.mentions));
});
