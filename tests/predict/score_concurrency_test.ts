/**
 * A word-level model that scores several batches at once (`concurrency`, ONNX Runtime's word-level path): the
 * pipeline keeps that many batches in flight, never more, and every word gets its own batch's result whatever
 * order the batches finish in; a batch that fails stops the job with its error, no unhandled rejection.
 */
import { assertEquals, assertRejects } from "@std/assert";
import type { Word } from "../../lib/bio/types.ts";
import type { ScoredWords, WordLevelModel } from "../../lib/model/types.ts";
import { scoreSentences } from "../../lib/predict/score.ts";

/** Sentences of 1..40 words; each word's text is its sentence's number. */
const SENTENCES: Word[][] = Array.from(
  { length: 90 },
  (_, i) => Array.from({ length: 1 + (i * 7) % 40 }, (_, w) => ({ text: String(i), start: w, end: w + 1 })),
);

/**
 * A model that labels each word with its text's number, finishing batches out of order (later batches sooner),
 * and records the most batches it had in flight; `failAt`: that call rejects.
 */
function slowModel(concurrency: number, failAt?: number) {
  let running = 0, calls = 0;
  const model: WordLevelModel & { mostInFlight: number } = {
    kind: "word-crf",
    config: { id2label: {}, label2id: {} },
    concurrency,
    mostInFlight: 0,
    async scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
      const call = calls++;
      model.mostInFlight = Math.max(model.mostInFlight, ++running);
      await new Promise((resolve) => setTimeout(resolve, 30 - (call % 3) * 10));
      running--;
      if (call === failAt) throw new Error(`batch ${call} failed`);
      return sentences.map((words) => ({
        labelIds: words.map(Number),
        scores: words.map(() => new Float32Array(1)),
      }));
    },
    dispose() {},
  };
  return model;
}

for (const concurrency of [1, 3]) {
  Deno.test(`word-level scoring with ${concurrency} batch(es) in flight: each word gets its batch's result`, async () => {
    const model = slowModel(concurrency);
    const results = [];
    for await (
      const { item, tokens } of scoreSentences(SENTENCES, (words) => words, {
        classifier: model,
        batchSize: 8,
        poolBatches: 4,
      })
    ) results.push({ item, labels: tokens.map((token) => token.labelId) });
    assertEquals(results.map((r) => r.item), SENTENCES);
    results.forEach(({ item, labels }) => assertEquals(labels, item.map((word) => Number(word.text))));
    assertEquals(model.mostInFlight, concurrency);
  });
}

Deno.test("a batch that fails while others are in flight stops the job with its error", async () => {
  const model = slowModel(3, 2);
  await assertRejects(
    async () => {
      for await (
        const _ of scoreSentences(SENTENCES, (words) => words, { classifier: model, batchSize: 8 })
      ) {
        // consumed
      }
    },
    Error,
    "batch 2 failed",
  );
  await new Promise((resolve) => setTimeout(resolve, 100)); // the others settle: none unhandled
});
