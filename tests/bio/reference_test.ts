import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { compareWithReference } from "../../lib/bio/reference.ts";
import { readIobReference } from "../../lib/corpus/readers/iob_reference.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { tokenizeWords } from "../../lib/bio/words.ts";

function sentence(docId: string, text: string, tags: string[], boundaries: number[] = []): Sentence {
  return { docId, index: 0, start: 0, end: text.length, words: tokenizeWords(text, { boundaries }), tags };
}

Deno.test("entities are compared per document as whitespace-free Type:surface sequences", () => {
  const reference = new Map([
    ["1", [{ tokens: ["5-HT6", "agonists"], tags: ["B-Chemical", "O"] }]],
    ["2", [{ tokens: ["St", "."], tags: ["B-Disease", "I-Disease"] }, {
      tokens: ["Anthony"],
      tags: ["B-Disease"],
    }]],
  ]);
  const ours = [
    sentence("1", "5-HT6 agonists", ["B-Chemical", "I-Chemical", "I-Chemical", "O", "O"], [4]),
    sentence("2", "St. Anthony", ["B-Disease", "I-Disease", "I-Disease"]),
    sentence("3", "x", ["O"]),
  ];
  const result = compareWithReference(ours, reference);
  assertEquals(result.disagreements, [
    { docId: "1", ours: ["Chemical:5-HT"], reference: ["Chemical:5-HT6"] },
    { docId: "2", ours: ["Disease:St.Anthony"], reference: ["Disease:St.", "Disease:Anthony"] },
  ]);
  assertEquals([result.matched, result.ourEntities, result.referenceEntities], [0, 2, 3]);
  assertEquals(result.agreement, 0);
  assertEquals(result.missingDocuments, ["3"]);
});

Deno.test("readIobReference groups the tsv sentences by document through the index", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "devel.tsv"), "A\tB-Chemical\n.\tO\n\nB\tO\n\nC\tB-Disease\n");
    await Deno.writeTextFile(
      join(dir, "DERIVED_doc_index.tsv"),
      "split\tpmid\tfirst_sentence_idx\tlast_sentence_idx\tn_sentences\ndevel\t7\t0\t1\t2\ndevel\t8\t2\t2\t1\ntrain\t9\t0\t0\t1\n",
    );
    const dev = await readIobReference(dir, "dev");
    assertEquals([...dev.keys()], ["7", "8"]);
    assertEquals(dev.get("7"), [{ tokens: ["A", "."], tags: ["B-Chemical", "O"] }, {
      tokens: ["B"],
      tags: ["O"],
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
