/**
 * `deno task reproduce` end to end with the smoke profile: notebooks 01 → 05 run in order and the last stdout
 * line says where the model, metrics and report are. Needs the corpus (notebooks 01/02 read it).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { projectPath } from "../../lib/util/paths.ts";

async function reproduce(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", projectPath("lib", "cli", "reproduce.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test({
  name: "reproduce --profile smoke runs notebooks 01→05 and reports where model, metrics and report are",
  ignore: !Deno.env.get("BC5CDR_DIR"),
  fn: async () => {
    const { code, stdout, stderr } = await reproduce(["--profile", "smoke", "--extracted"]);
    assertEquals(code, 0, stderr);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assertEquals(summary.profile, "smoke");
    assertEquals(summary.mode, "extracted");
    assertEquals(
      summary.notebooks.map((n: { name: string }) => n.name.slice(0, 2)),
      ["01", "02", "03", "04", "05"],
    );
    // 03 hands its run to 04 and 05 (NER_RUN): they evaluated the model just trained.
    assertEquals(summary.evaluatedModel, summary.model);
    for (const path of [summary.metrics, `${summary.model}/model.safetensors`]) {
      assert((await Deno.stat(path)).isFile, path);
    }
    assertStringIncludes(stderr, "trained model:");
  },
});

Deno.test("reproduce with an unknown profile fails with a clear message before running anything", async () => {
  const { code, stderr } = await reproduce(["--profile", "nope"]);
  assertEquals(code, 1);
  assertStringIncludes(stderr, `profile "nope" not found`);
  assert(!stderr.includes("01_load_data"), "no notebook ran");
});
