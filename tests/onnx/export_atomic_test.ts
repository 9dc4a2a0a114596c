/**
 * `deno task export-onnx` is atomic: a failed check (exit 1) or a crash mid-way leaves the previous `onnx/`
 * byte for byte, and runtime "auto" never uses what the failed export wrote.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { autoRuntime } from "../../lib/predict/runtime.ts";
import { EXPORT_CLI, fixtureModel, otherWeights, runCli } from "./fixture_model.ts";

/** Every file under `dir` (relative path → bytes), or an empty map when `dir` does not exist. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(at)) {
      if (entry.isDirectory) await walk(join(at, entry.name), `${prefix}${entry.name}/`);
      else files.set(`${prefix}${entry.name}`, (await Deno.readFile(join(at, entry.name))).join());
    }
  };
  await walk(dir, "").catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  return files;
}

/** The model folder's entries that are not the weights' own: no stray export folders left behind. */
async function leftovers(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) if (entry.name.startsWith("onnx.")) names.push(entry.name);
  return names;
}

Deno.test("a failed export check (exit 1) leaves no export where there was none", async () => {
  await using model = await fixtureModel({ exported: false });
  const failed = await runCli(EXPORT_CLI, ["--model", model.dir, "--tolerance", "1e-30"]);
  assertEquals(failed.code, 1, failed.stderr);
  assertStringIncludes(failed.stderr, "differ from tfjs's by");
  assertEquals((await snapshot(join(model.dir, "onnx"))).size, 0);
  assertEquals((await autoRuntime(model.dir, {})).runtime, "tfjs");
  assertEquals(await leftovers(model.dir), []);
});

Deno.test("a failed export check of new weights keeps the previous export byte for byte; auto refuses it for the new weights", async () => {
  await using model = await fixtureModel();
  const before = await snapshot(join(model.dir, "onnx"));
  await otherWeights(join(model.dir, "model.safetensors"));
  const failed = await runCli(EXPORT_CLI, ["--model", model.dir, "--tolerance", "1e-30"]);
  assertEquals(failed.code, 1, failed.stderr);
  assertEquals(await snapshot(join(model.dir, "onnx")), before);
  const chosen = await autoRuntime(model.dir, {});
  assertEquals(chosen.runtime, "tfjs", chosen.why);
  assertEquals(await leftovers(model.dir), []);
});

Deno.test("an export killed mid-way (written, not yet checked) keeps the previous export; the next export succeeds", async () => {
  await using model = await fixtureModel();
  const before = await snapshot(join(model.dir, "onnx"));
  await otherWeights(join(model.dir, "model.safetensors"));
  const killed = await runCli(EXPORT_CLI, ["--model", model.dir], { BC5CDR_KILL_AT: "onnx-export-check:1" });
  assertEquals(killed.code, 137, killed.stderr); // SIGKILL
  assertEquals(await snapshot(join(model.dir, "onnx")), before);
  assertEquals((await autoRuntime(model.dir, {})).runtime, "tfjs");
  const again = await runCli(EXPORT_CLI, ["--model", model.dir]);
  assertEquals(again.code, 0, again.stderr);
  assertEquals((await autoRuntime(model.dir, {})).runtime, "onnx");
  assertEquals(await leftovers(model.dir), []); // the killed export's temporary folder is gone
});
