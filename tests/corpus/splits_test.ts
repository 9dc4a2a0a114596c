/**
 * The training data loader (lib/corpus/splits.ts): every corpus, BC5CDR included, is read from its own files
 * through the registry — never from an earlier conversion — and a folder of converted sentences lacking a
 * split says so with a typed error, which the label set counts as an empty split.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { convertDocuments } from "../../lib/bio/convert.ts";
import { writeSentencesJsonl } from "../../lib/bio/jsonl.ts";
import { MissingSplitError } from "../../lib/corpus/errors.ts";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { labelsOfData, loadSplit } from "../../lib/corpus/splits.ts";
import { projectPath } from "../../lib/util/paths.ts";

const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

Deno.test({
  name: "BC5CDR's splits are converted from its documents, as every corpus's are read from its files",
  ignore: !BC5CDR_DIR,
  async fn() {
    const read = await readBc5cdr({ splits: ["dev"] });
    const { sentences, source } = await loadSplit("bc5cdr", "dev");
    assertEquals(sentences, convertDocuments(read.splits.dev).sentences);
    assertEquals(source, `${read.location} (dev)`);
  },
});

Deno.test("a sentence folder without a split: MissingSplitError, an empty split for the labels", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const [sentence] = (await loadSplit(projectPath("data", "fixtures", "train"), "train")).sentences;
    await writeSentencesJsonl(join(dir, "train.jsonl"), [sentence]);
    const error = await assertRejects(() => loadSplit(dir, "dev"), MissingSplitError);
    assertEquals([error.split, error.path, error.message], [
      "dev",
      join(dir, "dev.jsonl"),
      `no dev split: ${join(dir, "dev.jsonl")} does not exist`,
    ]);
    assertEquals(await labelsOfData(dir), ["O", "B-Disease", "I-Disease"]);
    // Other errors are not taken for a missing split, however they are worded.
    await Deno.writeTextFile(join(dir, "dev.jsonl"), "no dev split: not JSON\n");
    await assertRejects(() => labelsOfData(dir), Error, `${join(dir, "dev.jsonl")}:1`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corpus folder without a dev file: an empty dev split, no error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "train.tsv"), "IL-2\tB-GENE\n");
    assertEquals((await loadSplit(dir, "dev")).sentences, []);
    assertEquals(await labelsOfData(dir), ["O", "B-GENE", "I-GENE"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
