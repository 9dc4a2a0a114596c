/** `deno task convert` end to end on the corpus fixtures, and its all-or-nothing behaviour on bad input. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import { PUBTATOR_FILES } from "../../lib/corpus/load.ts";
import { SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";

const FIXTURES = projectPath("data", "fixtures", "corpus");

async function convert(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", projectPath("lib", "cli", "convert.ts"), ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("convert writes the three JSONL splits and prints the JSON summary as the last line", async () => {
  const out = join(await Deno.makeTempDir(), "bio");
  try {
    const { code, stdout } = await convert(["--dir", FIXTURES, "--out", out]);
    assertEquals(code, 0);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assertEquals(Object.keys(summary), ["train", "dev", "test"]);
    assertEquals(summary.train.documents, 2);
    assertEquals(summary.train.lost, 0);
    assertEquals(summary.train.entities, summary.train.mentions);
    assertEquals(summary.train.iobAgreement, null); // the fixtures have no IOB reference
    for (const split of SPLITS) {
      assertEquals((await readSentencesJsonl(join(out, `${split}.jsonl`))).length, summary[split].sentences);
    }
  } finally {
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});

Deno.test("bad input: an error naming file:line, exit 1, and nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "pubtator"));
    for (const split of SPLITS) {
      await Deno.copyFile(
        join(FIXTURES, "pubtator", PUBTATOR_FILES[split]),
        join(dir, "pubtator", PUBTATOR_FILES[split]),
      );
    }
    const bad = join(dir, "pubtator", PUBTATOR_FILES.test);
    const lines = (await Deno.readTextFile(bad)).split("\n");
    lines[2] = lines[2].replace(/\t\d+\t/, "\t9999\t"); // the first mention line: start beyond the text
    await Deno.writeTextFile(bad, lines.join("\n"));

    const out = join(dir, "out");
    const { code, stdout, stderr } = await convert(["--dir", dir, "--out", out]);
    assertEquals([code, stdout], [1, ""]);
    assertStringIncludes(stderr, `${bad}:3: mention offsets [9999,`);
    assertEquals(await Deno.stat(out).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
