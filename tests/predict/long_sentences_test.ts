/**
 * Long sentences and word-level models (issue 27, item 3): a sentence of more than MAX_SENTENCE_WORDS words is
 * read in overlapping pieces before any model sees it; the pieces meet at a word both tag `O`, so no entity
 * is cut; memory no longer grows ~30–90 KB per word of one sentence.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import type { Word } from "../../lib/bio/types.ts";
import { initBackend } from "../../lib/backend/mod.ts";
import { WordCrfScorer } from "../../lib/model/word_crf/mod.ts";
import type { ScoredWords, WordLevelModel } from "../../lib/model/types.ts";
import {
  joinPieces,
  MAX_SENTENCE_WORDS,
  PIECE_OVERLAP_WORDS,
  sentencePieces,
} from "../../lib/predict/long_sentences.ts";
import { scoreSentences } from "../../lib/predict/score.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { newSmokeWordModel, WORD_LABELS } from "./word_model.ts";

const O = 0, B = 1, I = 2;

/** Scored words with the given labels (scores: the label's id as the first probability, to trace them). */
const scored = (labelIds: number[], tag = 0): ScoredWords => ({
  labelIds,
  scores: labelIds.map(() => Float32Array.of(tag)),
});

const words = (n: number, text = (i: number) => `w${i}`): Word[] =>
  Array.from({ length: n }, (_, i) => ({ text: text(i), start: i, end: i + 1 }));

Deno.test("pieces: at most maxWords words, consecutive ones sharing ≥ overlap, covering the sentence", () => {
  assertEquals(sentencePieces(256), [{ start: 0, end: 256 }]);
  assertEquals(sentencePieces(0), [{ start: 0, end: 0 }]);
  for (const length of [257, 449, 1000, 100_003]) {
    const pieces = sentencePieces(length);
    assertEquals(pieces[0].start, 0);
    assertEquals(pieces.at(-1)!.end, length);
    for (const [i, piece] of pieces.entries()) {
      assertEquals(piece.end - piece.start, MAX_SENTENCE_WORDS);
      if (i > 0) assert(pieces[i - 1].end - piece.start >= PIECE_OVERLAP_WORDS, `pieces ${i - 1}, ${i}`);
      if (i > 0) assert(piece.start > pieces[i - 1].start);
    }
  }
  assertThrows(() => sentencePieces(10, { maxWords: 4, overlap: 4 }), RangeError);
});

Deno.test("join: the seam is the word nearest the middle of the shared words that both pieces tag O", () => {
  // Words 0–9, pieces [0, 6) and [4, 10): shared words 4 and 5, middle 5.
  const pieces = [{ start: 0, end: 6 }, { start: 4, end: 10 }];
  // The pieces disagree on both shared words (entity 4–5, or 5–6): no word is O in both, so the seam is the
  // middle word (5), and the first piece's entity is cut there — the one case the rule cannot avoid.
  let joined = joinPieces(pieces, [scored([O, O, O, O, B, I], 1), scored([O, B, I, O, O, O], 2)], O);
  assertEquals(joined.labelIds, [O, O, O, O, B, B, I, O, O, O]);
  // Wider overlap: pieces [0, 8) and [2, 10), shared words 2–7, middle 5; entity 4–5 in both, 6 is O in both.
  const wide = [{ start: 0, end: 8 }, { start: 2, end: 10 }];
  joined = joinPieces(wide, [
    scored([O, O, O, O, B, I, O, O], 1),
    scored([O, O, B, I, O, B, O, O], 2),
  ], O);
  assertEquals(joined.labelIds, [O, O, O, O, B, I, O, B, O, O]);
  // Words 0–5 come from the first piece (the whole entity 4–5), words 6–9 from the second.
  assertEquals(joined.scores.map((s) => s[0]), [1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
  // One piece: as scored.
  const one = scored([B, I, O]);
  assertEquals(joinPieces([{ start: 0, end: 3 }], [one], O), one);
});

/** A word-level model whose label depends on the word alone ("X" begins, "x" continues a Chemical). */
function contextFreeModel(calls: number[]): WordLevelModel {
  const labelOf = (word: string) => word === "X" ? B : word === "x" ? I : O;
  return {
    kind: "word-crf",
    config: {
      id2label: Object.fromEntries(WORD_LABELS.map((label, i) => [String(i), label])),
      label2id: Object.fromEntries(WORD_LABELS.map((label, i) => [label, i])),
    },
    scoreWords(sentences) {
      calls.push(...sentences.map((s) => s.length));
      const scores = new Float32Array(WORD_LABELS.length);
      return Promise.resolve(
        sentences.map((s) => ({ labelIds: s.map(labelOf), scores: s.map(() => scores) })),
      );
    },
    dispose() {},
  };
}

Deno.test("scoring: a long sentence reaches the model in pieces of ≤ 256 words and comes back whole", async () => {
  const calls: number[] = [];
  const classifier = contextFreeModel(calls);
  // Entities of 1–3 words everywhere, also across every seam's middle.
  const text = (i: number) => i % 7 === 0 ? "X" : i % 7 < 3 ? "x" : "o";
  const sentences = [words(5, text), words(10_000, text), words(3, text)];
  const results = [];
  for await (const result of scoreSentences(sentences, (s) => s, { classifier })) results.push(result);
  assertEquals(results.map((r) => r.item), sentences);
  assert(Math.max(...calls) <= MAX_SENTENCE_WORDS, `the model read ${Math.max(...calls)} words at once`);
  for (const { item, tokens } of results) {
    assertEquals(tokens.map((t) => t.wordId), item.map((_, i) => i));
    assertEquals(tokens.map((t) => t.labelId), item.map((w) => w.text === "X" ? B : w.text === "x" ? I : O));
  }
});

Deno.test("scoring: a million-word sentence is tagged in pieces, every word once", async () => {
  const calls: number[] = [];
  const classifier = contextFreeModel(calls);
  let count = 0;
  for await (const { tokens } of scoreSentences([words(1_000_000, () => "(")], (s) => s, { classifier })) {
    count = tokens.length;
  }
  assertEquals(count, 1_000_000);
  assert(Math.max(...calls) <= MAX_SENTENCE_WORDS);
});

Deno.test("scoring with a word-level model: ≤ 256 words as read whole; longer: valid IOB2 across seams, as whole", async () => {
  await initBackend();
  const model = newSmokeWordModel();
  const classifier = new WordCrfScorer(model);
  try {
    const vocabulary = ["Cisplatin", "caused", "nephrotoxicity", "in", "rats", "(", ")", ".", ","];
    const text = (i: number) => vocabulary[(i * 7 + (i >> 3)) % vocabulary.length];
    const short = words(MAX_SENTENCE_WORDS, text), long = words(2_000, text);
    const [whole] = await classifier.scoreWords([short.map((w) => w.text)]);
    const tokensOf = async (sentence: Word[]) => {
      for await (const { tokens } of scoreSentences([sentence], (s) => s, { classifier })) return tokens;
      throw new Error("no result");
    };
    const shortTokens = await tokensOf(short);
    assertEquals(shortTokens.map((t) => t.labelId), whole.labelIds);
    assertEquals(shortTokens.map((t) => [...t.scores]), whole.scores.map((row) => [...row]));
    // The CRF decodes valid IOB2 in each piece; joined at words both pieces tag O, the whole stays valid.
    const labelIds = (await tokensOf(long)).map((t) => t.labelId!);
    const labels = labelIds.map((id) => WORD_LABELS[id]);
    assertEquals(labels.length, long.length);
    assert(labels.filter((label) => label.startsWith("I-")).length > 100, "too few entities to check");
    // With this model's short memory, the pieces even say what the sentence read whole says, word for word.
    const [wholeLong] = await classifier.scoreWords([long.map((w) => w.text)]);
    assertEquals(labelIds, wholeLong.labelIds);
    labels.forEach((label, i) => {
      if (label.startsWith("I-")) {
        assert([`B-${label.slice(2)}`, label].includes(labels[i - 1]), `${labels[i - 1]} ${label} at ${i}`);
      }
    });
  } finally {
    classifier.dispose();
  }
});

Deno.test("memory: 20,000 words of one sentence in bounded memory (a child process's peak)", async () => {
  const script = `
    import { initBackend } from ${JSON.stringify(projectPath("lib/backend/mod.ts"))};
    import { WordCrfScorer } from ${JSON.stringify(projectPath("lib/model/word_crf/mod.ts"))};
    import { scoreSentences } from ${JSON.stringify(projectPath("lib/predict/score.ts"))};
    import { peakRssMB } from ${JSON.stringify(projectPath("lib/util/peak_rss.ts"))};
    import { newSmokeWordModel } from ${JSON.stringify(projectPath("tests/predict/word_model.ts"))};
    await initBackend();
    const classifier = new WordCrfScorer(newSmokeWordModel());
    const parens = (n) => Array.from({ length: n }, (_, i) => ({ text: "(", start: i, end: i + 1 }));
    const tag = async (n) => { for await (const _ of scoreSentences([parens(n)], (w) => w, { classifier })); };
    await tag(${MAX_SENTENCE_WORDS}); // a full piece, once: what any long sentence needs anyway
    const before = peakRssMB(), start = performance.now();
    await tag(20000);
    console.log(JSON.stringify({ before, peak: peakRssMB(), seconds: (performance.now() - start) / 1000 }));`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", projectPath("deno.json"), script],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(120_000),
  }).output();
  assertEquals(output.code, 0);
  const { before, peak, seconds } = JSON.parse(new TextDecoder().decode(output.stdout));
  console.log(`20,000 words: peak ${before} → ${peak} MB in ${seconds.toFixed(1)} s`);
  // Read whole, the sentence took ~30 KB per word at these sizes (+580 MB); in pieces, a few dozen MB.
  assert(peak - before < 200, `peak grew by ${peak - before} MB`);
});
