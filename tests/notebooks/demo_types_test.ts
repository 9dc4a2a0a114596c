/**
 * Notebook 05 with a model of other types than BC5CDR's (16, BioNLP13CG's; random weights): it shows the
 * model's heading and legend and takes its examples from the test split of `NER_CORPUS` (the synthetic
 * 16-type fixture), not BC5CDR's demo sentences. Run extracted, on a run folder made for the test.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { runNotebookExtracted } from "../../lib/notebook/run.ts";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { fixtureModel } from "../onnx/fixture_model.ts";

Deno.test("notebook 05 on a 16-type model: its heading and legend, examples from NER_CORPUS's test split", async () => {
  const types = Object.keys(MENTIONS);
  const labels = ["O", ...types.flatMap((type) => [`B-${type}`, `I-${type}`])];
  await using model = await fixtureModel({ exported: false, labels });
  const run = `test-16-types-${Deno.pid}`;
  const runDir = projectPath("outputs", run);
  await Deno.mkdir(join(runDir, "best"), { recursive: true });
  try {
    for (const name of ["config.json", "model.safetensors", "vocab.txt"]) {
      await Deno.copyFile(join(model.dir, name), join(runDir, "best", name));
    }
    const metrics = { profile: "16-type fixture", isSmoke: true, best: null };
    await Deno.writeTextFile(join(runDir, "metrics.json"), JSON.stringify(metrics));
    const corpus = projectPath("data", "fixtures", "types16");
    const { output } = await runNotebookExtracted(projectPath("notebooks", "05_demo.ipynb"), {
      env: { NER_RUN: run, NER_CORPUS: corpus },
    });
    assertStringIncludes(output, "Mentions of 16 entity types");
    for (const type of types) assertStringIncludes(output, type);
    assertStringIncludes(
      output,
      `the test split of ${corpus} (6 sentences showing 12 of the model's 16 types)`,
    );
    // What it ran the model on (written to outputs/demo/examples.json): the fixture's sentences.
    const written = JSON.parse(await Deno.readTextFile(projectPath("outputs", "demo", "examples.json")));
    const texts = (written.results as { text: string }[]).map((r) => r.text);
    assertEquals(texts[0], "We measured liver in mice .");
    assertEquals(texts.length, 6);
    assertEquals(texts.filter((text) => EXAMPLE_SENTENCES.includes(text)), []);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});
