/** encodeWords: word ids, offsets, label alignment and the explicit edge cases (committed tiny vocab). */
import { assertEquals, assertThrows } from "@std/assert";
import { IGNORE_INDEX } from "../../lib/tokenizer/mod.ts";
import { assertOffsetsSpellTokens, fixtureTokenizer, LABEL2ID } from "./helpers.ts";

const X = IGNORE_INDEX;

Deno.test("encodeWords: [CLS] words [SEP] with word ids and offsets into the words joined by spaces", async () => {
  const tokenizer = await fixtureTokenizer();
  const [window] = tokenizer.encodeWords(["Naloxone", "induced", "hypertension"]);
  assertEquals(window.tokens, [
    "[CLS]",
    "Na",
    "##lo",
    "##xon",
    "##e",
    "induced",
    "hyper",
    "##tension",
    "[SEP]",
  ]);
  assertEquals(window.wordIds, [null, 0, 0, 0, 0, 1, 2, 2, null]);
  assertEquals(window.offsets[5], [9, 16]);
  assertOffsetsSpellTokens(window, "Naloxone induced hypertension");
  assertEquals(window.inputIds.map((id) => tokenizer.idToToken(id)), window.tokens);
  assertEquals(window.labels, undefined);
  assertEquals([window.wordStart, window.wordEnd, window.ownedStart, window.ownedEnd], [0, 3, 0, 3]);
});

Deno.test("encodeWords: Word offsets point into the document text", async () => {
  const tokenizer = await fixtureTokenizer();
  const text = "The Naloxone-induced rise";
  const words = [{ text: "Naloxone-induced", start: 4, end: 20 }];
  const [window] = tokenizer.encodeWords(words);
  assertEquals(window.tokens.slice(1, -1), ["Na", "##lo", "##xon", "##e", "-", "induced"]);
  assertOffsetsSpellTokens(window, text);
  assertEquals(window.offsets[5], [12, 13]);
});

Deno.test("encodeWords: first subword carries the label, later subwords and specials are ignored", async () => {
  const tokenizer = await fixtureTokenizer();
  const [window] = tokenizer.encodeWords(["Naloxone", "induced", "hypertension"], {
    labels: ["B-Chemical", "O", "B-Disease"],
    label2id: LABEL2ID,
  });
  assertEquals(window.labels, [X, 1, X, X, X, 0, 3, X, X]);
});

Deno.test("encodeWords: labelAllSubwords gives later subwords I-X for B-X, looked up by name", async () => {
  const tokenizer = await fixtureTokenizer();
  // Ids deliberately not in B/I pairs: I-X is never B-X + 1 here.
  const label2id = { "I-Disease": 0, "O": 1, "B-Disease": 2, "B-Chemical": 3, "I-Chemical": 4 };
  const [window] = tokenizer.encodeWords(["Naloxone", "hypertension", "hypertension"], {
    labels: ["B-Chemical", "B-Disease", "I-Disease"],
    label2id,
    labelAllSubwords: true,
  });
  assertEquals(window.labels, [X, 3, 4, 4, 4, 2, 0, 0, 0, X]);
});

Deno.test("encodeWords: bad labels are reported with the word they belong to", async () => {
  const tokenizer = await fixtureTokenizer();
  assertThrows(() => tokenizer.encodeWords(["the"], { labels: ["O"] }), Error, "without label2id");
  assertThrows(
    () => tokenizer.encodeWords(["the", "of"], { labels: ["O"], label2id: LABEL2ID }),
    Error,
    "1 labels for 2 words",
  );
  assertThrows(
    () => tokenizer.encodeWords(["the", "of"], { labels: ["O", "B-Gene"], label2id: LABEL2ID }),
    Error,
    'word 1: label "B-Gene"',
  );
  assertThrows(
    () =>
      tokenizer.encodeWords(["Naloxone"], {
        labels: ["B-Chemical"],
        label2id: { "O": 0, "B-Chemical": 1 },
        labelAllSubwords: true,
      }),
    Error,
    'label "I-Chemical"',
  );
  assertThrows(
    () => tokenizer.encodeWords([{ text: "the", start: 0, end: 4 }]),
    Error,
    'word 0 "the": offsets [0, 4)',
  );
});

Deno.test("encodeWords: a word of control characters only becomes one [UNK] spanning it", async () => {
  const tokenizer = await fixtureTokenizer();
  const [window] = tokenizer.encodeWords(["the", "\u00ad", "of"], {
    labels: ["O", "B-Chemical", "O"],
    label2id: LABEL2ID,
  });
  assertEquals(window.tokens, ["[CLS]", "the", "[UNK]", "of", "[SEP]"]);
  assertEquals(window.offsets[2], [4, 5]);
  assertEquals(window.labels, [X, 0, 1, 0, X]);
});

Deno.test("encodeWords: a word longer than a window keeps its first maxLength - 2 subwords, alone", async () => {
  const tokenizer = await fixtureTokenizer();
  // "abcdefghij" spells as a ##b ##c … : 10 subwords, a window holds 6.
  const windows = tokenizer.encodeWords(["the", "abcdefghij", "of"], { maxLength: 8, stride: 2 });
  const long = windows.find((window) => window.ownedStart <= 1 && 1 < window.ownedEnd)!;
  assertEquals(long.tokens, ["[CLS]", "a", "##b", "##c", "##d", "##e", "##f", "[SEP]"]);
  assertEquals(long.wordIds.filter((w) => w !== null), [1, 1, 1, 1, 1, 1]);
  assertEquals(windows.map((w) => [w.ownedStart, w.ownedEnd]), [[0, 1], [1, 2], [2, 3]]);
});

Deno.test("encodeWords: an empty sentence is [CLS] [SEP]; bad sizes are refused", async () => {
  const tokenizer = await fixtureTokenizer();
  assertEquals(tokenizer.encodeWords([]).map((w) => w.tokens), [["[CLS]", "[SEP]"]]);
  assertThrows(() => tokenizer.encodeWords(["the"], { maxLength: 2 }), RangeError, "maxLength");
  assertThrows(() => tokenizer.encodeWords(["the"], { maxLength: 10, stride: 8 }), RangeError, "stride");
});
