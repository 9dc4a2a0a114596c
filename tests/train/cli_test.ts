import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { parseOverrides } from "../../lib/cli/train.ts";
import { readTrainerState } from "../../lib/train/checkpoint.ts";
import { RunExistsError } from "../../lib/train/resume.ts";
import { runLayout } from "../../lib/train/run_layout.ts";
import { trainProfile } from "../../lib/train/trainer.ts";
import { projectPath } from "../../lib/util/paths.ts";

Deno.test("--set values are JSON when they parse as JSON, plain strings otherwise", () => {
  assertEquals(
    parseOverrides(["epochs=2", "model.source=/models/biobert", "timeBudgetMinutes=null", "x=a=b"]),
    {
      epochs: 2,
      "model.source": "/models/biobert",
      timeBudgetMinutes: null,
      x: "a=b",
    },
  );
});

async function train(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", projectPath("lib", "cli", "train.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test("deno task train: progress on stderr, the run's metrics as the last stdout line", async () => {
  const outputs = await Deno.makeTempDir();
  const { code, stdout, stderr } = await train([
    "--profile",
    "smoke",
    "--outputs",
    outputs,
    "--set",
    "epochs=2",
  ]);
  assertEquals(code, 0, stderr);
  const metrics = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assertEquals([metrics.profile, metrics.steps, metrics.epochsCompleted], ["smoke", 20, 2]);
  assertStringIncludes(stderr, "epoch 2/2");
  assertStringIncludes(stderr, "dev strict F1");
});

Deno.test("deno task train: a bad override is one clear error line and exit code 1", async () => {
  const { code, stdout, stderr } = await train([
    "--profile",
    "smoke",
    "--set",
    "batchSize=0",
    "--outputs",
    "/tmp",
  ]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertStringIncludes(stderr, "batchSize must be a positive integer");
});

Deno.test("train without --resume on a folder with a checkpoint: refused with both commands, nothing lost", async () => {
  const outputs = await Deno.makeTempDir();
  try {
    const args = ["--profile", "smoke", "--outputs", outputs, "--set", "epochs=1", "--quiet"];
    assertEquals((await train(args)).code, 0);
    const layout = runLayout(outputs, "smoke");
    const before = (await readTrainerState(layout.checkpoint))!.globalStep;
    const log = await Deno.readTextFile(layout.log);

    const refused = await train(args);
    assertEquals(refused.code, 1);
    const lines = refused.stderr.trim().split("\n").filter((line) => line.startsWith("train:"));
    assertEquals(lines.length, 1, refused.stderr);
    const command = `deno task train ${args.join(" ")}`;
    assertStringIncludes(lines[0], `${layout.dir} holds a checkpoint (step ${before}), a best model`);
    assertStringIncludes(lines[0], `\`${command} --resume\` continues it`);
    assertStringIncludes(lines[0], `\`${command} --fresh\` deletes it and starts over`);
    assertEquals((await readTrainerState(layout.checkpoint))!.globalStep, before);
    assertEquals(await Deno.readTextFile(layout.log), log);

    // The library says the same to its callers; `resume: false` is the explicit fresh start.
    await assertRejects(
      () => trainProfile({ profile: "smoke", outputsDir: outputs, quiet: true }),
      RunExistsError,
    );
    assertEquals((await train([...args, "--resume", "--fresh"])).code, 2);
    assertEquals((await train([...args, "--fresh"])).code, 0);
  } finally {
    await Deno.remove(outputs, { recursive: true });
  }
});
