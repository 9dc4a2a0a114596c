/**
 * The model-type registry (lib/model/registry.ts): a folder's type from what it holds, a profile's from its
 * architecture and number of corpora, per-architecture profile checks, and what each type offers inference
 * and export.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { modelTypeForProfile, modelTypeOfFolder } from "../../lib/model/registry.ts";
import { loadScoringModel } from "../../lib/predict/runtime.ts";
import { loadProfile, validateProfile } from "../../lib/train/profile.ts";
import { WORD_SIZES, wordCrfFixture } from "../onnx/word_crf_fixture.ts";

await initBackend();

Deno.test("a folder's model type is what it holds: word-crf, word-crf-multi, else BERT", async () => {
  await using single = await wordCrfFixture({ exported: false });
  await using multi = await wordCrfFixture({ exported: false, multi: true });
  const typeOf = async (folder: string) => (await modelTypeOfFolder(folder)).modelType;
  assertEquals(await typeOf(single.dir), "word-crf");
  assertEquals(await typeOf(multi.dir), "word-crf-multi");
  assertEquals(await typeOf(join(multi.dir, "a")), "word-crf");
  assertEquals(await typeOf("data/fixtures/model/tiny-bert"), "bert");
  // Nothing readable: BERT's loader says what is wrong.
  assertEquals(await typeOf(join(single.dir, "nothing")), "bert");

  assertEquals((await modelTypeOfFolder("data/fixtures/model/tiny-bert")).export?.graph, "token-logits");
  assertEquals((await modelTypeOfFolder(single.dir)).export?.graph, "word-emissions");
  assertEquals((await modelTypeOfFolder(multi.dir)).export?.graph, "word-emissions");
  // Not exported: tfjs, and why; ONNX Runtime asked for says how to export (tests/onnx/word_crf_test.ts: exported).
  const scored = await loadScoringModel(single.dir, "auto");
  assertEquals(scored.runtime, "tfjs");
  assertStringIncludes(scored.runtimeReason, "export-onnx --model");
  scored.model.dispose();
  await assertRejects(() => loadScoringModel(single.dir, "onnx"), Error, "export-onnx --model");
  await assertRejects(() => loadScoringModel(multi.dir, "auto"), Error, "not scored as a whole");
});

Deno.test("a profile's model type: its architecture, on one corpus or several", async () => {
  const word = await loadProfile("bilstm-crf-smoke");
  const bert = await loadProfile("smoke");
  assertEquals(modelTypeForProfile(word, 1).modelType, "word-crf");
  assertEquals(modelTypeForProfile(word, 2).modelType, "word-crf-multi");
  assertEquals(modelTypeForProfile(bert, 1).modelType, "bert");
  const error = assertThrows(() => modelTypeForProfile({ ...bert, data: "a,b" }, 2)) as Error;
  assertEquals(
    error.message,
    'profile smoke: multi-corpus training (data "a,b") needs a word-level model (model.architecture "word-crf")',
  );
});

Deno.test("profile checks are each architecture's own", async () => {
  const word = await loadProfile("bilstm-crf-smoke");
  const invalid = (profile: unknown) =>
    (assertThrows(() => validateProfile(profile as typeof word)) as Error).message;
  assertStringIncludes(
    invalid({ ...word, model: { ...word.model, architecture: "gru" } }),
    'model.architecture must be one of "word-crf", "bert", got "gru"',
  );
  const wordProblems = invalid({
    ...word,
    model: { ...word.model, config: { ...WORD_SIZES, hidden_size: 0 } },
  });
  assertStringIncludes(wordProblems, "model.config.hidden_size must be an integer in [1, 4096], got 0");
  const absurd = invalid({
    ...word,
    model: { ...word.model, config: { ...WORD_SIZES, max_word_chars: 1e6, char_kernel: 1e6 } },
  });
  assertStringIncludes(absurd, "model.config.max_word_chars must be an integer in [2, 256], got 1000000");
  assertStringIncludes(absurd, "model.config.char_kernel must be an integer in [1, 16], got 1000000");
  assert(!wordProblems.includes("maxLength"), "a word-level profile has no windows");
  const bert = await loadProfile("smoke");
  assertStringIncludes(invalid({ ...bert, stride: 40 }), "stride must be an integer in [0, maxLength - 2)");
});

Deno.test("a misspelt or misplaced profile value is refused, naming it, not silently ignored", async () => {
  const refused = async (name: string, overrides: Record<string, unknown>) =>
    (await assertRejects(() => loadProfile(name, overrides)) as Error).message;
  // `singletonUnkRate` belongs under `model`: at the top level it used to train the profile's own value.
  const top = await refused("bilstm-crf-smoke", { singletonUnkRate: 1 });
  assertStringIncludes(top, "singletonUnkRate is not a profile value (known: name, description,");
  assertStringIncludes(
    await refused("bilstm-crf-smoke", { "model.config.char_filter": 200 }),
    "model.config.char_filter is not a profile value (known: word_dim,",
  );
  assertStringIncludes(
    await refused("bilstm-crf-all", { "unifiedTypes.head": "one" }),
    "unifiedTypes.head is not a profile value (known: mapping, heads, unannotated)",
  );
  const pretraining = { epochs: 1, learningRate: 1e-3, warmupRatio: 0, batchSize: 2, topTokens: 9, epoch: 1 };
  const bert = await refused("smoke", { "model.config.num_layers": 2, pretraining });
  assertStringIncludes(bert, "model.config.num_layers is not a profile value");
  assertStringIncludes(bert, "pretraining.epoch is not a profile value (known: epochs,");
  // Optional values a profile leaves out are known: setting them is fine.
  await loadProfile("bilstm-crf-all", { "unifiedTypes.unannotated": "open", "unifiedTypes.heads": "one" });
  await loadProfile("bilstm-crf-smoke", { "model.singletonUnkRate": 0.9, trainOn: "train+dev", epochs: 3 });
});

Deno.test("a run's saved profile.json, with the label sets training added, loads back as a profile", async () => {
  const saved = {
    // A multi-corpus run (`--corpus bc5cdr,bionlp13pc`): its profile.json holds both corpora's label sets.
    ...await loadProfile("bilstm-crf", { data: "bc5cdr,bionlp13pc" }),
    labels: ["O", "B-Chemical", "I-Chemical"],
    corpusLabels: { bc5cdr: ["O", "B-Chemical", "I-Chemical"], bionlp13pc: ["O", "B-Complex", "I-Complex"] },
  };
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "profile.json");
    await Deno.writeTextFile(path, JSON.stringify(saved));
    assertEquals(await loadProfile(path), saved);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
