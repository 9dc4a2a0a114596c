/**
 * The `biobert` profile exactly as shipped, except where its weights come from: a BioBERT-like folder built
 * from lib/model's committed tiny reference model (config.json, vocab.txt and a *base* checkpoint —
 * pytorch_model.bin without a classifier, with pooler and pre-training heads, as BioBERT's) stands in for
 * dmis-lab/biobert-base-cased-v1.1, and only a few steps are run.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { projectPath } from "../../lib/util/paths.ts";
import { loadModelFolder } from "../../lib/model/mod.ts";
import { loadProfile, trainProfile } from "../../lib/train/mod.ts";

async function bioBertStandIn(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const fixtures = projectPath("data", "fixtures", "model");
  await Deno.copyFile(join(fixtures, "tiny-bert", "config.json"), join(dir, "config.json"));
  await Deno.copyFile(join(fixtures, "tiny-bert", "vocab.txt"), join(dir, "vocab.txt"));
  await Deno.copyFile(
    join(fixtures, "variants", "base", "pytorch_model.bin"),
    join(dir, "pytorch_model.bin"),
  );
  return dir;
}

const withCorpus = Boolean(Deno.env.get("BC5CDR_DIR"));

Deno.test({
  name: `biobert profile fine-tunes a base checkpoint with a new head (${
    withCorpus ? "BC5CDR" : "fixture"
  } data)`,
  fn: async () => {
    const shipped = await loadProfile("biobert");
    assertEquals(shipped.model, { init: "pretrained", source: "dmis-lab/biobert-base-cased-v1.1" });
    assertEquals([shipped.learningRate, shipped.epochs, shipped.data], [5e-5, 10, "bc5cdr"]);

    const weights = await bioBertStandIn();
    const outputsDir = await Deno.makeTempDir();
    const messages: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => messages.push(args.join(" "));
    let result;
    try {
      result = await trainProfile({
        profile: "biobert",
        overrides: {
          "model.source": weights,
          maxSteps: 3,
          maxLength: 64, // the stand-in has 64 positions (BioBERT: 512)
          // Without the corpus, the synthetic fixtures (same labels) stand in for BC5CDR.
          ...(withCorpus ? {} : { data: "data/fixtures/train" }),
        },
        outputsDir,
      });
    } finally {
      console.error = original;
    }
    const log = messages.join("\n");
    // HF's report: the base checkpoint's extra weights are unused, the classifier is newly initialised.
    assertStringIncludes(log, "were not used when initializing BertForTokenClassification");
    assertStringIncludes(log, 'newly initialized: ["classifier.weight","classifier.bias"]');

    const { metrics, layout } = result;
    assertEquals([metrics.profile, metrics.steps, metrics.stopReason], ["biobert", 3, "max-steps"]);
    assert(Object.keys(metrics.test.perType).every((type) => ["Chemical", "Disease"].includes(type)));
    const { model } = await loadModelFolder(layout.best);
    // The shipped profile lists no labels: the head is sized by the data's label set.
    assertEquals(Object.values(model.config.id2label), [
      "O",
      "B-Chemical",
      "I-Chemical",
      "B-Disease",
      "I-Disease",
    ]);
    assertEquals(metrics.labels, Object.values(model.config.id2label));
    assert(model.parameters.has("classifier.weight"));
    model.dispose();
  },
});

Deno.test("a maxLength beyond the pretrained model's positions is refused before training", async () => {
  const error = await assertRejects(() =>
    trainProfile({
      profile: "biobert",
      overrides: { data: "data/fixtures/train", "model.source": "data/fixtures/model/tiny-bert" },
      outputsDir: Deno.makeTempDirSync(),
      quiet: true,
    })
  );
  assertStringIncludes(
    (error as Error).message,
    "maxLength 128 exceeds the model's max_position_embeddings 64",
  );
});
