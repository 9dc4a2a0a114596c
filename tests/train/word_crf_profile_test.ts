/**
 * The word-level profile end to end, as a user runs it: `bilstm-crf-smoke` trains (dev selection, test once),
 * its folder tags text through `deno task ner` and `deno task serve`, a run trained on train+dev keeps its last
 * epoch without evaluating dev (or, averaging, the mean of its last epochs' models), and a run killed at any
 * kill point resumes to the uninterrupted result — loading its checkpoint's model, never building a new one
 * first; an averaging run killed at any of its folder swaps too.
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { readTrainLog, type RunMetrics, trainProfile } from "../../lib/train/mod.ts";
import { KILL_AT_ENV } from "../../lib/util/kill_point.ts";
import { readSafetensors } from "../../lib/model/formats/safetensors.ts";
import { spawnServe } from "../web/helpers.ts";
import { deterministic, finishTraining, metricsOf, nerOnText, spawnSmokeTraining } from "./train_cli.ts";

const PROFILE = "bilstm-crf-smoke";
const outputs = await Deno.makeTempDir();
const { metrics, layout } = await trainProfile({ profile: PROFILE, outputsDir: outputs, quiet: true });

Deno.test("bilstm-crf-smoke trains: the loss falls, dev F1 rises, test is scored by the saved model", async () => {
  const log = await readTrainLog(layout.log);
  const steps = log.filter((l) => l.kind === "step");
  const epochs = log.filter((l) => l.kind === "epoch");
  assertGreater(steps[0].loss, steps.at(-1)!.loss * 2);
  assertGreater(metrics.best.dev!.f1, epochs[0].dev!.f1 + 0.3);
  assertEquals(metrics.trainOn, "train");
  assertEquals(Object.keys(metrics.test.perType).sort(), ["Chemical", "Disease"]);
  const config = JSON.parse(await Deno.readTextFile(join(layout.best, "config.json")));
  assertEquals(config.model_type, "word-crf");
  const saved: RunMetrics = JSON.parse(await Deno.readTextFile(layout.metrics));
  assertEquals(saved.test, metrics.test);
});

Deno.test("deno task ner tags with the word-level folder and says which runtime and why", async () => {
  const { code, stderr, line } = await nerOnText(layout.best, "Cisplatin induced nephrotoxicity in rats.");
  assertEquals(code, 0, stderr);
  // No export yet: tfjs, and the command that would let ONNX Runtime run it.
  assertStringIncludes(stderr, "runtime tfjs: auto: no ");
  assertStringIncludes(stderr, "deno task export-onnx --model");
  const { text, entities } = JSON.parse(line);
  assertEquals(text, "Cisplatin induced nephrotoxicity in rats.");
  for (const entity of entities) assertEquals(text.slice(entity.start, entity.end), entity.text);
});

Deno.test("deno task serve answers /api/ner with the word-level folder", async () => {
  const { child, url, stderr } = await spawnServe(["--model", layout.best]);
  try {
    const response = await fetch(`${url}/api/ner`, {
      method: "POST",
      body: JSON.stringify({ text: "Naloxone reverses clonidine-induced hypotension." }),
    });
    assertEquals(response.status, 200);
    const { entities } = await response.json();
    assert(Array.isArray(entities));
  } finally {
    child.kill("SIGTERM");
  }
  assertEquals((await child.status).code, 0, await stderr);
});

Deno.test("trainOn train+dev: no dev evaluation, the last epoch is kept and tested", async () => {
  const result = await trainProfile({
    profile: PROFILE,
    overrides: { trainOn: "train+dev", epochs: 2 },
    outputsDir: outputs,
    run: "final",
    quiet: true,
  });
  assertEquals(result.metrics.best, { ...result.metrics.best, epoch: 2, dev: null });
  assertEquals(result.metrics.trainOn, "train+dev");
  const epochs = (await readTrainLog(result.layout.log)).filter((l) => l.kind === "epoch");
  assertEquals(epochs.map((e) => e.dev), [null, null]);
  assertGreater(result.metrics.test.f1, -1);
});

Deno.test("averageLastEpochs: best/ is the mean of the last epochs' models, each kept in epochs/<n>/", async () => {
  const result = await trainProfile({
    profile: PROFILE,
    overrides: { trainOn: "train+dev", epochs: 3, averageLastEpochs: 2 },
    outputsDir: outputs,
    run: "averaged",
    quiet: true,
  });
  assertEquals(result.metrics.averagedEpochs, [2, 3]);
  const { epochs, best } = result.layout;
  assertEquals((await Array.fromAsync(Deno.readDir(epochs))).map((e) => e.name).sort(), ["2", "3"]);
  const [second, third, mean] = await Promise.all(
    [join(epochs, "2"), join(epochs, "3"), best].map((dir) =>
      readSafetensors(join(dir, "model.safetensors"))
    ),
  );
  let changed = 0;
  for (const [name, tensor] of mean) {
    const expected = Float32Array.from(
      tensor.data,
      (_, i) => (second.get(name)!.data[i] + third.get(name)!.data[i]) / 2,
    );
    assertEquals(tensor.data, expected, name);
    if (tensor.data.some((v, i) => v !== third.get(name)!.data[i])) changed++;
  }
  assertGreater(changed, 0);
});

Deno.test("killed at kill points and resumed, the run ends exactly as an uninterrupted one", async () => {
  const overrides = ["epochs=3", "logEverySteps=1", "checkpointEverySteps=4"];
  const train = (run: string, env: Record<string, string> = {}) =>
    finishTraining(
      spawnSmokeTraining({ profile: PROFILE, outputs, run, resume: true, overrides, env, quiet: false }),
    );
  const reference = await train("uninterrupted");
  assertEquals(reference.code, 0, reference.stderr);
  const expectedLog = deterministic(await readTrainLog(join(outputs, "uninterrupted", "train_log.jsonl")));
  for (const point of ["train-step:7", "checkpoint-fill:2", "evaluate:2", "atomic-dir-swap:3"]) {
    const run = `killed-${point.replace(":", "-")}`;
    const killed = await train(run, { [KILL_AT_ENV]: point });
    assertEquals(killed.signal, "SIGKILL", `${point} was not reached`);
    const resumed = await train(run);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertStringIncludes(resumed.stderr, "resumed from");
    // The model comes from the checkpoint: no vocabulary is built, no model initialised, before loading it.
    assert(!resumed.stderr.includes("word-level model:"), `${point}: a new model was built before resuming`);
    assertEquals(metricsOf(resumed), metricsOf(reference), point);
    assertEquals(
      deterministic(await readTrainLog(join(outputs, run, "train_log.jsonl"))),
      expectedLog,
      point,
    );
  }
});

Deno.test("averaging: killed at every folder swap and resumed, the run keeps the same mean model", async () => {
  // No mid-epoch checkpoints: each epoch's folder writes are what averaging adds.
  const overrides = ["epochs=3", "trainOn=train+dev", "averageLastEpochs=2", "checkpointEverySteps=null"];
  const train = (run: string, env: Record<string, string> = {}) =>
    finishTraining(
      spawnSmokeTraining({ profile: PROFILE, outputs, run, resume: true, overrides, env, quiet: true }),
    );
  const weights = (run: string) => Deno.readFile(join(outputs, run, "best", "model.safetensors"));
  const reference = await train("averaged-uninterrupted");
  assertEquals(reference.code, 0, reference.stderr);
  const expected = await weights("averaged-uninterrupted");
  // Every folder write (best/, epochs/<n>/, checkpoint/, the mean) swaps once: kill at each in turn.
  let swaps = 0;
  for (let n = 1;; n++) {
    const run = `averaged-killed-${n}`;
    const killed = await train(run, { [KILL_AT_ENV]: `atomic-dir-swap:${n}` });
    if (killed.code === 0) break; // fewer than n swaps: every one was killed at
    assertEquals(killed.signal, "SIGKILL", killed.stderr);
    const resumed = await train(run);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertEquals(metricsOf(resumed), metricsOf(reference), `swap ${n}`);
    assertEquals(await weights(run), expected, `swap ${n}`);
    swaps = n;
  }
  assertGreater(swaps, 6);
});
