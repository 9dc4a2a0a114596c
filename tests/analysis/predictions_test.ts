/**
 * Saved predictions: computed with a model folder, saved as sentence JSONL, reused while newer than the
 * model and made for the same sentences. Uses the tiny random BERT fixture (its tags mean nothing).
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { loadOrPredict } from "../../lib/analysis/mod.ts";
import { readSentencesJsonl } from "../../lib/bio/mod.ts";

const MODEL = new URL("../../data/fixtures/model/tiny-bert/", import.meta.url).pathname;
const sentences =
  (await readSentencesJsonl(new URL("../../data/fixtures/train/test.jsonl", import.meta.url).pathname))
    .slice(0, 12);
const LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

Deno.test({
  name: "loadOrPredict predicts once, then reuses the saved file until the model changes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const modelDir = join(dir, "best");
      await Deno.mkdir(modelDir);
      for (const file of ["config.json", "model.safetensors", "vocab.txt"]) {
        await Deno.copyFile(join(MODEL, file), join(modelDir, file));
      }
      const path = join(dir, "predictions", "test.jsonl");
      const logs: string[] = [];
      const log = (message: string) => logs.push(message);

      const first = await loadOrPredict({ modelDir, sentences, path, log });
      assertEquals(first.length, sentences.length);
      first.forEach((s, i) => {
        assertEquals(s.words, sentences[i].words);
        assertEquals(s.tags.length, s.words.length);
        for (const tag of s.tags) assertEquals(LABELS.includes(tag), true, tag);
      });
      assertEquals(await readSentencesJsonl(path), first);
      assertStringIncludes(logs.at(-1)!, "tagged 12 sentences");

      const again = await loadOrPredict({ modelDir, sentences, path, log });
      assertEquals(again, first);
      assertStringIncludes(logs.at(-1)!, "reusing");

      // Other sentences: predicted again.
      await loadOrPredict({ modelDir, sentences: sentences.slice(1), path, log });
      assertStringIncludes(logs.at(-2)!, "for other sentences");
      // A newer model: predicted again.
      const later = new Date(Date.now() + 60_000);
      await Deno.utime(join(modelDir, "model.safetensors"), later, later);
      await loadOrPredict({ modelDir, sentences, path, log });
      assertStringIncludes(logs.at(-1)!, "tagged 12 sentences");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("loadOrPredict names a folder that holds no model", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => loadOrPredict({ modelDir: dir, sentences, path: join(dir, "p.jsonl"), log: () => {} }),
      Error,
      "is not a model folder",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
