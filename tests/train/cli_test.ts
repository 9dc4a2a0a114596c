import { assertEquals, assertStringIncludes } from "@std/assert";
import { parseOverrides } from "../../lib/cli/train.ts";
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
