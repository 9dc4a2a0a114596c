/**
 * The serve CLI's Worker-backed recognizer: answers like the pipeline, cancels between batches when the
 * call's signal aborts (the call rejects with the signal's reason), and keeps serving afterwards.
 */
import { assertEquals, assertGreater, assertRejects } from "@std/assert";
import { join } from "node:path";
import { createWorkerRecognizer } from "../../lib/web/worker_recognizer.ts";
import { finishTraining, spawnSmokeTraining } from "../train/train_cli.ts";

Deno.test("worker recognizer: entities, cancellation by the call's signal, and serving on", async () => {
  const outputs = await Deno.makeTempDir();
  const trained = await finishTraining(spawnSmokeTraining({ outputs, overrides: ["epochs=2"] }));
  assertEquals(trained.code, 0, trained.stderr);
  const ner = await createWorkerRecognizer({ model: join(outputs, "smoke", "best"), batchSize: 1 });
  try {
    const text = "Cisplatin caused nephrotoxicity in rats. ";
    const entities = await ner.recognize(text);
    for (const entity of entities) assertEquals(text.slice(entity.start, entity.end), entity.text);
    const error = await assertRejects(() =>
      ner.recognize(text.repeat(200), { signal: AbortSignal.timeout(5) })
    );
    assertEquals((error as Error).name, "TimeoutError");
    const gone = new AbortController();
    const call = ner.recognize(text.repeat(200), { signal: gone.signal });
    gone.abort(new DOMException("the client left", "AbortError"));
    assertEquals((await call.catch((e) => e)).name, "AbortError");
    assertEquals(await ner.recognize(text), entities);
    assertGreater(ner.backend.length, 0);
  } finally {
    await ner.close();
    ner.terminate();
  }
});
