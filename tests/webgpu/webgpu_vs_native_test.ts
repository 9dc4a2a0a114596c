/**
 * The WebGPU backend, forced onto whatever adapter this machine has (lavapipe in CI: Vulkan on the CPU, the
 * same WGSL kernels a GPU runs), against the native backend on the same inputs. Each side is its own process
 * (tests/webgpu/backend_run.ts): one backend per process. Skipped only where no WebGPU adapter exists.
 *
 * Tolerances. Both sides compute in float32; they differ only in summation order (tiled WGSL matmuls and
 * reductions vs Eigen) and in exp/erf approximations, i.e. a few float32 ulps (ε = 1.2e-7) per op, growing with
 * depth. Measured on lavapipe: fixture logits 1.2e-6 apart (|logit| ≤ 2.6), gradients 1.8e-7 (|g| ≤ 0.65), the
 * first 8 training losses ≤ 1.0e-7 relative, reloaded logits 1.8e-7. The bounds below are ~8× those: far
 * below what a wrong kernel, a stale buffer or a lost update gives (≥ 1e-3: the addN bug gave a gradient norm
 * of 0 instead of 0.8).
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { probeWebgpuAdapter } from "../../lib/backend/webgpu.ts";
import { type BackendRun, PIPELINE_TEXTS, TRAIN_STEPS } from "./backend_run.ts";

const LOGITS_TOLERANCE = 1e-5;
const GRADIENT_TOLERANCE = 2e-6;
const LOSS_RELATIVE_TOLERANCE = 1e-6;
const SCORE_TOLERANCE = 1e-5;
/**
 * The word-level model's losses sum log-sum-exps over a sentence and run an LSTM over it: more float32 ops per
 * loss than the smoke BERT's, so a looser bound (still ≥ 100× below what a wrong gradient gives).
 */
const WORD_CRF_LOSS_RELATIVE_TOLERANCE = 1e-5;
/** Training steps traced for memory growth (the 200-step measurement is in docs/gpu.md). */
const MEMORY_STEPS = 20;

const SIDE_SCRIPT = fileURLToPath(new URL("./backend_run.ts", import.meta.url));

const probe = await probeWebgpuAdapter();
const noAdapter = "why" in probe ? probe.why : undefined;
if (noAdapter) console.error(`tests/webgpu: WebGPU tests skipped: ${noAdapter}`);

/** Runs backend_run.ts with `NER_BACKEND=backend`; its failure (e.g. a synchronous read) fails the test. */
async function runSide(backend: "webgpu" | "native", args: string[]): Promise<BackendRun> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SIDE_SCRIPT, ...args],
    env: { NER_BACKEND: backend },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr).trim();
  if (!output.success) {
    throw new Error(`${backend} side failed (exit ${output.code}):\n${stderr.slice(-2000)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
}

let sides: Promise<{ webgpu: BackendRun; native: BackendRun }> | undefined;

/** Both sides, computed once: WebGPU first, then native reloading the model WebGPU trained and saved. */
function bothSides(): Promise<{ webgpu: BackendRun; native: BackendRun }> {
  sides ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "webgpu-vs-native-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const memory = ["--memory-steps", String(MEMORY_STEPS)];
    const webgpu = await runSide("webgpu", ["--outputs", dir, ...memory]);
    const native = await runSide("native", [
      "--outputs",
      dir,
      "--model",
      webgpu.training.modelDir,
      ...memory,
    ]);
    return { webgpu, native };
  })();
  return sides;
}

function maxAbsDifference(a: number[], b: number[]): number {
  assertEquals(a.length, b.length, "different sizes");
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i])), 0);
}

const webgpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name: `webgpu vs native: ${name}`, ignore: noAdapter !== undefined, fn });

webgpuTest("the sides ran on the backends they were forced to", async () => {
  const { webgpu, native } = await bothSides();
  assertEquals([webgpu.backend, native.backend], ["webgpu", "native"]);
  console.error(`webgpu adapter: ${webgpu.detail}`);
});

webgpuTest("fixture model: logits, loss and every gradient agree", async () => {
  const { webgpu, native } = await bothSides();
  const logits = maxAbsDifference(webgpu.fixture.logits, native.fixture.logits);
  assert(logits < LOGITS_TOLERANCE, `logits differ by ${logits}`);
  assert(Math.abs(webgpu.fixture.loss - native.fixture.loss) < LOGITS_TOLERANCE, "losses differ");
  const names = Object.keys(native.fixture.gradients);
  assertEquals(Object.keys(webgpu.fixture.gradients), names);
  for (const name of names) {
    const difference = maxAbsDifference(webgpu.fixture.gradients[name], native.fixture.gradients[name]);
    assert(difference < GRADIENT_TOLERANCE, `gradient of ${name} differs by ${difference}`);
  }
});

/** Both sides' per-step losses within `tolerance` (relative), and changing: an update that never lands keeps them flat. */
function assertLossesAgree(webgpu: number[], native: number[], tolerance: number): void {
  assertEquals(webgpu.length, TRAIN_STEPS);
  assertEquals(native.length, TRAIN_STEPS);
  webgpu.forEach((loss, step) => {
    const expected = native[step];
    assert(
      Math.abs(loss - expected) <= tolerance * Math.abs(expected),
      `step ${step + 1}: loss ${loss} on webgpu, ${expected} on native`,
    );
  });
  assert(new Set(webgpu).size > 1, "losses did not change");
}

webgpuTest(`seeded smoke training: the losses of the first ${TRAIN_STEPS} steps agree`, async () => {
  const { webgpu, native } = await bothSides();
  assertLossesAgree(webgpu.training.losses, native.training.losses, LOSS_RELATIVE_TOLERANCE);
});

webgpuTest(
  `word-level BiLSTM-CRF: ${TRAIN_STEPS} seeded training steps and Viterbi test scores agree`,
  async () => {
    const { webgpu, native } = await bothSides();
    assertLossesAgree(webgpu.wordCrf.losses, native.wordCrf.losses, WORD_CRF_LOSS_RELATIVE_TOLERANCE);
    assertEquals(webgpu.wordCrf.test.f1.toFixed(4), native.wordCrf.test.f1.toFixed(4));
  },
);

webgpuTest("a model trained and saved on WebGPU gives the same logits reloaded on native", async () => {
  const { webgpu, native } = await bothSides();
  assert(await Deno.stat(join(webgpu.training.modelDir, "model.safetensors")).then(() => true));
  const difference = maxAbsDifference(webgpu.reloaded.logits, native.reloaded.logits);
  assert(difference < LOGITS_TOLERANCE, `logits differ by ${difference}`);
});

webgpuTest("createNerPipeline finds the same entities with the same scores", async () => {
  const { webgpu, native } = await bothSides();
  assertEquals(webgpu.entities.length, PIPELINE_TEXTS.length);
  assert(native.entities.every((found) => found.length > 0), "the fixture model should find entities");
  native.entities.forEach((expected, text) => {
    const actual = webgpu.entities[text];
    assertEquals(actual.map(({ score: _, ...span }) => span), expected.map(({ score: _, ...span }) => span));
    const scores = maxAbsDifference(actual.map((e) => e.score), expected.map((e) => e.score));
    assert(scores < SCORE_TOLERANCE, `text ${text}: scores differ by ${scores}`);
  });
});

webgpuTest("evaluation (tagging + strict seqeval) of the fixture model gives the same scores", async () => {
  const { webgpu, native } = await bothSides();
  assert(native.evaluation.perType.Chemical.support > 0, "the fixture dev split has Chemical mentions");
  assertEquals(webgpu.evaluation, native.evaluation);
});

webgpuTest(`no tensor or device memory growth over ${MEMORY_STEPS} training steps`, async () => {
  const { webgpu } = await bothSides();
  const trace = webgpu.memory!;
  assertEquals(trace.length, MEMORY_STEPS);
  // Step 1 creates the optimizer moments and step 2 fills the buffer pool; from then on nothing may grow.
  const settled = trace[2];
  assert(settled.device !== undefined, "the webgpu backend reports its device memory");
  for (const at of trace.slice(3)) {
    assertEquals(at.numTensors, settled.numTensors, `tensors at step ${at.step}`);
    assertEquals(at.device, settled.device, `device bytes (in use, pooled) at step ${at.step}`);
  }
});
