/**
 * The ONNX export checked by two real clients: ONNX Runtime (onnxruntime-node) gives the tfjs model's logits
 * within 1e-4, and transformers.js' `pipeline("token-classification", dir)` (local files only) loads the
 * folder and labels every token as our pipeline does. The tiny fixture model has random weights: its labels
 * are arbitrary, which is fine — they must be the same arbitrary labels everywhere.
 */
import { assert, assertEquals, assertLess, assertRejects, assertThrows } from "@std/assert";
import { basename, dirname, join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { compareRuntimes } from "../../lib/onnx/compare.ts";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import { autoRuntime, defaultRuntime } from "../../lib/predict/runtime.ts";
import {
  EXPORT_CLI,
  FIXTURE,
  fixtureModel as exportedModel,
  NER_CLI as CLI,
  SENTENCE,
} from "./fixture_model.ts";

await initBackend();

Deno.test("ONNX Runtime's logits equal the tfjs model's within 1e-4 on a padded batch; the folder has transformers.js' layout", async () => {
  await using model = await exportedModel();
  for (
    const name of ["onnx/model.onnx", "onnx/model_quantized.onnx", "tokenizer.json", "tokenizer_config.json"]
  ) {
    assert((await Deno.stat(join(model.dir, name))).size > 0, name);
  }
  const { float32 } = await compareRuntimes(model.dir, [...EXAMPLE_SENTENCES]);
  assert(float32.tokens > 300, `${float32.tokens} tokens compared`);
  assertLess(float32.maxAbsDifference, 1e-4);
});

Deno.test("transformers.js' token-classification pipeline runs the export and labels every token as we do", async () => {
  await using model = await exportedModel();
  const { env, pipeline } = await import("@huggingface/transformers");
  env.allowRemoteModels = false; // local files only: the hub is never asked
  env.localModelPath = dirname(model.dir);
  const classify = await pipeline("token-classification", basename(model.dir), { dtype: "fp32" });
  const theirs = await classify(SENTENCE) as { entity: string; score: number; word: string }[];

  const ours = await createNerPipeline({ model: model.dir, runtime: "tfjs", aggregation: "none" });
  try {
    const entities = await ours(SENTENCE);
    assert(entities.length > 0, "the random model labels some tokens");
    assertEquals(theirs.map((t) => t.entity), entities.map((e) => e.tag));
    theirs.forEach((t, i) => assertLess(Math.abs(t.score - entities[i].score), 1e-4));
    assertEquals(theirs.map((t) => t.word.replace(/^##/, "")), entities.map((e) => e.text));
  } finally {
    ours.dispose();
  }
});

Deno.test("runtime onnx: the pipeline (and `NER_RUNTIME=onnx deno task ner`) finds the tfjs pipeline's entities", async () => {
  await using model = await exportedModel();
  const onnx = await createNerPipeline({ model: model.dir, runtime: "onnx" });
  const tfjs = await createNerPipeline({ model: model.dir, runtime: "tfjs" });
  try {
    for (const text of EXAMPLE_SENTENCES) {
      const [a, b] = [await onnx(text), await tfjs(text)];
      assertEquals(a.map((e) => [e.start, e.end, e.type]), b.map((e) => [e.start, e.end, e.type]));
      a.forEach((e, i) => assertLess(Math.abs(e.score - b[i].score), 1e-4));
    }
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "--model", model.dir, "--workers", "1", "--text", SENTENCE],
      env: { NER_RUNTIME: "onnx" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const printed = new TextDecoder().decode(cli.stdout);
    assertEquals(cli.code, 0, new TextDecoder().decode(cli.stderr));
    const spans = (JSON.parse(printed).entities as { start: number; end: number }[]).map((
      e,
    ) => [e.start, e.end]);
    assertEquals(spans, (await tfjs(SENTENCE)).map((e) => [e.start, e.end]));
  } finally {
    onnx.dispose();
    tfjs.dispose();
  }
});

Deno.test("NER_RUNTIME is checked; a folder without an export says how to make one", async () => {
  assertEquals(defaultRuntime({}), "auto");
  assertEquals(defaultRuntime({ NER_RUNTIME: "onnx" }), "onnx");
  assertEquals(defaultRuntime({ NER_RUNTIME: "onnx-q8" }), "onnx-q8");
  assertThrows(
    () => defaultRuntime({ NER_RUNTIME: "torch" }),
    Error,
    "NER_RUNTIME must be one of tfjs, onnx, onnx-q8, auto",
  );
  await assertRejects(
    () => createNerPipeline({ model: FIXTURE, runtime: "onnx" }),
    Error,
    "`deno task export-onnx --model",
  );
});

Deno.test("runtime auto: ONNX Runtime on the export of the folder's weights, tfjs without one or under NER_BACKEND", async () => {
  await using model = await exportedModel();
  const chosen = async (env: Record<string, string> = {}) => (await autoRuntime(model.dir, env)).runtime;
  assertEquals(await chosen(), "onnx");
  assertEquals(await chosen({ NER_BACKEND: "native" }), "tfjs");
  // `deno task ner` with no NER_RUNTIME scores on the export, and says why.
  const cli = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "--model", model.dir, "--workers", "1", "--text", SENTENCE],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(cli.stderr);
  assertEquals(cli.code, 0, stderr);
  assert(
    stderr.includes(`[ner] runtime onnx: auto: ${join(model.dir, "onnx/model.onnx")} was made from`),
    stderr,
  );
  await Deno.remove(join(model.dir, "onnx"), { recursive: true });
  assertEquals(await chosen(), "tfjs");
  const pipeline = await createNerPipeline({ model: model.dir });
  try {
    assert(pipeline.backend !== "onnx", `backend ${pipeline.backend}`); // a tfjs backend (which depends on the run)
    assertEquals(pipeline.runtime, "tfjs");
    assert(pipeline.runtimeReason?.includes("export-onnx --model"), pipeline.runtimeReason);
  } finally {
    pipeline.dispose();
  }
});

Deno.test("deno task export-onnx: writes the export, checks it, prints the summary JSON", async () => {
  await using model = await exportedModel();
  await Deno.remove(join(model.dir, "onnx"), { recursive: true });
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EXPORT_CLI, "--model", model.dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const summary = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  assertEquals(summary.bytes, (await Deno.stat(join(model.dir, "onnx/model.onnx"))).size);
  assertEquals(summary.quantizedBytes, (await Deno.stat(join(model.dir, "onnx/model_quantized.onnx"))).size);
  assertLess(summary.maxAbsDifference, 1e-4);
  assert(summary.quantizedLabelAgreement >= 0.95, `int8 labels agree on ${summary.quantizedLabelAgreement}`);
});
