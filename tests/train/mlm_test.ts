import { assert, assertEquals, assertGreater, assertLess } from "@std/assert";
import { join } from "node:path";
import { frequentTokens, maskWindows } from "../../lib/train/pretraining/mlm.ts";
import { SeededRandom } from "../../lib/util/random.ts";
import { trainProfile } from "../../lib/train/mod.ts";
import { type EncodedWindow, IGNORE_INDEX } from "../../lib/tokenizer/mod.ts";

/** A window of `ids` between [CLS] (2) and [SEP] (3), one word per token. */
function window(ids: number[]): EncodedWindow {
  return {
    inputIds: [2, ...ids, 3],
    tokens: ["[CLS]", ...ids.map(String), "[SEP]"],
    wordIds: [null, ...ids.map((_, i) => i), null],
    offsets: [[0, 0], ...ids.map((_, i): [number, number] => [i, i + 1]), [0, 0]],
    wordStart: 0,
    wordEnd: ids.length,
    ownedStart: 0,
    ownedEnd: ids.length,
  };
}

Deno.test("frequentTokens: most frequent WordPieces first, special tokens never counted", () => {
  const windows = [window([7, 8, 8, 9]), window([8, 9, 10])];
  assertEquals(frequentTokens(windows, 2), [8, 9]);
  assertEquals(frequentTokens(windows, 10), [8, 9, 7, 10]);
});

Deno.test("maskWindows: ~15 % of word positions, BERT's 80/10/10 corruption, labels only where masked", () => {
  const ids = Array.from({ length: 2000 }, (_, i) => 10 + (i % 50));
  const classOf = new Map(Array.from({ length: 25 }, (_, k) => [10 + k, k])); // ids 10..34 are predicted
  const original = window(ids);
  const [masked] = maskWindows([original], {
    classOf,
    maskId: 4,
    vocabSize: 100,
    maskProbability: 0.15,
    rng: new SeededRandom(1),
  });
  const labels = masked.labels!;
  assertEquals([labels[0], labels.at(-1)], [IGNORE_INDEX, IGNORE_INDEX]);
  assertEquals([masked.inputIds[0], masked.inputIds.at(-1)], [2, 3]);
  let chosen = 0, toMask = 0, kept = 0;
  masked.inputIds.forEach((id, t) => {
    const changed = id !== original.inputIds[t];
    if (labels[t] !== IGNORE_INDEX) {
      assertEquals(labels[t], classOf.get(original.inputIds[t]));
      chosen++;
      if (id === 4) toMask++;
      else if (!changed) kept++;
    } else if (!classOf.has(original.inputIds[t])) {
      // Rare WordPieces may be corrupted but never carry a label; predicted ones are untouched when unlabelled.
    } else assert(!changed, `position ${t} changed without a label`);
  });
  const share = chosen / (ids.length / 2); // half of the positions hold a predicted id
  assertGreater(share, 0.11);
  assertLess(share, 0.19);
  assertGreater(toMask / chosen, 0.7);
  assertLess(kept / chosen, 0.2);
  // Seeded: the same seed masks the same way.
  const [again] = maskWindows([original], {
    classOf,
    maskId: 4,
    vocabSize: 100,
    maskProbability: 0.15,
    rng: new SeededRandom(1),
  });
  assertEquals(again, masked);
});

Deno.test("a profile with MLM pretraining saves the pretrained start, and --resume reuses it", async () => {
  const outputsDir = await Deno.makeTempDir();
  const overrides = {
    epochs: 1,
    pretraining: { epochs: 1, learningRate: 0.003, warmupRatio: 0.1, batchSize: 16, topTokens: 50 },
  };
  const { layout, metrics } = await trainProfile({ profile: "smoke", overrides, outputsDir, quiet: true });
  assert((await Deno.stat(join(layout.pretrained, "model.safetensors"))).isFile);
  assertEquals(metrics.steps, 10);
  const pretrainedAt = (await Deno.stat(join(layout.pretrained, "model.safetensors"))).mtime;
  await trainProfile({ profile: "smoke", overrides, outputsDir, quiet: true, resume: true });
  assertEquals((await Deno.stat(join(layout.pretrained, "model.safetensors"))).mtime, pretrainedAt);
});
