/**
 * The inference Worker of {@link createWorkerRecognizer} (lib/web/worker_recognizer.ts): it owns the tfjs
 * backend (the native binding allows one owning isolate per process — this one) and the model, so a forward
 * pass never blocks the server's event loop. Messages in: `{ init }`, `{ id, text, aggregation }`,
 * `{ cancel: id, reason }`, `{ close }`; out: `{ ready, backend, runtime, runtimeReason, labels, reportedTypes }`, `{ id, entities }`, `{ id, error }`,
 * `{ closed }` (the model released: the process may exit).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { createNerPipeline, type NerPipeline } from "../predict/pipeline.ts";
import type { WorkerReply, WorkerRequest } from "./worker_recognizer.ts";

let ner: NerPipeline | undefined;
const running = new Map<number, AbortController>();

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

function errorReply(id: number, error: unknown): WorkerReply {
  const { name = "Error", message = String(error) } = (error ?? {}) as Error;
  return { id, error: { name, message } };
}

self.onmessage = async ({ data }: MessageEvent<WorkerRequest>) => {
  if ("init" in data) {
    try {
      ner = await createNerPipeline(data.init);
      reply({
        ready: true,
        backend: ner.backend ?? "in-memory",
        runtime: ner.runtime ?? "in-memory",
        runtimeReason: ner.runtimeReason ?? "a model given in memory",
        labels: [...ner.labels],
        reportedTypes: ner.reportedTypes,
      });
    } catch (error) {
      reply(errorReply(-1, error));
    }
  } else if ("close" in data) {
    for (const controller of running.values()) controller.abort(new DOMException("closing", "AbortError"));
    ner?.dispose();
    ner = undefined;
    // Not self.close(): the process exits next, and must not race this isolate's teardown (worker_recognizer.ts).
    reply({ closed: true });
  } else if ("cancel" in data) {
    running.get(data.cancel)?.abort(new DOMException(data.reason.message, data.reason.name));
  } else {
    const controller = new AbortController();
    running.set(data.id, controller);
    try {
      const entities = await ner!(data.text, { aggregation: data.aggregation, signal: controller.signal });
      reply({ id: data.id, entities });
    } catch (error) {
      reply(errorReply(data.id, error));
    } finally {
      running.delete(data.id);
    }
  }
};
