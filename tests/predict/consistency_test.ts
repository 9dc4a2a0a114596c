/**
 * The consistency rules on a word-level model's scored words (the pipeline's path): labels change by id, and a
 * label set the rules cannot write into is a clear error (before: ner failed with "Cannot read properties of
 * undefined (reading 'startsWith')" on a model without "O").
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tokenizeWords } from "../../lib/bio/words.ts";
import { consistentTokens } from "../../lib/predict/consistency.ts";
import type { ScoredToken } from "../../lib/predict/types.ts";

/** One token per word, decoded as `labelIds`, scores one-hot-ish so a changed word's score is readable. */
function scoredWords(text: string, labelIds: number[], labelCount: number) {
  const words = tokenizeWords(text);
  const tokens: ScoredToken[] = words.map((word, i) => ({
    token: word.text,
    wordId: i,
    start: word.start,
    end: word.end,
    scores: Float32Array.from({ length: labelCount }, (_, j) => (j + 1) / 10),
    labelId: labelIds[i],
  }));
  return { words, tokens };
}

Deno.test("consistentTokens: the rules' new labels come back as ids of the model's labels", () => {
  const labels = ["O", "B-Chemical", "I-Chemical"];
  const first = scoredWords("aspirin helps", [1, 0], 3), second = scoredWords("take aspirin", [0, 0], 3);
  const result = consistentTokens([first.words, second.words], [first.tokens, second.tokens], labels, {
    propagation: true,
  });
  assertEquals(result.map((row) => row.map((token) => token.labelId)), [[1, 0], [0, 1]]);
  assertEquals(result[1][1].scores[1], second.tokens[1].scores[1]);
});

Deno.test("consistentTokens: a label set without the tags the rules write is a clear error", () => {
  const labels = ["B-Chemical", "I-Chemical"]; // no "O": lib/bio/labels.ts refuses it where models load
  // "mean arterial pressure (" is one entity, so the long form is none and the entity MAP is cleared to O.
  const { words, tokens } = scoredWords("mean arterial pressure ( MAP ) rose", [0, 1, 1, 1, 0, 0, 0], 2);
  assertThrows(
    () => consistentTokens([words], [tokens], labels, { abbreviations: true }),
    Error,
    'the consistency rules wrote "O", not in the labels',
  );
});
