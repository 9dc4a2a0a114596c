import { assertEquals, assertThrows } from "@std/assert";
import { bioTagsFromSpans, spansFromBioTags } from "../../lib/bio/tags.ts";
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
