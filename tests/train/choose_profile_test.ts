/**
 * The one default profile (lib/train/profiles/choose.ts's `defaultProfile`), what `deno task train` without
 * `--profile`, `deno task reproduce` and notebook 03 train: `NER_PROFILE`, else `biobert` when BioBERT's weights
 * are on this machine, else `bilstm-crf`.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { chooseProfile, defaultProfile } from "../../lib/train/profiles/choose.ts";
import type { EnvName } from "../../lib/util/config.ts";

/** An environment holding only `values`, and an empty model cache: no weights anywhere unless given. */
async function machine(values: Partial<Record<EnvName, string>>) {
  return { env: (name: EnvName) => values[name], modelCacheDir: await Deno.makeTempDir() };
}

/** A folder as BioBERT's weights are found in: config.json and a weights file. */
async function weightsFolder(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "config.json"), "{}");
  await Deno.writeFile(join(dir, "model.safetensors"), new Uint8Array(8));
  return dir;
}

Deno.test("without BioBERT weights the default is bilstm-crf, and it says where it looked", async () => {
  const vocabDir = await Deno.makeTempDir(); // BIOBERT_VOCAB's folder, holding no weights
  const choice = await defaultProfile(await machine({ BIOBERT_VOCAB: join(vocabDir, "vocab.txt") }));
  assertEquals([choice.name, choice.overrides], ["bilstm-crf", {}]);
  assertStringIncludes(choice.reason, "no BioBERT weights on this machine");
  assertStringIncludes(choice.reason, vocabDir);
});

Deno.test("with BioBERT weights the default is biobert, fine-tuning the weights found", async () => {
  const dir = await weightsFolder();
  const choice = await defaultProfile(await machine({ BIOBERT_DIR: dir }));
  assertEquals([choice.name, choice.overrides], ["biobert", { "model.source": dir }]);
  assertStringIncludes(choice.reason, dir);
});

Deno.test("NER_PROFILE comes first; the notebooks' choice adds the corpus and the run", async () => {
  const dir = await weightsFolder();
  const choice = await defaultProfile(await machine({ BIOBERT_DIR: dir, NER_PROFILE: "smoke" }));
  assertEquals([choice.name, choice.reason], ["smoke", "NER_PROFILE=smoke"]);
  const notebooks = await chooseProfile(await machine({ NER_CORPUS: "bc2gm" }));
  assertEquals([notebooks.name, notebooks.corpus, notebooks.run], [
    "bilstm-crf",
    "bc2gm",
    "bilstm-crf-bc2gm",
  ]);
  assertEquals(notebooks.overrides, { data: "bc2gm" });
});

Deno.test("a profile on other data than its own trains into a run of its own (the smoke profile on BC5CDR is not the smoke run)", async () => {
  assertEquals((await chooseProfile(await machine({ NER_PROFILE: "smoke" }))).run, "smoke");
  assertEquals(
    (await chooseProfile(await machine({ NER_PROFILE: "smoke", NER_CORPUS: "bc5cdr" }))).run,
    "smoke-bc5cdr",
  );
  assertEquals(
    (await chooseProfile(await machine({ NER_PROFILE: "bilstm-crf", NER_CORPUS: "bc5cdr" }))).run,
    "bilstm-crf",
  );
});
