import { assertEquals, assertThrows } from "@std/assert";
import {
  bioTagsFromSpans,
  continuesEntity,
  entitySpans,
  entityTag,
  isIob2Tag,
  parseTag,
  readSchemeSpans,
  spansFromBioTags,
  tagType,
} from "../../lib/bio/tags.ts";
import { iob2TransitionRules } from "../../lib/model/crf/crf.ts";
import { tokenizeWords } from "../../lib/bio/words.ts";

const text = "Naloxone reverses clonidine-induced postural hypotension";
const words = tokenizeWords(text, { boundaries: [27] });
const spans = [
  { start: 0, end: 8, type: "Chemical" },
  { start: 18, end: 27, type: "Chemical" },
  { start: 36, end: 56, type: "Disease" },
];

Deno.test("spans → IOB2 tags → the same spans", () => {
  const tags = bioTagsFromSpans(words, spans);
  assertEquals(tags, ["B-Chemical", "O", "B-Chemical", "O", "O", "B-Disease", "I-Disease"]);
  assertEquals(spansFromBioTags(words, tags), spans);
});

Deno.test("adjacent entities of the same type stay apart (B- after I-)", () => {
  const ws = tokenizeWords("a b c");
  const two = [{ start: 0, end: 1, type: "X" }, { start: 2, end: 5, type: "X" }];
  assertEquals(bioTagsFromSpans(ws, two), ["B-X", "B-X", "I-X"]);
  assertEquals(spansFromBioTags(ws, ["B-X", "B-X", "I-X"]), two);
});

Deno.test("an I- tag that continues nothing starts an entity (lenient reading); a type change too", () => {
  const ws = tokenizeWords("a b c d");
  assertEquals(spansFromBioTags(ws, ["I-X", "I-Y", "O", "I-Y"]), [
    { start: 0, end: 1, type: "X" },
    { start: 2, end: 3, type: "Y" },
    { start: 6, end: 7, type: "Y" },
  ]);
});

Deno.test("spans that miss word boundaries or overlap, and malformed tags, are errors", () => {
  assertThrows(
    () => bioTagsFromSpans(words, [{ start: 1, end: 8, type: "Chemical" }]),
    Error,
    "word boundaries",
  );
  assertThrows(
    () => bioTagsFromSpans(words, [{ start: 0, end: 17, type: "A" }, { start: 9, end: 17, type: "B" }]),
    Error,
    "overlaps another span",
  );
  assertThrows(
    () => spansFromBioTags(words.slice(0, 2), ["O", "Chemical"]),
    Error,
    `invalid IOB2 tag "Chemical"`,
  );
  assertThrows(() => spansFromBioTags(words, ["O"]), Error, "1 tags for 7 words");
});

Deno.test("parseTag: O, a prefix and a type (which may itself hold a dash); anything else is no tag", () => {
  assertEquals(parseTag("O"), { prefix: "O", type: "" });
  assertEquals(parseTag("B-E-cadherin"), { prefix: "B", type: "E-cadherin" });
  assertEquals(parseTag("S-Gene"), { prefix: "S", type: "Gene" });
  for (const bad of ["Chemical", "B-", "X-Gene", "o", "B_Gene", "B-Ge\nne"]) {
    assertEquals(parseTag(bad), undefined);
  }
  assertEquals([isIob2Tag("I-Gene"), isIob2Tag("E-Gene"), isIob2Tag("O")], [true, false, true]);
  assertEquals([tagType("I-Disease"), tagType("O")], ["Disease", undefined]);
  assertEquals(entityTag("I", "Chemical"), "I-Chemical");
});

Deno.test("the one stray-I rule: I-X continues only B-X or I-X; otherwise it starts an entity", () => {
  assertEquals(continuesEntity("B-X", "I-X"), true);
  assertEquals(continuesEntity("I-X", "I-X"), true);
  assertEquals(continuesEntity("O", "I-X"), false);
  assertEquals(continuesEntity("B-Y", "I-X"), false);
  assertEquals(continuesEntity(undefined, "I-X"), false);
  assertEquals(continuesEntity("B-X", "B-X"), false);
  // Spans, the CRF's allowed transitions and the corpus reader's repairs all follow it.
  const tags = ["I-X", "I-X", "O", "I-X", "B-Y", "I-X", "I-Y"];
  const spans = [{ start: 0, end: 2, type: "X" }, { start: 3, end: 4, type: "X" }, {
    start: 4,
    end: 5,
    type: "Y",
  }, {
    start: 5,
    end: 6,
    type: "X",
  }, { start: 6, end: 7, type: "Y" }];
  assertEquals(entitySpans(tags), spans);
  assertEquals(readSchemeSpans(tags, "IOB2").repairs.map((r) => r.index), [0, 3, 5, 6]);
  const labels = ["O", "B-X", "I-X", "B-Y", "I-Y"];
  const rules = iob2TransitionRules(labels);
  for (const [i, from] of labels.entries()) {
    for (const [j, to] of labels.entries()) {
      const startsAsStray = parseTag(to)!.prefix === "I" && !continuesEntity(from, to);
      assertEquals(rules.allowed[i][j], !startsAsStray, `${from} → ${to}`);
    }
  }
  assertEquals(rules.allowedStart, [true, true, false, true, false]);
});

Deno.test("a type name is data: any character but a line break, line separators (U+2028, U+2029) included", () => {
  assertEquals(parseTag("B-a\u2028b\u2029c"), { prefix: "B", type: "a\u2028b\u2029c" });
  assertEquals(parseTag("I-x\ny"), undefined);
});
