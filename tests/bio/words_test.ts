import { assertEquals } from "@std/assert";
import { tokenizeWords } from "../../lib/bio/words.ts";

Deno.test("words are letter/digit runs or single other characters, with offsets into the text", () => {
  const text = "5-fluorouracil-induced  [3H]-dopa (12.5 mg)";
  const words = tokenizeWords(text);
  assertEquals(words.map((w) => w.text), [
    "5",
    "-",
    "fluorouracil",
    "-",
    "induced",
    "[",
    "3H",
    "]",
    "-",
    "dopa",
    "(",
    "12",
    ".",
    "5",
    "mg",
    ")",
  ]);
  for (const w of words) assertEquals(text.slice(w.start, w.end), w.text);
});

Deno.test("words are cut at boundaries inside a run (a mention inside a longer word)", () => {
  assertEquals(tokenizeWords("PDs and 5-HT6", { boundaries: [2, 12] }).map((w) => w.text), [
    "PD",
    "s",
    "and",
    "5",
    "-",
    "HT",
    "6",
  ]);
});

Deno.test("non-ASCII letters, combining marks and astral characters keep correct UTF-16 offsets", () => {
  const text = "α-tocopherol naïve 𝛽2 x";
  const words = tokenizeWords(text);
  assertEquals(words.map((w) => w.text), ["α", "-", "tocopherol", "naïve", "𝛽2", "x"]);
  for (const w of words) assertEquals(text.slice(w.start, w.end), w.text);
});

Deno.test("start/end restrict tokenization to part of the text", () => {
  assertEquals(tokenizeWords("one two three", { start: 4, end: 7 }), [{ text: "two", start: 4, end: 7 }]);
});
