/**
 * chooseEvaluation: what notebook 04 evaluates — predictions given from outside (NER_PREDICTIONS), the model
 * of run NER_RUN, or an error naming the run that is not there. Splits come from a folder of fixture
 * sentences (<outputs>/bio/), the corpus NER_CORPUS and the run name; the run's model is the tiny random BERT
 * fixture (its tags mean nothing).
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { chooseEvaluation } from "../../lib/analysis/mod.ts";
import { readSentencesJsonl, writeSentencesJsonl } from "../../lib/bio/mod.ts";

const FIXTURES = new URL("../../data/fixtures/", import.meta.url).pathname;
const test = (await readSentencesJsonl(join(FIXTURES, "train", "test.jsonl"))).slice(0, 8);
const train = (await readSentencesJsonl(join(FIXTURES, "train", "train.jsonl"))).slice(0, 8);

/** An outputs folder with converted splits and, when `run` is given, a finished run holding the tiny model. */
async function outputsFolder(run?: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  await writeSentencesJsonl(join(dir, "bio", "test.jsonl"), test);
  await writeSentencesJsonl(join(dir, "bio", "train.jsonl"), train);
  if (run) {
    const best = join(dir, run, "best");
    await Deno.mkdir(best, { recursive: true });
    for (const file of ["config.json", "model.safetensors", "vocab.txt"]) {
      await Deno.copyFile(join(FIXTURES, "model", "tiny-bert", file), join(best, file));
    }
    const metrics = { profile: "tiny", isSmoke: false, best: { dev: { f1: 0.5 } }, corpus: join(dir, "bio") };
    await Deno.writeTextFile(join(dir, run, "metrics.json"), JSON.stringify(metrics));
  }
  return dir;
}

Deno.test("NER_PREDICTIONS: those predictions, against the test split, reported under external-predictions", async () => {
  const dir = await outputsFolder();
  try {
    const path = join(dir, "mine.jsonl");
    await writeSentencesJsonl(path, test);
    const choice = await chooseEvaluation({
      outputsDir: dir,
      env: (name) =>
        ({ NER_PREDICTIONS: path, NER_CORPUS: join(dir, "bio") } as Record<string, string>)[name],
    });
    assertEquals(choice.model, undefined);
    assertEquals([choice.gold, choice.predicted, choice.train], [test, test, train]);
    assertEquals(choice.goldSource, join(dir, "bio", "test.jsonl"));
    assertEquals([choice.predictionsPath, choice.outDir], [path, join(dir, "external-predictions")]);
    assertEquals(choice.trainLog, undefined);
    assertStringIncludes(choice.why, "NER_PREDICTIONS");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "NER_RUN: that run's model predicts the test split, saved under the run; its log feeds the curves",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await outputsFolder("r1");
    try {
      const choice = await chooseEvaluation({
        outputsDir: dir,
        env: (name) => (name === "NER_RUN" ? "r1" : undefined),
      });
      assertEquals([choice.model?.run, choice.model?.dir], ["r1", join(dir, "r1", "best")]);
      assertEquals(choice.outDir, join(dir, "r1"));
      assertEquals(choice.trainLog, join(dir, "r1", "train_log.jsonl"));
      assertEquals(choice.predictionsPath, join(dir, "r1", "predictions", "test.jsonl"));
      assertEquals(await readSentencesJsonl(choice.predictionsPath), choice.predicted);
      assertEquals(choice.predicted.map((s) => s.words), test.map((s) => s.words));
      assertStringIncludes(choice.title, "r1");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("NER_RUN naming a run without a finished model: an error naming the run", async () => {
  const dir = await outputsFolder();
  try {
    await assertRejects(
      () => chooseEvaluation({ outputsDir: dir, env: (name) => (name === "NER_RUN" ? "gone" : undefined) }),
      Error,
      "NER_RUN=gone",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
