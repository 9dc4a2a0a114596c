/** Word-level tagging (evaluation, training) on the keyword model, whose right answers are known. */
import { assertEquals } from "@std/assert";
import type { Sentence } from "../../lib/bio/types.ts";
import { tagSentences } from "../../lib/predict/tag.ts";
import { keywordModel } from "./keyword_classifier.ts";

function sentence(text: string, index = 0): Sentence {
  let start = 0;
  const words = text.split(" ").filter(Boolean).map((word) => ({
    text: word,
    start,
    end: (start += word.length + 1) - 1,
  }));
  return { docId: "d1", index, start: 0, end: text.length, words, tags: [] };
}

Deno.test("tagSentences: one tag per word by the first-subword rule, across windows and batches", async () => {
  const { classifier, tokenizer, calls } = await keywordModel();
  const sentences = [
    sentence("Warfarin plus cisplatin gave chronic kidney disease and fever"),
    sentence("", 1),
    sentence("aspirin", 2),
  ];
  // 8 positions = 6 subwords per window: the first sentence needs several windows
  const tags = await tagSentences(sentences, {
    classifier,
    tokenizer,
    maxLength: 8,
    stride: 2,
    batchSize: 2,
  });
  assertEquals(tags, [
    ["B-Chemical", "O", "B-Chemical", "O", "B-Disease", "I-Disease", "I-Disease", "O", "B-Disease"],
    [],
    ["B-Chemical"],
  ]);
  assertEquals(calls.every((call) => call.batchSize <= 2 && call.seqLength <= 8), true);
});
