/**
 * Notebooks 01 and 02 on a corpus other than BC5CDR: `NER_CORPUS` names a folder of CoNLL files
 * (data/fixtures/conll_corpus: four types, one `I-` tag after `O` that is repaired). Run extracted, they
 * must show that corpus — its name, its types, its sizes, the repair with its file:line, its label set — and
 * 02 must write the conversion to `outputs/bio-conll_corpus/`, not over BC5CDR's `outputs/bio/`.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import { runNotebookExtracted } from "../../lib/notebook/run.ts";
import { projectPath } from "../../lib/util/paths.ts";

const CORPUS = projectPath("data", "fixtures", "conll_corpus");
const OUT = projectPath("outputs", "bio-conll_corpus");
// No Chromium for the PNGs: the text fallbacks are what this test reads, and it runs in seconds.
const env = { NER_CORPUS: CORPUS, CHROMIUM_PATH: "/nonexistent/chromium" };

/** The lines of a text-fallback table that start with `first` (its cells split on runs of spaces). */
function rowsStarting(output: string, first: string): string[][] {
  return output.split("\n").filter((line) => line.startsWith(`${first} `)).map((line) =>
    line.trim().split(/ {2,}/)
  );
}

Deno.test("notebook 01 on NER_CORPUS=<CoNLL folder>: that corpus's origin, sizes, types and examples", async () => {
  const { output } = await runNotebookExtracted(projectPath("notebooks", "01_load_data.ipynb"), { env });
  assertStringIncludes(output, `${CORPUS}  conll_corpus (your corpus)  word-tokenised, IOB2 tags  ${CORPUS}`);
  assertEquals(output.includes("BC5CDR") || output.includes("PMID"), false);
  // Split sizes: documents (= sentences, no -DOCSTART-), sentences, tokens, then a column per type.
  assertEquals(rowsStarting(output, "split")[0], [
    "split",
    "documents",
    "sentences",
    "tokens",
    "Chemical",
    "Disease",
    "Protein",
    "Species",
  ]);
  assertEquals(rowsStarting(output, "train")[0], ["train", "3", "3", "18", "1", "1", "2", "1"]);
  assertEquals(rowsStarting(output, "test")[0], ["test", "1", "1", "6", "1", "1", "0", "1"]);
  // One vocabulary row per type, and a figure per frequent type.
  for (const type of ["Chemical", "Disease", "Protein", "Species"]) {
    assertEquals(rowsStarting(output, type).length, 1, type);
  }
  assertStringIncludes(output, `[figure]\n  bar "Protein": 2 points`);
  // The examples: every type shown, the repaired p53 marked as a Protein.
  assertStringIncludes(output, "train-2 (train; types: Chemical, Protein, Disease)");
  assertStringIncludes(output, "[p53/Protein]");
});

Deno.test("notebook 02 on NER_CORPUS=<CoNLL folder>: its checks, the repair at file:line, written to outputs/bio-<name>", async () => {
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  try {
    const { output } = await runNotebookExtracted(projectPath("notebooks", "02_bio_conversion.ipynb"), {
      env,
    });
    const [checks, repairs] = rowsStarting(output, "split");
    assertEquals(checks.slice(0, 5), ["split", "scheme", "documents", "sentences", "tokens"]);
    assertEquals(checks.slice(-4), ["repairs", "lost", "spurious", "changedTokens"]);
    assertEquals(repairs, ["split", "where", "as written", "read as"]);
    const train = rowsStarting(output, "train");
    assertEquals(train[0].slice(0, 5), ["train", "IOB2", "3", "3", "18"]);
    assertEquals(train[0].slice(-4), ["1", "0", "0", "0"]); // 1 repair, nothing lost, no spurious, no changed token
    assertEquals(train[1], ["train", `${join(CORPUS, "train.tsv")}:10`, "I-Protein", "B-Protein"]);
    assertStringIncludes(
      output,
      "9  O B-Chemical I-Chemical B-Disease I-Disease B-Protein I-Protein B-Species I-Species",
    );
    const written = await readSentencesJsonl(join(OUT, "train.jsonl"));
    assertEquals(written.map((s) => s.words.length), [6, 8, 4]);
    assertEquals(written[1].tags[2], "B-Protein");
    const report = JSON.parse(await Deno.readTextFile(join(OUT, "report.json")));
    assertEquals([report.corpus, report.splits.train.repairs], [CORPUS, 1]);
    assertEquals(rowsStarting(output, "test").at(-1), ["test", join(OUT, "test.jsonl"), "1"]);
  } finally {
    await Deno.remove(OUT, { recursive: true }).catch(() => {});
  }
});
