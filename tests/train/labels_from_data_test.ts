/**
 * Label sets from the data: the shipped profiles list none, so a run's labels are its corpus's — for BC5CDR
 * the same five, in the same order, as the profiles used to list (so its models and results are unchanged);
 * a profile that lists labels keeps them. A label set training cannot use is refused before anything is written.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { labelsOfData, loadSplit, withLabels } from "../../lib/train/load_split.ts";
import { loadProfile, PROFILE_NAMES } from "../../lib/train/profile.ts";
import { trainProfile } from "../../lib/train/trainer.ts";

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

Deno.test("a corpus of only O, or of too many types, is refused before training, with nothing written", async () => {
  const outputsDir = await Deno.makeTempDir();
  try {
    const write = async (name: string, tagsOf: (i: number) => string[]) => {
      const data = join(outputsDir, name);
      await Deno.mkdir(data);
      for (const split of ["train", "dev", "test"]) {
        const lines = Array.from({ length: 80 }, (_, i) => {
          const tags = tagsOf(i);
          const words = tags.map((_, k) => ({ text: `w${k}`, start: 3 * k, end: 3 * k + 2 }));
          return JSON.stringify({ docId: `d${i}`, index: 0, start: 0, end: 3 * tags.length, words, tags });
        });
        await Deno.writeTextFile(join(data, `${split}.jsonl`), lines.join("\n") + "\n");
      }
      return data;
    };
    const onlyO = await write("only-o", () => ["O", "O"]);
    const manyTypes = await write("many-types", (i) => [`B-T${i}`, "O"]);
    for (const [data, problem] of [[onlyO, "no entity type (only O)"], [manyTypes, "80 entity types"]]) {
      const error = await assertRejects(() =>
        trainProfile({ profile: "bilstm-crf-smoke", overrides: { data }, outputsDir, quiet: true })
      );
      assertStringIncludes((error as Error).message, `data ${data}: invalid label set: ${problem}`);
    }
    const written = [];
    for await (const entry of Deno.readDir(outputsDir)) written.push(entry.name);
    assertEquals(written.sort(), ["many-types", "only-o"]);
    // A profile's own label list gets the same check.
    await assertRejects(
      () => loadProfile("smoke", { labels: ["O", "B-O", "I-O"] }),
      Error,
      'an entity type named "O"',
    );
  } finally {
    await Deno.remove(outputsDir, { recursive: true });
  }
});
