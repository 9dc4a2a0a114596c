/**
 * `deno task convert` end to end on the corpus fixtures and on a folder of CoNLL files (`--corpus PATH`), and
 * its all-or-nothing behaviour on bad input.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import { PUBTATOR_FILES } from "../../lib/corpus/readers/bc5cdr.ts";
import { SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { MAX_LINE_CHARS } from "../../lib/util/lines.ts";

const FIXTURES = projectPath("data", "fixtures", "corpus");

async function convert(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", projectPath("lib", "cli", "convert.ts"), ...args],
    env: { NO_COLOR: "1", ...env },
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
    assertEquals(Object.keys(summary), ["corpus", "labels", "train", "dev", "test"]);
    assertEquals([summary.corpus, summary.labels], ["bc5cdr", [
      "O",
      "B-Chemical",
      "I-Chemical",
      "B-Disease",
      "I-Disease",
    ]]);
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

Deno.test("NER_CORPUS=PATH: a folder of CoNLL files, its tokens kept, the report naming corpus, labels and repairs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const corpus = join(dir, "mine");
    await Deno.mkdir(corpus);
    await Deno.writeTextFile(
      join(corpus, "train.tsv"),
      "IL-2\tB-GENE\n(\tO\np53\tI-GENE\n\nyeast\tB-Species\n",
    );
    await Deno.writeTextFile(join(corpus, "dev.tsv"), "x\tO\n");
    await Deno.writeTextFile(join(corpus, "test.tsv"), "TNF\tB-GENE\n");
    const out = join(dir, "bio");
    // The corpus from NER_CORPUS, as notebooks and reproduce pass it.
    const { code, stdout, stderr } = await convert(["--out", out], { NER_CORPUS: corpus });
    assertEquals(code, 0, stderr);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assertEquals([summary.corpus, summary.labels], [corpus, [
      "O",
      "B-GENE",
      "I-GENE",
      "B-Species",
      "I-Species",
    ]]);
    assertEquals([summary.train.sentences, summary.train.lost, summary.train.entities], [2, 0, {
      GENE: 2,
      Species: 1,
    }]);
    assertStringIncludes(stderr, `train: repaired ${join(corpus, "train.tsv")}:3: I-GENE → B-GENE`);
    const train = await readSentencesJsonl(join(out, "train.jsonl"));
    assertEquals(train.map((s) => s.words.map((w) => w.text)), [["IL-2", "(", "p53"], ["yeast"]]);
    assertEquals(train[0].tags, ["B-GENE", "O", "B-GENE"]);
    const report = JSON.parse(await Deno.readTextFile(join(out, "report.json")));
    assertEquals([report.corpus, report.labels, report.source], [corpus, summary.labels, "tokens"]);
    assertEquals(
      [report.splits.train.scheme, report.splits.train.repairs, report.splits.train.changedTokens],
      ["IOB2", 1, 0],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--corpus PATH with a malformed line: file:line, exit 1, the old output kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "train.tsv"), "a\tO\nb\n");
    const out = join(dir, "out");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "train.jsonl"), "old\n");
    const { code, stdout, stderr } = await convert(["--corpus", dir, "--out", out]);
    assertEquals([code, stdout], [1, ""]);
    assertStringIncludes(stderr, `${join(dir, "train.tsv")}:2: expected a token and its tag`);
    assertEquals(await Deno.readTextFile(join(out, "train.jsonl")), "old\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a sentence whose JSONL line would pass the readers' line limit: refused, the old output kept", async () => {
  // One token of 34 M quotes is within the CoNLL line limit, but each quote is escaped in JSON: the old
  // convert wrote a 68 MB train.jsonl line that every reader of it (lib/util/lines.ts) then refused.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "train.tsv"), `a\tO\n\n${'"'.repeat(34_000_000)}\tB-X\n`);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "train.jsonl"), "old\n");
    const { code, stdout, stderr } = await convert(["--corpus", dir, "--out", out]);
    assertEquals([code, stdout], [1, ""]);
    assertEquals(
      stderr.trim().split("\n").at(-1),
      `convert: train: sentence 1 of document "train-2" (1 words) would be a JSONL line of 68000116 ` +
        `characters, over the line limit of ${MAX_LINE_CHARS} (docs/reliability.md); refused`,
    );
    assertEquals(await Deno.readTextFile(join(out, "train.jsonl")), "old\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
