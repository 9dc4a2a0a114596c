/** The tokenizer on the real BioBERT vocab (skipped unless BIOBERT_VOCAB is set). */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import { assertOffsetsSpellTokens, BIOBERT_VOCAB, LABEL2ID } from "./helpers.ts";

const ignore = !BIOBERT_VOCAB;

Deno.test({
  name: "BioBERT vocab: size, special ids, id ↔ token, vocab.txt round trip",
  ignore,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    assertEquals(tokenizer.vocabSize, 28996);
    assertEquals(tokenizer.specialIds, { pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
    const id = tokenizer.tokenToId("##xon")!;
    assertEquals(tokenizer.idToToken(id), "##xon");
    assertEquals(tokenizer.tokenToId("no-such-token"), undefined);
    assertEquals(tokenizer.vocabText(), await Deno.readTextFile(BIOBERT_VOCAB!));
  },
});

Deno.test({
  name: "BioBERT: cased — 'Naloxone' keeps its capital, and differs from 'naloxone'",
  ignore,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    const upper = tokenizer.encodeWords(["Naloxone"])[0].tokens;
    const lower = tokenizer.encodeWords(["naloxone"])[0].tokens;
    assertEquals(upper, ["[CLS]", "Na", "##lo", "##xon", "##e", "[SEP]"]);
    assertNotEquals(upper, lower);
    assertEquals(tokenizer.encodeText("Naloxone").tokens, upper);
  },
});

Deno.test({
  name: "BioBERT: Greek letters and non-BMP characters get offsets into the original text",
  ignore,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    // "𝛼" (U+1D6FC) is two UTF-16 code units and not in the vocab: one [UNK] covering both units.
    const text = "α-tocopherol and 𝛼-helix in β2-agonists";
    const words = [...text.matchAll(/\S+/g)].map((m) => ({
      text: m[0],
      start: m.index!,
      end: m.index! + m[0].length,
    }));
    const [window] = tokenizer.encodeWords(words);
    assertOffsetsSpellTokens(window, text);
    const unk = window.tokens.indexOf("[UNK]");
    assertEquals(window.offsets[unk], [17, 19]);
    assertEquals(text.slice(...window.offsets[unk]), "𝛼");
    assertEquals(window.tokens[unk + 1], "-");
    assertEquals(window.offsets[unk + 1], [19, 20]);
    assertEquals(window.tokens.slice(1, 3), ["α", "-"]);
    assertEquals(window.tokens, tokenizer.encodeText(text).tokens);
  },
});

Deno.test({
  name: "BioBERT: a word WordPiece cannot spell is one [UNK] that carries the word's label",
  ignore,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    const [window] = tokenizer.encodeWords(["the", "𝛼𝛽", "blocker"], {
      labels: ["O", "B-Chemical", "I-Chemical"],
      label2id: LABEL2ID,
    });
    assertEquals(window.tokens.slice(0, 3), ["[CLS]", "the", "[UNK]"]);
    assertEquals(window.wordIds[2], 1);
    assertEquals(window.offsets[2], [4, 8]);
    assertEquals(window.labels![2], LABEL2ID["B-Chemical"]);
  },
});

Deno.test({
  name: "BioBERT: a 1,000-word sentence is windowed with no word lost, each owned once",
  ignore,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    const vocabWords = ["Naloxone", "reverses", "the", "antihypertensive", "effect", "of", "clonidine", "."];
    const words = Array.from({ length: 1000 }, (_, i) => vocabWords[i % vocabWords.length]);
    const windows = tokenizer.encodeWords(words, { maxLength: 128, stride: 32 });
    assert(windows.length > 1);
    const owners = new Array(words.length).fill(0);
    for (const window of windows) {
      assert(window.inputIds.length <= 128);
      for (let w = window.ownedStart; w < window.ownedEnd; w++) owners[w]++;
      const present = new Set(window.wordIds.filter((w) => w !== null));
      for (let w = window.wordStart; w < window.wordEnd; w++) assert(present.has(w), `word ${w} missing`);
    }
    assertEquals(owners, new Array(words.length).fill(1));
  },
});
