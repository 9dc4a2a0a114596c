import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { parseOverrides } from "../../lib/cli/train.ts";
import { defaultProfile } from "../../lib/train/profiles/choose.ts";
import { readTrainerState } from "../../lib/train/run/checkpoint.ts";
import { RunExistsError } from "../../lib/train/run/resume.ts";
import { runLayout } from "../../lib/train/run_layout.ts";
import { trainProfile } from "../../lib/train/trainer.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { join } from "node:path";

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

async function train(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", projectPath("lib", "cli", "train.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
    env,
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

/** A corpus folder as a user brings it: CoNLL files with their own entity types (two here) and a repaired tag. */
async function conllCorpus(dir: string): Promise<void> {
  const genes = ["BRCA1", "p53", "IL-2", "TNF", "EGFR", "KRAS"];
  const species = ["mice", "human", "yeast", "rats", "zebrafish"];
  const sentence = (i: number) => {
    const gene = genes[i % genes.length], organism = species[i % species.length];
    const lines = [`${gene}\tB-Gene`, "expression\tO", "in\tO", `${organism}\tB-Species`];
    if (i % 3 === 0) lines.push("cell\tB-Species", "lines\tI-Species");
    // An I- tag after O: repaired to B-Gene and counted by the conversion.
    if (i === 4) lines.push("and\tO", `${genes[(i + 1) % genes.length]}\tI-Gene`);
    return [...lines, ".\tO"].join("\n");
  };
  const split = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => sentence(from + i)).join("\n\n") + "\n";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "train.tsv"), split(0, 40));
  await Deno.writeTextFile(join(dir, "devel.tsv"), split(40, 10));
  await Deno.writeTextFile(join(dir, "test.tsv"), split(50, 10));
}

Deno.test("deno task train --corpus PATH: a folder of CoNLL files, its own label set, run <profile>-<corpus>", async () => {
  const outputs = await Deno.makeTempDir();
  const corpus = join(await Deno.makeTempDir(), "my-corpus");
  try {
    await conllCorpus(corpus);
    const args = ["--profile", "bilstm-crf-smoke", "--corpus", corpus, "--outputs", outputs, "--quiet"];
    const { code, stdout, stderr } = await train([...args, "--set", "epochs=1"]);
    assertEquals(code, 0, stderr);
    const metrics = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assertEquals(metrics.run, "bilstm-crf-smoke-my-corpus");
    assertEquals(metrics.corpus, corpus);
    assertEquals(metrics.labels, ["O", "B-Gene", "I-Gene", "B-Species", "I-Species"]);
    assertEquals(Object.keys(metrics.test.perType), ["Gene", "Species"]);
    const config = JSON.parse(
      await Deno.readTextFile(join(runLayout(outputs, metrics.run).best, "config.json")),
    );
    assertEquals(Object.values(config.id2label), metrics.labels);

    // A profile that lists other labels refuses this corpus before training, naming the tag and where.
    const refused = await train([...args, "--run", "x", "--set", 'labels=["O","B-Chemical","I-Chemical"]']);
    assertEquals(refused.code, 1);
    assertStringIncludes(refused.stderr, 'unknown labels "B-Gene"');
    assertEquals(refused.stderr.trim().split("\n").length, 1, refused.stderr);
  } finally {
    await Deno.remove(outputs, { recursive: true });
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("deno task train --corpus PATH without --profile trains the default profile: bilstm-crf without BioBERT weights", async () => {
  const outputs = await Deno.makeTempDir();
  const corpus = join(await Deno.makeTempDir(), "my-corpus");
  // No BioBERT weights named by the environment (the project's model cache may still hold some).
  const env = { NER_PROFILE: "", BIOBERT_DIR: "", BIOBERT_VOCAB: "" };
  const expected = await defaultProfile({ env: (name) => name in env ? undefined : Deno.env.get(name) });
  try {
    await conllCorpus(corpus);
    const args = ["--corpus", corpus, "--outputs", outputs, "--quiet", "--set", "epochs=1"];
    const { code, stdout, stderr } = await train(args, env);
    assertEquals(code, 0, stderr);
    const metrics = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assertEquals([metrics.profile, metrics.run], [expected.name, `${expected.name}-my-corpus`]);
    assertStringIncludes(stderr, `[train] profile ${expected.name} (default: ${expected.reason})`);
    if (!expected.reason.startsWith("BioBERT weights found")) assertEquals(metrics.profile, "bilstm-crf");
    const help = await train(["--help"], env);
    assertStringIncludes(help.stdout, `default profile here: ${expected.name} (${expected.reason})`);
  } finally {
    await Deno.remove(outputs, { recursive: true });
    await Deno.remove(corpus, { recursive: true });
  }
});
