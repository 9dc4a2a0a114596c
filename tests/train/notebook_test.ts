/**
 * Notebook 03 runs with the smoke profile (seconds), both through the extractor (type-checked) and in the Deno
 * Jupyter kernel when Jupyter is installed; it leaves the best model folder and the metrics under outputs/.
 * (The generic notebook tests skip it unless NER_PROFILE is set: its default profile trains for ~40 minutes.)
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { JUPYTER, runNotebookExtracted, runNotebookInKernel } from "../../lib/notebook/run.ts";
import { projectPath } from "../../lib/util/paths.ts";
import type { RunMetrics } from "../../lib/train/mod.ts";

const notebook = projectPath("notebooks", "03_finetune.ipynb");
const env = { NER_PROFILE: "smoke" };
const hasJupyter = await Deno.stat(JUPYTER).then(() => true, () => false);

async function assertSmokeModelSaved(): Promise<void> {
  const run = projectPath("outputs", "smoke");
  assert((await Deno.stat(join(run, "best", "model.safetensors"))).isFile);
  const metrics: RunMetrics = JSON.parse(await Deno.readTextFile(join(run, "metrics.json")));
  assertEquals([metrics.profile, metrics.isSmoke], ["smoke", true]);
}

Deno.test("notebook 03 runs extracted with NER_PROFILE=smoke and saves the model", async () => {
  const run = await runNotebookExtracted(notebook, { env });
  assert(run.output.includes("NER_PROFILE=smoke"), "the profile choice is shown");
  await assertSmokeModelSaved();
});

Deno.test({
  name: "notebook 03 runs in the Deno Jupyter kernel with NER_PROFILE=smoke",
  ignore: !hasJupyter,
  fn: async () => {
    const outputDir = await Deno.makeTempDir();
    const run = await runNotebookInKernel(notebook, { env, outputDir });
    assertEquals(run.executedPath, join(outputDir, "03_finetune.ipynb"));
    await assertSmokeModelSaved();
    await Deno.remove(outputDir, { recursive: true });
  },
});
