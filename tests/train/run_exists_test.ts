/**
 * A run folder's state read back honestly: a deleted profile.json is named as such, a run on other data is
 * never resumed nor deleted, and steps missing from train_log.jsonl are reported (the refusal to restart a
 * run silently is in cli_test.ts).
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { RunOnOtherDataError } from "../../lib/train/run/resume.ts";
import { runLayout } from "../../lib/train/run_layout.ts";
import { findLogGaps, readTrainLog, TrainLog } from "../../lib/train/run/train_log.ts";
import { trainProfile } from "../../lib/train/trainer.ts";

Deno.test("--resume with profile.json deleted says so (not 'other profile values')", async () => {
  const outputs = await Deno.makeTempDir();
  try {
    const overrides = { epochs: 1 };
    await trainProfile({ profile: "smoke", overrides, outputsDir: outputs, quiet: true });
    const layout = runLayout(outputs, "smoke");
    await Deno.remove(layout.profile);
    const error = await assertRejects(() =>
      trainProfile({ profile: "smoke", overrides, outputsDir: outputs, quiet: true, resume: true })
    );
    assertStringIncludes((error as Error).message, `${layout.profile} is missing`);
    assert(!(error as Error).message.includes("other profile values"), (error as Error).message);
  } finally {
    await Deno.remove(outputs, { recursive: true });
  }
});

/** A small CoNLL corpus folder at `dir` (train, devel, test). */
async function tinyCorpus(dir: string): Promise<void> {
  const sentence = (i: number) => [`${["p53", "IL-2", "TNF"][i % 3]}\tB-Gene`, "in\tO", "mice\tO"].join("\n");
  const split = (count: number) => Array.from({ length: count }, (_, i) => sentence(i)).join("\n\n") + "\n";
  await Deno.mkdir(dir, { recursive: true });
  for (const [file, count] of [["train.tsv", 24], ["devel.tsv", 6], ["test.tsv", 6]] as const) {
    await Deno.writeTextFile(join(dir, file), split(count));
  }
}

Deno.test("a run folder holding a run on another corpus of the same name is neither resumed nor deleted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const outputs = join(dir, "outputs");
    const [x, y, comma] = [join(dir, "x", "corp"), join(dir, "y", "corp"), join(dir, "a,b", "corp")];
    for (const corpus of [x, y, comma]) await tinyCorpus(corpus);
    const train = (data: string, resume?: boolean | "if-compatible") =>
      trainProfile({
        profile: "bilstm-crf-smoke",
        overrides: { data, epochs: 1 },
        run: "bilstm-crf-smoke-corp", // what both are named by default (runNameFor)
        outputsDir: outputs,
        quiet: true,
        resume,
      });
    await train(x);
    const layout = runLayout(outputs, "bilstm-crf-smoke-corp");
    const metrics = await Deno.readTextFile(layout.metrics);
    // The old refusal offered --resume (then refused) and --fresh, which deleted /x/corp's run.
    for (const resume of [undefined, true, false, "if-compatible"] as const) {
      const error = await assertRejects(() => train(y, resume), RunOnOtherDataError);
      assertEquals(
        error.message,
        `${layout.dir} holds a checkpoint (step 2), a best model, final metrics of a run on ${x}, not on ${y}: ` +
          `give this run its own name (--run NAME), or remove ${layout.dir} to reuse its name`,
      );
    }
    assertEquals(await Deno.readTextFile(layout.metrics), metrics);
    // A path holding a comma is one corpus (the old trainer read it as a list of two unknown corpora).
    const { metrics: trained } = await trainProfile({
      profile: "bilstm-crf-smoke",
      overrides: { data: comma, epochs: 1 },
      outputsDir: outputs,
      quiet: true,
    });
    assertEquals([trained.corpus, trained.labels], [comma, ["O", "B-Gene", "I-Gene"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const step = (n: number) => ({
  kind: "step" as const,
  step: n,
  epoch: 0,
  loss: 1,
  lr: 0,
  tokensPerSecond: 0,
});

Deno.test("steps missing from train_log.jsonl are reported by name", async () => {
  assertEquals(findLogGaps([step(2), step(4), step(6)]), []);
  assertEquals(findLogGaps([step(2), step(4), step(12), step(14)]), [{ from: 5, to: 11 }]);
  // Every 20 steps, epochs of 50: each epoch's end logs its partial interval too. No gap.
  const everyTwenty = [20, 40, 50, 70, 90, 100, 120, 140, 150].map(step);
  assertEquals(findLogGaps(everyTwenty), []);
  assertEquals(findLogGaps(everyTwenty.filter((line) => line.step !== 90)), [{ from: 71, to: 99 }]);
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "train_log.jsonl");
    const lines = [step(2), step(4), step(6), step(8), step(10), step(12)];
    const text = lines.map((line) => JSON.stringify(line) + "\n");
    // A log cut short after step 4 whose run then resumed at the checkpoint of step 10.
    await Deno.writeTextFile(path, [...text.slice(0, 2), ...text.slice(5)].join(""));
    const warnings: string[] = [];
    await readTrainLog(path, { warn: (message) => warnings.push(message) });
    assertEquals(warnings, [
      `warning: ${path} has no lines for steps 5–11 (the log was cut short): learning curves have a gap`,
    ]);
    // At the resume itself: the checkpoint recorded a longer log than the one found.
    await Deno.writeTextFile(path, text.slice(0, 2).join(""));
    const atResume: string[] = [];
    const bytes = new TextEncoder().encode(text.slice(0, 5).join("")).length;
    await TrainLog.open(path, { resumeAt: { bytes, step: 10 }, warn: (message) => atResume.push(message) });
    assertEquals(atResume, [
      `warning: ${path} has no lines for steps 5–10 (the log was cut short): learning curves have a gap`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
