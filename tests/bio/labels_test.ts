/** Label sets from the data: O, then B-/I- per type, types in code-point order whatever the input order. */
import { assertEquals, assertThrows } from "@std/assert";
import { labelsFromSentences } from "../../lib/bio/labels.ts";

Deno.test("labels: O first, B-/I- per type found, types sorted by code point, stable under reordering", () => {
  const sentences = [{ tags: ["I-cell_type", "O", "B-DNA"] }, { tags: ["B-Cell"] }, { tags: [] }];
  const expected = ["O", "B-Cell", "I-Cell", "B-DNA", "I-DNA", "B-cell_type", "I-cell_type"];
  assertEquals(labelsFromSentences(sentences), expected);
  assertEquals(labelsFromSentences([...sentences].reverse()), expected);
  assertEquals(labelsFromSentences([]), ["O"]);
});

Deno.test("labels: BC5CDR's order is the profiles' order", () => {
  assertEquals(labelsFromSentences([{ tags: ["B-Disease", "B-Chemical", "I-Chemical"] }]), [
    "O",
    "B-Chemical",
    "I-Chemical",
    "B-Disease",
    "I-Disease",
  ]);
});

Deno.test("labels: a tag that is not IOB2 is an error", () => {
  assertThrows(() => labelsFromSentences([{ tags: ["S-Gene"] }]), Error, 'tag "S-Gene" is not an IOB2 tag');
});
