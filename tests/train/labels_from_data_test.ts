/**
 * Label sets from the data: the shipped profiles list none, so a run's labels are its corpus's — for BC5CDR
 * the same five, in the same order, as the profiles used to list (so its models and results are unchanged);
 * a profile that lists labels keeps them.
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { labelsOfData, loadSplit, withLabels } from "../../lib/train/load_split.ts";
import { loadProfile, PROFILE_NAMES } from "../../lib/train/profile.ts";

const BC5CDR_LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

Deno.test("the shipped profiles list no labels and say which corpus tuned them", async () => {
  for (const name of PROFILE_NAMES) {
    const profile = await loadProfile(name);
    assertEquals(profile.labels, undefined, name);
    if (profile.data === "bc5cdr") assertEquals(profile.tunedOn, "bc5cdr", name);
  }
});

Deno.test({
  name: "BC5CDR's labels from its data are the five labels the profiles listed before",
  ignore: !Deno.env.get("BC5CDR_DIR"),
  async fn() {
    assertEquals(await labelsOfData("bc5cdr"), BC5CDR_LABELS);
    const profile = await withLabels(await loadProfile("bilstm-crf"));
    assertEquals(profile.labels, BC5CDR_LABELS);
  },
});

Deno.test("a profile's own labels are kept; a converted folder's labels come from its three splits", async () => {
  const outputsDir = await Deno.makeTempDir();
  const data = join(outputsDir, "three-types");
  try {
    await Deno.mkdir(data);
    const sentence = (tags: string[]) =>
      JSON.stringify({
        docId: "d",
        index: 0,
        start: 0,
        end: 1,
        words: tags.map((_, i) => ({ text: "w", start: i, end: i + 1 })),
        tags,
      }) + "\n";
    await Deno.writeTextFile(join(data, "train.jsonl"), sentence(["B-Gene", "O"]));
    await Deno.writeTextFile(join(data, "dev.jsonl"), sentence(["B-Cell", "I-Cell"]));
    await Deno.writeTextFile(join(data, "test.jsonl"), sentence(["O", "B-Amino_acid"]));
    assertEquals(await labelsOfData(data), [
      "O",
      "B-Amino_acid",
      "I-Amino_acid",
      "B-Cell",
      "I-Cell",
      "B-Gene",
      "I-Gene",
    ]);
    const fixed = await withLabels(await loadProfile("smoke", { data, labels: BC5CDR_LABELS }));
    assertEquals(fixed.labels, BC5CDR_LABELS);
    assertEquals((await loadSplit(data, "dev")).sentences[0].tags, ["B-Cell", "I-Cell"]);
  } finally {
    await Deno.remove(outputsDir, { recursive: true });
  }
});
