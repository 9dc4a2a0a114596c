/**
 * The CRF head for BERT models (profile `model.crf: true`): the loss reads each window's labelled (first
 * subword) positions; a smoke BERT+CRF trains, saves its head beside the HF folder, and the pipeline decodes
 * whole sentences with it (tfjs only).
 */
import { assertEquals, assertGreater, assertRejects } from "@std/assert";
import { join } from "node:path";
import { labelledPositions } from "../../lib/model/bert/loss.ts";
import { CRF_HEAD_FILE } from "../../lib/model/crf/head.ts";
import { createNerPipeline } from "../../lib/predict/mod.ts";
import type { TokenBatch } from "../../lib/tokenizer/mod.ts";
import { readTrainLog, trainProfile } from "../../lib/train/mod.ts";

Deno.test("the CRF reads each window's labelled positions, in order, padded to the widest window", () => {
  const ignore = -100;
  const batch = {
    batchSize: 2,
    seqLength: 5,
    labels: Int32Array.of(ignore, 1, ignore, 2, ignore, ignore, 0, ignore, ignore, ignore),
  } as unknown as TokenBatch;
  const { rows, tags, lengths, width } = labelledPositions(batch);
  assertEquals(width, 2);
  assertEquals(lengths, [2, 1]);
  assertEquals([...rows], [1, 3, 6, 0]);
  assertEquals([...tags], [1, 2, 0, 0]);
});

Deno.test("smoke BERT + CRF: trains, saves its head, and the pipeline decodes with it", async () => {
  const outputsDir = await Deno.makeTempDir();
  const { metrics, layout } = await trainProfile({
    profile: "smoke",
    overrides: { "model.crf": true },
    outputsDir,
    quiet: true,
  });
  const steps = (await readTrainLog(layout.log)).filter((l) => l.kind === "step");
  assertGreater(steps[0].loss, steps.at(-1)!.loss * 2);
  assertGreater(metrics.best.dev!.f1, 0.5);
  await Deno.stat(join(layout.best, CRF_HEAD_FILE));
  const ner = await createNerPipeline({ model: layout.best });
  assertEquals(ner.runtimeReason, `CRF head (${CRF_HEAD_FILE}): tfjs`);
  const text = "Naloxone reverses the antihypertensive effect of clonidine.";
  for (const entity of await ner(text)) assertEquals(text.slice(entity.start, entity.end), entity.text);
  ner.dispose();
  await assertRejects(() => createNerPipeline({ model: layout.best, runtime: "onnx" }), Error, "tfjs only");
});
