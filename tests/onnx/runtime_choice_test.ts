/**
 * Runtime "auto" chooses by content: the export is used only with the weights (SHA-256) and labels it was made
 * from, whatever the files' times say; every runtime, forced or not, is said with its reason; a config whose
 * labels were edited after the export is one line, never a stack trace; exit codes are the same in every mode.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { weightsDigest } from "../../lib/model/formats/weights_digest.ts";
import { autoRuntime } from "../../lib/predict/runtime.ts";
import { fixtureModel, NER_CLI, otherWeights, runCli, SENTENCE } from "./fixture_model.ts";

/** `cp -p other dir/model.safetensors` of an older file: other bytes, with the times of the file they replace. */
async function copyPreservingTimes(from: string, to: string): Promise<void> {
  const { mtime, atime } = await Deno.stat(to);
  await Deno.copyFile(from, to);
  await Deno.utime(to, atime!, mtime!);
}

for (const withDigest of [true, false]) {
  Deno.test(`runtime auto: cp -p of other same-shaped weights ${withDigest ? "(digest in their metadata)" : "(no digest: hashed)"} → tfjs, and says why`, async () => {
    await using model = await fixtureModel();
    assertEquals((await autoRuntime(model.dir, {})).runtime, "onnx");
    const other = join(model.dir, "..", "other.safetensors");
    await otherWeights(other, { withDigest });
    const weights = join(model.dir, "model.safetensors");
    await copyPreservingTimes(other, weights);
    assertEquals((await weightsDigest(weights)).from, withDigest ? "metadata" : "hashed");
    const chosen = await autoRuntime(model.dir, {});
    assertEquals(chosen.runtime, "tfjs", chosen.why);
    assertStringIncludes(chosen.why, "was made from other weights");
    const cli = await runCli(NER_CLI, ["--model", model.dir, "--workers", "1", "--text", SENTENCE]);
    assertEquals(cli.code, 0, cli.stderr);
    assertStringIncludes(cli.stderr, "[ner] runtime tfjs: auto: ");
    // Asked for by name, an export of other weights is refused in one line, exit 1.
    const forced = await runCli(NER_CLI, ["--model", model.dir, "--workers", "1", "--text", SENTENCE], {
      NER_RUNTIME: "onnx",
    });
    assertEquals(forced.code, 1, forced.stderr);
    assertStringIncludes(forced.stderr, "runtime onnx (NER_RUNTIME=onnx): ");
    assertStringIncludes(forced.stderr, "was made from other weights");
  });
}

Deno.test("ner prints the runtime and why, forced runtimes too", async () => {
  await using model = await fixtureModel();
  for (
    const [runtime, expected] of [["tfjs", "runtime tfjs: NER_RUNTIME=tfjs"], [
      "onnx",
      "runtime onnx: NER_RUNTIME=onnx; ",
    ], ["onnx-q8", "runtime onnx-q8: NER_RUNTIME=onnx-q8; "]]
  ) {
    const cli = await runCli(NER_CLI, ["--model", model.dir, "--workers", "1", "--text", SENTENCE], {
      NER_RUNTIME: runtime,
    });
    assertEquals(cli.code, 0, cli.stderr);
    assertStringIncludes(cli.stderr, `[ner] ${expected}`);
  }
});

/** No JavaScript stack frame in the output. */
function assertNoStack(stderr: string): void {
  assert(!/^\s+at /m.test(stderr), `a stack trace:\n${stderr}`);
}

/** Sets label `id` of the model folder's config.json to `name`, as a user editing it would. */
async function editLabel(dir: string, id: string, name: string): Promise<void> {
  const configPath = join(dir, "config.json");
  const config = JSON.parse(await Deno.readTextFile(configPath));
  config.id2label[id] = name;
  await Deno.writeTextFile(configPath, JSON.stringify(config));
}

Deno.test("labels renamed after the export: auto falls back to tfjs and says why", async () => {
  await using model = await fixtureModel();
  // The export's logits would be named after labels it was not made with.
  await editLabel(model.dir, "1", "B-Drug");
  const renamed = await autoRuntime(model.dir, {});
  assertEquals(renamed.runtime, "tfjs");
  assertStringIncludes(renamed.why, "are not those the export was made with");
});

Deno.test("a label added after the export: one line (no stack trace), exit 1, with --text, a file and --workers 2", async () => {
  await using model = await fixtureModel();
  await editLabel(model.dir, "5", "B-Gene");
  const input = join(model.dir, "..", "input.txt");
  await Deno.writeTextFile(input, `${SENTENCE}\n${SENTENCE}\n${SENTENCE}\n`);
  for (
    const args of [["--workers", "1", "--text", SENTENCE], ["--workers", "1", input], [
      "--workers",
      "2",
      input,
    ]]
  ) {
    const cli = await runCli(NER_CLI, ["--model", model.dir, ...args]);
    assertNoStack(cli.stderr);
    assertEquals(cli.code, 1, `${args}: ${cli.stderr}`);
    assertStringIncludes(cli.stderr, "cannot load model");
    assertStringIncludes(cli.stderr, "(runtime tfjs: auto: ");
  }
});

Deno.test("exit codes: an export asked for but missing is exit 1 with --text, a file, and --workers 2", async () => {
  await using model = await fixtureModel({ exported: false });
  const input = join(model.dir, "..", "input.txt");
  await Deno.writeTextFile(input, `${SENTENCE}\n${SENTENCE}\n`);
  for (
    const args of [["--workers", "1", "--text", SENTENCE], ["--workers", "1", input], [
      "--workers",
      "2",
      input,
    ]]
  ) {
    const cli = await runCli(NER_CLI, ["--model", model.dir, ...args], { NER_RUNTIME: "onnx" });
    assertEquals(cli.code, 1, `${args}: ${cli.stderr}`);
    assertNoStack(cli.stderr);
    assertStringIncludes(cli.stderr, "export-onnx --model");
  }
});
