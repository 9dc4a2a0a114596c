import { assert, assertEquals, assertGreater, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { loadModelFolder } from "../../lib/model/mod.ts";
import {
  findBestModel,
  readTrainLog,
  type RunMetrics,
  type StepLogLine,
  trainProfile,
} from "../../lib/train/mod.ts";

/** Per-step losses of a run, from its train_log.jsonl (logEverySteps = 1). */
async function stepLosses(dir: string): Promise<number[]> {
  const lines = await readTrainLog(join(dir, "train_log.jsonl"));
  return lines.filter((l): l is StepLogLine => l.kind === "step").map((l) => l.loss);
}

const everyStep = { logEverySteps: 1, epochs: 2 };

Deno.test("smoke profile trains end to end: model folder, log, metrics; dev F1 beats the untrained model", async () => {
  const outputsDir = await Deno.makeTempDir();
  const { layout, metrics } = await trainProfile({ profile: "smoke", outputsDir, quiet: true });
  for (const file of ["config.json", "model.safetensors", "vocab.txt", "tokenizer.json"]) {
    assert((await Deno.stat(join(layout.best, file))).isFile, `best/${file}`);
  }
  const saved: RunMetrics = JSON.parse(await Deno.readTextFile(layout.metrics));
  assertEquals(saved, metrics);
  assertEquals(metrics.stopReason, "epochs");
  assertEquals(Object.keys(metrics.test.perType).sort(), ["Chemical", "Disease"]);

  const log = await readTrainLog(layout.log);
  const epochs = log.filter((l) => l.kind === "epoch");
  assertEquals(epochs.length, 6);
  for (const line of epochs) {
    assertEquals(Object.keys(line.dev!).sort(), ["f1", "perType", "precision", "recall"]);
    assert(line.seconds > 0);
  }
  const steps = log.filter((l) => l.kind === "step");
  assertEquals(Object.keys(steps[0]).sort(), ["epoch", "kind", "loss", "lr", "step", "tokensPerSecond"]);
  // Learning happened: the loss fell and the best dev F1 is far above the first epoch's.
  assertGreater(steps[0].loss, steps.at(-1)!.loss * 2);
  assertGreater(metrics.best.dev!.f1, epochs[0].dev!.f1 + 0.3);
  // The saved best model is usable on its own.
  const { model, tokenizer } = await loadModelFolder(layout.best);
  assertEquals(model.config.id2label["1"], "B-Chemical");
  assertEquals(tokenizer.vocabSize, model.config.vocab_size);
  model.dispose();
});

Deno.test("same seed → same losses; another seed → other losses", async () => {
  const outputsDir = await Deno.makeTempDir();
  await trainProfile({ profile: "smoke", overrides: everyStep, outputsDir, run: "a", quiet: true });
  await trainProfile({ profile: "smoke", overrides: everyStep, outputsDir, run: "b", quiet: true });
  await trainProfile({
    profile: "smoke",
    overrides: { ...everyStep, seed: 99 },
    outputsDir,
    run: "c",
    quiet: true,
  });
  const [a, b, c] = await Promise.all(["a", "b", "c"].map((run) => stepLosses(join(outputsDir, run))));
  assertEquals(a.length, 20);
  assertEquals(b, a);
  assert(c.some((loss, i) => loss !== a[i]));
});

Deno.test("--resume after a kill continues with the same optimizer state, schedule and data order", async () => {
  const outputsDir = await Deno.makeTempDir();
  const overrides = { ...everyStep, checkpointEverySteps: 4 };
  const full = await trainProfile({ profile: "smoke", overrides, outputsDir, run: "full", quiet: true });

  // Kill the second run after step 14: its last complete checkpoint is from step 12 (mid-epoch 2).
  const controller = new AbortController();
  await assertRejects(() =>
    trainProfile({
      profile: "smoke",
      overrides,
      outputsDir,
      run: "killed",
      quiet: true,
      signal: controller.signal,
      onProgress: (p) => p.step === 14 && controller.abort(),
    })
  );
  const resumed = await trainProfile({
    profile: "smoke",
    overrides,
    outputsDir,
    run: "killed",
    resume: true,
    quiet: true,
  });

  assertEquals(await stepLosses(join(outputsDir, "killed")), await stepLosses(join(outputsDir, "full")));
  assertEquals(resumed.metrics.best, full.metrics.best);
  assertEquals(resumed.metrics.test, full.metrics.test);
  assertEquals(resumed.metrics.steps, full.metrics.steps);
});

Deno.test("a time budget stops training, and the run still evaluates and reports", async () => {
  const outputsDir = await Deno.makeTempDir();
  const { metrics } = await trainProfile({
    profile: "smoke",
    overrides: { timeBudgetMinutes: 1e-9 },
    outputsDir,
    quiet: true,
  });
  assertEquals(metrics.stopReason, "time-budget");
  assertEquals(metrics.epochsCompleted, 0);
  assertEquals(metrics.steps, 0);
});

Deno.test("bad input fails before any training, with the reason", async (t) => {
  const outputsDir = await Deno.makeTempDir();
  await t.step("heads not dividing hidden size", async () => {
    const error = await assertRejects(() =>
      trainProfile({
        profile: "smoke",
        overrides: { "model.config.num_attention_heads": 3 },
        outputsDir,
        quiet: true,
      })
    );
    assertStringIncludes((error as Error).message, "num_attention_heads (3) must divide hidden_size (32)");
  });
  await t.step("a label the profile's own label list does not know", async () => {
    const data = await Deno.makeTempDir();
    const fixtures = new URL("../../data/fixtures/train/", import.meta.url);
    for (const split of ["dev", "test"]) {
      await Deno.copyFile(new URL(`${split}.jsonl`, fixtures), join(data, `${split}.jsonl`));
    }
    const sentence = {
      docId: "d1",
      index: 3,
      start: 0,
      end: 9,
      words: [{ text: "BRCA1", start: 0, end: 5 }],
      tags: ["B-Gene"],
    };
    await Deno.writeTextFile(join(data, "train.jsonl"), JSON.stringify(sentence) + "\n");
    const error = await assertRejects(() =>
      trainProfile({
        profile: "smoke",
        overrides: { data, labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"] },
        outputsDir,
        quiet: true,
      })
    );
    assertStringIncludes(
      (error as Error).message,
      `unknown labels "B-Gene" (first in document d1, sentence 3)`,
    );
  });
  await t.step("an empty split", async () => {
    const data = await Deno.makeTempDir();
    for (const split of ["train", "dev", "test"]) await Deno.writeTextFile(join(data, `${split}.jsonl`), "");
    const error = await assertRejects(() =>
      trainProfile({ profile: "smoke", overrides: { data }, outputsDir, quiet: true })
    );
    assertStringIncludes((error as Error).message, "train split");
    assertStringIncludes((error as Error).message, "is empty");
  });
  await t.step("a missing test split (checked before training, read only at the end)", async () => {
    const data = await Deno.makeTempDir();
    const fixtures = new URL("../../data/fixtures/train/", import.meta.url);
    for (const split of ["train", "dev"]) {
      await Deno.copyFile(new URL(`${split}.jsonl`, fixtures), join(data, `${split}.jsonl`));
    }
    const error = await assertRejects(() =>
      trainProfile({ profile: "smoke", overrides: { data }, outputsDir, quiet: true })
    );
    assertStringIncludes((error as Error).message, "no test split");
  });
  // Nothing was started: no run folder exists (only the run's lock file, which is never deleted).
  assertEquals((await Array.fromAsync(Deno.readDir(outputsDir))).map((e) => e.name), ["smoke.lock"]);
});

Deno.test("findBestModel trains the smoke model when outputs/ has none, then reuses it", async () => {
  const outputsDir = await Deno.makeTempDir();
  const first = await findBestModel({ outputsDir });
  assertEquals([first.run, first.profile, first.isSmoke], ["smoke", "smoke", true]);
  assert((await Deno.stat(join(first.dir, "model.safetensors"))).isFile);
  const started = performance.now();
  assertEquals(await findBestModel({ outputsDir }), first);
  assert(performance.now() - started < 1000, "the second call must not train again");
});

Deno.test("findBestModel prefers a real run over smoke, and the better dev F1 among real runs", async () => {
  const outputsDir = await Deno.makeTempDir();
  const fake = async (run: string, profile: string, f1: number) => {
    await Deno.mkdir(join(outputsDir, run, "best"), { recursive: true });
    await Deno.writeTextFile(join(outputsDir, run, "best", "config.json"), "{}");
    const metrics = { profile, isSmoke: profile === "smoke", best: { dev: { f1 } } };
    await Deno.writeTextFile(join(outputsDir, run, "metrics.json"), JSON.stringify(metrics));
  };
  await fake("smoke", "smoke", 0.99);
  await fake("small-a", "cpu-small", 0.61);
  await fake("small-b", "cpu-small", 0.72);
  await Deno.mkdir(join(outputsDir, "unfinished", "best"), { recursive: true }); // no metrics: ignored
  const best = await findBestModel({ outputsDir, trainIfMissing: false });
  assertEquals([best.run, best.isSmoke, best.devF1], ["small-b", false, 0.72]);
  await assertRejects(() => findBestModel({ outputsDir: join(outputsDir, "none"), trainIfMissing: false }));
});

Deno.test("resuming with other profile values: an error with --resume, a fresh run with if-compatible", async () => {
  const outputsDir = await Deno.makeTempDir();
  await trainProfile({ profile: "smoke", overrides: { epochs: 1 }, outputsDir, quiet: true });
  const error = await assertRejects(() =>
    trainProfile({ profile: "smoke", overrides: { epochs: 2 }, outputsDir, quiet: true, resume: true })
  );
  assertStringIncludes((error as Error).message, "other profile values");
  const { metrics } = await trainProfile({
    profile: "smoke",
    overrides: { epochs: 2 },
    outputsDir,
    quiet: true,
    resume: "if-compatible",
  });
  assertEquals(metrics.steps, 20);
});

Deno.test("two findBestModel calls racing on an empty outputs/ train the smoke model once and agree", async () => {
  const outputsDir = await Deno.makeTempDir();
  const [a, b] = await Promise.all([findBestModel({ outputsDir }), findBestModel({ outputsDir })]);
  assertEquals(a, b);
  const log = await readTrainLog(join(outputsDir, "smoke", "train_log.jsonl"));
  assertEquals(log.filter((l) => l.kind === "epoch").length, 6, "one training, not two interleaved");
});

Deno.test("a run folder being trained by a live process is refused; a dead holder's lock is free", async () => {
  const outputsDir = await Deno.makeTempDir();
  const lockPath = join(outputsDir, "smoke.lock");
  // Held by a live process (a child holding the flock, as a trainer would).
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const f = await Deno.open(${JSON.stringify(lockPath)}, { read: true, write: true, create: true });
      await f.lock(true); await f.write(new TextEncoder().encode(Deno.pid + "\\n")); console.log("held");
      await new Promise((r) => setTimeout(r, 60_000));`,
    ],
    stdout: "piped",
  }).spawn();
  const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
  assertEquals((await reader.read()).value?.trim(), "held");
  const error = await assertRejects(() => trainProfile({ profile: "smoke", outputsDir, quiet: true }));
  assertStringIncludes((error as Error).message, `is being trained by process ${holder.pid}`);
  holder.kill("SIGKILL");
  await holder.status;
  await reader.cancel();
  // The kernel released the dead holder's lock; its pid is still in the file, which does not matter.
  const { metrics } = await trainProfile({
    profile: "smoke",
    overrides: { epochs: 1 },
    outputsDir,
    quiet: true,
  });
  assertEquals(metrics.steps, 10);
});
