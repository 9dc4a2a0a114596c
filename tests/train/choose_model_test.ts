/**
 * chooseModel: NER_RUN names the run notebooks 04/05 use (an error when it has no model); without it the best
 * model under outputs/ is used, and the reason says which rule chose it.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { chooseModel } from "../../lib/train/run/choose_model.ts";

/** A finished run as listTrainedModels sees it: metrics.json and best/config.json. */
async function fakeRun(
  outputsDir: string,
  run: string,
  profile: string,
  devF1: number,
  corpus?: string,
): Promise<void> {
  await Deno.mkdir(join(outputsDir, run, "best"), { recursive: true });
  await Deno.writeTextFile(join(outputsDir, run, "best", "config.json"), "{}");
  await Deno.writeTextFile(
    join(outputsDir, run, "metrics.json"),
    JSON.stringify({ profile, corpus, isSmoke: profile === "smoke", best: { dev: { f1: devF1 } } }),
  );
}

Deno.test("chooseModel takes NER_RUN's run, else the best one, and says why", async () => {
  const outputsDir = await Deno.makeTempDir();
  try {
    await fakeRun(outputsDir, "cpu-small", "cpu-small", 0.8);
    await fakeRun(outputsDir, "smoke", "smoke", 0.97);
    const env = (run?: string) => (name: string) => name === "NER_RUN" ? run : undefined;

    const handed = await chooseModel({ outputsDir, env: env("smoke") });
    assertEquals([handed.run, handed.isSmoke], ["smoke", true]);
    assertStringIncludes(handed.reason, "NER_RUN=smoke");

    const fallback = await chooseModel({ outputsDir, env: env(undefined) });
    assertEquals(fallback.run, "cpu-small");
    assertStringIncludes(fallback.reason, "NER_RUN is not set: the best of the 2 model(s) under outputs/");

    await assertRejects(
      () => chooseModel({ outputsDir, env: env("biobert") }),
      Error,
      `NER_RUN=biobert: ${join(outputsDir, "biobert")} holds no finished run`,
    );
  } finally {
    await Deno.remove(outputsDir, { recursive: true });
  }
});

Deno.test("chooseModel without NER_RUN takes a model of NER_CORPUS's corpus (BC5CDR by default)", async () => {
  const outputsDir = await Deno.makeTempDir();
  try {
    await fakeRun(outputsDir, "cpu-small", "cpu-small", 0.8); // before corpora: BC5CDR
    await fakeRun(outputsDir, "bilstm-crf-bc2gm", "bilstm-crf", 0.9, "bc2gm");
    const env = (corpus?: string) => (name: string) => name === "NER_CORPUS" ? corpus : undefined;

    const bc5cdr = await chooseModel({ outputsDir, env: env(undefined) });
    assertEquals([bc5cdr.run, bc5cdr.corpus], ["cpu-small", "bc5cdr"]);
    const bc2gm = await chooseModel({ outputsDir, env: env("bc2gm") });
    assertEquals([bc2gm.run, bc2gm.corpus], ["bilstm-crf-bc2gm", "bc2gm"]);
    assertStringIncludes(bc2gm.reason, "the best of the 1 model(s) under outputs/ trained on bc2gm");
  } finally {
    await Deno.remove(outputsDir, { recursive: true });
  }
});
