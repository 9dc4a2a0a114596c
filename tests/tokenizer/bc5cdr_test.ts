/**
 * Agreement of the per-word pass with the library's whole-text `encode()` on every BC5CDR abstract
 * (skipped unless BC5CDR_DIR and BIOBERT_VOCAB are set). Words are whitespace-separated chunks of the
 * PubTator text, so the per-word pass must itself split punctuation the way whole-text encoding does.
 */
import { assertEquals, assertGreater } from "@std/assert";
import { join } from "node:path";
import { convertDocuments } from "../../lib/bio/mod.ts";
import { readBc5cdr } from "../../lib/corpus/mod.ts";
import { loadBertTokenizer, mergeWindowPredictions } from "../../lib/tokenizer/mod.ts";
import { assertOffsetsSpellTokens, BIOBERT_VOCAB, LABEL2ID } from "./helpers.ts";

const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");
const FILES = ["CDR_TrainingSet.PubTator.txt", "CDR_DevelopmentSet.PubTator.txt", "CDR_TestSet.PubTator.txt"];

/** `title + " " + abstract` of every document of a PubTator file. */
async function pubtatorTexts(path: string): Promise<string[]> {
  const texts: string[] = [];
  let title = "";
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    const match = line.match(/^\d+\|([ta])\|(.*)$/);
    if (match?.[1] === "t") title = match[2];
    if (match?.[1] === "a") texts.push(`${title} ${match[2]}`);
  }
  return texts;
}

Deno.test({
  name: "BC5CDR: per-word tokens equal whole-text encode() and offsets spell them, for all 1,500 abstracts",
  ignore: !BC5CDR_DIR || !BIOBERT_VOCAB,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    let documents = 0;
    let tokens = 0;
    for (const file of FILES) {
      for (const text of await pubtatorTexts(join(BC5CDR_DIR!, "pubtator", file))) {
        const words = [...text.matchAll(/\S+/g)].map((m) => ({
          text: m[0],
          start: m.index!,
          end: m.index! + m[0].length,
        }));
        const windows = tokenizer.encodeWords(words, { maxLength: 100_000 });
        assertEquals(windows.length, 1);
        assertEquals(windows[0].tokens, tokenizer.encodeText(text).tokens, text.slice(0, 60));
        assertEquals(windows[0].inputIds, tokenizer.encodeText(text).ids);
        assertOffsetsSpellTokens(windows[0], text);
        documents++;
        tokens += windows[0].inputIds.length;
      }
    }
    assertEquals(documents, 1500);
    console.error(JSON.stringify({ documents, tokens }));
  },
});

/** Sentences of a CoNLL-style `word<TAB>tag` file (blank line between sentences). */
async function iobSentences(path: string): Promise<{ words: string[]; tags: string[] }[]> {
  const sentences = [{ words: [] as string[], tags: [] as string[] }];
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    if (line === "") {
      if (sentences.at(-1)!.words.length) sentences.push({ words: [], tags: [] });
      continue;
    }
    const [word, tag] = line.split("\t");
    sentences.at(-1)!.words.push(word);
    sentences.at(-1)!.tags.push(tag);
  }
  return sentences.filter((sentence) => sentence.words.length > 0);
}

Deno.test({
  name: "BC5CDR IOB sentences: labels survive windowing — merged first-subword labels equal the word tags",
  ignore: !BC5CDR_DIR || !BIOBERT_VOCAB,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    const sentences = await iobSentences(join(BC5CDR_DIR!, "iob", "train.tsv"));
    assertEquals(sentences.length, 4560);
    // A short window forces many real sentences through the overlap-and-ownership path.
    let windowed = 0;
    for (const { words, tags } of sentences) {
      const windows = tokenizer.encodeWords(words, {
        maxLength: 48,
        stride: 12,
        labels: tags,
        label2id: LABEL2ID,
      });
      if (windows.length > 1) windowed++;
      const merged = mergeWindowPredictions(windows, windows.map((window) => window.labels!));
      assertEquals(merged, tags.map((tag) => LABEL2ID[tag as keyof typeof LABEL2ID]), words.join(" "));
    }
    assertGreater(windowed, 1000);
    console.error(JSON.stringify({ sentences: sentences.length, windowed }));
  },
});

Deno.test({
  name:
    "BC5CDR BIO sentences (lib/bio): per-word tokens equal encode() of the sentence text unless a word is cut",
  ignore: !BC5CDR_DIR || !BIOBERT_VOCAB,
  async fn() {
    const tokenizer = await loadBertTokenizer(BIOBERT_VOCAB!);
    const corpus = await readBc5cdr({ dir: BC5CDR_DIR, source: "pubtator" });
    const letterRun = /[\p{L}\p{N}\p{M}]/u;
    const counts = { sentences: 0, cutInsideWord: 0 };
    for (const documents of Object.values(corpus.splits)) {
      const textOf = new Map(documents.map((doc) => [doc.id, doc.text]));
      for (const sentence of convertDocuments(documents).sentences) {
        const text = textOf.get(sentence.docId)!;
        const [window] = tokenizer.encodeWords(sentence.words, { maxLength: 100_000 });
        assertOffsetsSpellTokens(window, text);
        counts.sentences++;
        // lib/bio cuts a letter run at a mention boundary ("PDs" → "PD" "s"); only there may tokens differ.
        const cut = sentence.words.some((word, i) =>
          i > 0 && sentence.words[i - 1].end === word.start && letterRun.test(word.text[0]) &&
          letterRun.test(sentence.words[i - 1].text.at(-1)!)
        );
        if (cut) counts.cutInsideWord++;
        else {assertEquals(
            window.tokens,
            tokenizer.encodeText(text.slice(sentence.start, sentence.end)).tokens,
          );}
      }
    }
    assertGreater(counts.sentences, 13_000);
    console.error(JSON.stringify(counts));
  },
});
