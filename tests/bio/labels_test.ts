/**
 * Label sets: from the data (O, then B-/I- per type, types in code-point order whatever the input order), and
 * the one check every label set passes where it enters.
 */
import { assertEquals, assertLess, assertThrows } from "@std/assert";
import {
  labelSetProblems,
  labelsFromSentences,
  MAX_ENTITY_TYPES,
  validateLabelSet,
} from "../../lib/bio/labels.ts";
import { OUTSIDE } from "../../lib/bio/tags.ts";

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

const typesLabels = (
  n: number,
) => [OUTSIDE, ...Array.from({ length: n }, (_, i) => [`B-T${i}`, `I-T${i}`]).flat()];

Deno.test("label sets: the check refuses what later stages cannot handle, in one line naming where", () => {
  const where = "m/config.json";
  const refused = (labels: unknown) =>
    assertThrows(() => validateLabelSet(labels, where), Error, `${where}: invalid label set: `).message;
  validateLabelSet(["O", "B-Gene", "I-Gene"], where);
  // Label order is free (a hub model may list O last); prototype names are ordinary types.
  validateLabelSet(["B-constructor", "I-constructor", "B-__proto__", "I-__proto__", "O"], where);
  assertEquals(refused(["B-Chemical", "I-Chemical"]).endsWith('no "O" label'), true);
  assertEquals(labelSetProblems(["O", "I-Chemical", "I-Disease"]), [
    '"B-Chemical" is missing (every type needs B- and I-)',
    '"B-Disease" is missing (every type needs B- and I-)',
  ]);
  assertEquals(labelSetProblems(["O", "B-O", "I-O", "B-X", "I-X"]), [
    'an entity type named "O" (B-O,I-O) reads as the outside tag',
  ]);
  assertEquals(labelSetProblems(["O"]), ["no entity type (only O): there is nothing to learn or tag"]);
  assertEquals(labelSetProblems(["O", "B-X", "I-X", "B-X"]), ['label "B-X" appears twice']);
  assertEquals(labelSetProblems(["O", "S-X"]), [
    'label "S-X" is not O, B-… or I-…',
    "no entity type (only O): there is nothing to learn or tag",
  ]);
  assertEquals(labelSetProblems("O B-X I-X"), ["labels must be a list of label names"]);
  assertEquals(labelSetProblems(typesLabels(MAX_ENTITY_TYPES)), []);
});

Deno.test("label sets: over the type cap, or with many problems, the error stays one short line", () => {
  for (const n of [MAX_ENTITY_TYPES + 1, 1000, 5000]) {
    const message = assertThrows(() => validateLabelSet(typesLabels(n), "corpus c"), Error).message;
    assertEquals(
      message.startsWith(`corpus c: invalid label set: ${n} entity types, over this project's limit`),
      true,
    );
    assertEquals(message.includes("\n"), false);
  }
  const manyBad = ["O", ...Array.from({ length: 5000 }, (_, i) => `B-T${i}`)];
  const message = assertThrows(() => validateLabelSet(manyBad, "c"), Error).message;
  assertLess(message.length, 400);
  assertEquals(message.endsWith("; and 4998 more"), true, message);
});
