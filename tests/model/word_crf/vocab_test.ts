/**
 * The word-level model's vocabularies and features: unseen words and characters, empty and very long words,
 * stable ids, shapes; and a model folder's round trip with its sizes checked.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../../lib/backend/mod.ts";
import { projectPath } from "../../../lib/util/paths.ts";
import {
  buildWordVocab,
  loadWordCrfModel,
  makeWordBatch,
  newWordCrfModel,
  saveWordCrfModel,
  UNK_ID,
  WordCrfScorer,
  wordKey,
  wordShape,
  WordVocab,
} from "../../../lib/model/word_crf/mod.ts";

await initBackend();

const TEXTS = ["Naloxone", "reverses", "the", "effect", "of", "clonidine", ".", "Clonidine", "IL-2", "5"];

Deno.test("vocab: same input → same ids; keys lower-cased with digits folded; specials first", () => {
  const file = buildWordVocab(TEXTS);
  assertEquals(buildWordVocab(TEXTS), file);
  assertEquals(file.words.slice(0, 3), ["<pad>", "<unk>", "clonidine"]); // seen twice: most frequent
  assertEquals(file.wordCounts[2], 2);
  assert(file.words.includes("il-0"));
  assertEquals(wordKey("IL-12"), "il-00");
});

Deno.test("vocab: unseen words and characters read as <unk>, an empty word as one <unk> character", () => {
  const vocab = new WordVocab(buildWordVocab(TEXTS), { maxWordChars: 8 });
  const encoded = vocab.encode(["clonidine", "morphine", "", "Ω"]);
  assertEquals(encoded.wordIds[1], UNK_ID);
  assertEquals(encoded.wordIds[2], UNK_ID);
  assertEquals(encoded.charIds[2], [UNK_ID]);
  assertEquals(encoded.charIds[3], [UNK_ID]);
  assert(encoded.charIds[0].every((id) => id > UNK_ID), "every character of clonidine was seen");
});

Deno.test("vocab: a very long word keeps its first and last characters, at most maxWordChars", () => {
  const vocab = new WordVocab(buildWordVocab(["abcdefghijklmnopqrstuvwxyz"]), { maxWordChars: 6 });
  const long = "abcdefghijklmnopqrstuvwxyz".repeat(400); // 10,400 characters
  const [chars] = vocab.encode([long]).charIds;
  const letters = vocab.file.chars;
  assertEquals(chars.map((id) => letters[id]).join(""), "abcxyz");
  assertThrows(() => new WordVocab(vocab.file, { maxWordChars: 1 }), Error, "maxWordChars");
});

Deno.test("vocab: a word of any length is cut exactly as spreading it whole would (astral characters too)", () => {
  const vocab = new WordVocab(buildWordVocab(["ab𝛼c😀"]), { maxWordChars: 5 });
  const spreadWhole = (word: string) => {
    const chars = [...word];
    const kept = chars.length > 5 ? [...chars.slice(0, 3), ...chars.slice(chars.length - 2)] : chars;
    return kept.length === 0
      ? [UNK_ID]
      : kept.map((char) => vocab.file.chars.indexOf(char) > 1 ? vocab.file.chars.indexOf(char) : UNK_ID);
  };
  const alphabet = ["a", "b", "𝛼", "c", "😀", "z"];
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 2000; i++) {
    const word = Array.from({ length: Math.floor(random() * 16) }, () => alphabet[Math.floor(random() * 6)])
      .join("");
    assertEquals(vocab.encode([word]).charIds[0], spreadWhole(word), JSON.stringify(word));
  }
});

Deno.test("vocab: a 20 MB word is encoded without copying it into characters (a child process's peak)", async () => {
  const script = `
    import { buildWordVocab, WordVocab } from ${JSON.stringify(projectPath("lib/model/word_crf/mod.ts"))};
    import { peakRssMB } from ${JSON.stringify(projectPath("lib/util/peak_rss.ts"))};
    const vocab = new WordVocab(buildWordVocab(["abc"]), { maxWordChars: 24 });
    const word = "a".repeat(20_000_000);
    const before = peakRssMB();
    const encoded = vocab.encode([word]);
    console.log(JSON.stringify({ before, peak: peakRssMB(), chars: encoded.charIds[0].length }));`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", projectPath("deno.json"), script],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assertEquals(output.code, 0);
  const { before, peak, chars } = JSON.parse(new TextDecoder().decode(output.stdout));
  assertEquals(chars, 24);
  // Spread into characters (three times: shape, length, characters) it took ~270 MB; now the word key's copy.
  assert(peak - before < 100, `peak grew by ${peak - before} MB`);
});

Deno.test("shapes: case, digits and punctuation classes", () => {
  assertEquals(
    ["naloxone", "DNA", "Naloxone", "mRNA", "123", "IL2", ",", "5-FU", ""].map(wordShape),
    ["lower", "upper", "title", "mixed", "numeric", "alnum-digit", "punct", "other", "other"],
  );
});

Deno.test("batches: padding, and a sentence without words is refused", () => {
  const vocab = new WordVocab(buildWordVocab(TEXTS), { maxWordChars: 8 });
  const batch = makeWordBatch([vocab.encode(["the", "effect"]), vocab.encode(["of"])], {
    tags: [[0, 0], [1]],
  });
  assertEquals([batch.batchSize, batch.seqLength, batch.charLength], [2, 2, 6]);
  // Three spellings and the padding, each once; positions point at theirs.
  assertEquals(batch.charIds.length, 4 * 6);
  assertEquals([...batch.charRows], [1, 2, 3, 0]);
  assertEquals(batch.lengths, [2, 1]);
  assertEquals([...batch.tags!], [0, 0, 1, 0]);
  assertThrows(() => makeWordBatch([vocab.encode([])]), Error, "no words");
  // A million words in one batch: Math.max(...) over their lengths overflowed the call stack.
  const million = makeWordBatch([vocab.encode(Array.from({ length: 1_000_000 }, () => "("))]);
  assertEquals([million.seqLength, million.charLength], [1_000_000, 1]);
});

const SIZES = {
  word_dim: 8,
  char_dim: 4,
  char_filters: 6,
  char_kernel: 3,
  max_word_chars: 10,
  shape_dim: 2,
  hidden_size: 5,
  dropout: 0.1,
};
const LABELS = ["O", "B-Chemical", "I-Chemical"];
const SENTENCES = [{
  docId: "d",
  index: 0,
  start: 0,
  end: 0,
  words: TEXTS.map((text) => ({ text, start: 0, end: 0 })),
  tags: TEXTS.map(() => "O"),
}];

Deno.test("model folder: saved and loaded back, it scores the same; mismatched sizes are refused", async () => {
  const dir = await Deno.makeTempDir();
  const model = newWordCrfModel(SIZES, { labels: LABELS, train: SENTENCES, seed: 3 });
  await saveWordCrfModel(model, dir);
  const words = [["Naloxone", "reverses", "morphine", "toxicity", "."], ["the"], []];
  const before = await new WordCrfScorer(model).scoreWords(words);
  const loaded = await loadWordCrfModel(dir);
  const after = await new WordCrfScorer(loaded).scoreWords(words);
  assertEquals(after.map((s) => s.labelIds), before.map((s) => s.labelIds));
  after.forEach((s, i) => s.scores.forEach((row, t) => assertEquals([...row], [...before[i].scores[t]])));
  assertEquals(after[2], { labelIds: [], scores: [] });
  // A vocab.json that no longer matches the config.
  const vocabPath = join(dir, "vocab.json");
  const file = JSON.parse(await Deno.readTextFile(vocabPath));
  await Deno.writeTextFile(
    vocabPath,
    JSON.stringify({ ...file, words: [...file.words, "extra"], wordCounts: [...file.wordCounts, 1] }),
  );
  await assertRejects(() => loadWordCrfModel(dir), Error, "word_vocab_size");
  await Deno.writeTextFile(vocabPath, JSON.stringify(file));
  // An absurd size in config.json is refused before anything is allocated.
  const configPath = join(dir, "config.json");
  const config = JSON.parse(await Deno.readTextFile(configPath));
  await Deno.writeTextFile(configPath, JSON.stringify({ ...config, hidden_size: 1e9 }));
  await assertRejects(() => loadWordCrfModel(dir), Error, "hidden_size must be an integer");
  // No weight depends on max_word_chars: a million was accepted (> 2 GB on a 215 KB line).
  await Deno.writeTextFile(configPath, JSON.stringify({ ...config, max_word_chars: 1e6 }));
  const error = await assertRejects(() => loadWordCrfModel(dir), Error);
  assertEquals(
    error.message,
    `${configPath}: invalid word-crf config: max_word_chars must be an integer in [2, 256], got 1000000`,
  );
  tf.dispose([...model.network.parameters.values(), ...loaded.network.parameters.values()]);
});

Deno.test("model folder: a kernel of a million characters is refused, weights and all (they fit 8 MB)", async () => {
  const dir = await Deno.makeTempDir();
  const sizes = { ...SIZES, char_kernel: 1_000_000, char_dim: 1, char_filters: 2 };
  const model = newWordCrfModel(sizes, { labels: LABELS, train: SENTENCES, seed: 3 });
  await saveWordCrfModel(model, dir);
  tf.dispose([...model.network.parameters.values()]);
  assert((await Deno.stat(join(dir, "model.safetensors"))).size < 9e6);
  // It loaded, then tagging one sentence ran past 60 s and 1 GB.
  await assertRejects(
    () => loadWordCrfModel(dir),
    Error,
    "char_kernel must be an integer in [1, 16], got 1000000",
  );
  await Deno.remove(dir, { recursive: true });
});
