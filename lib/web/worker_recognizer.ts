/**
 * A {@link Recognizer} whose model runs in a Worker (lib/web/inference_worker.ts): inference blocks that
 * Worker's thread, not the server's event loop, so `/healthz`, refusals and the page are answered at once
 * while a request is being worked on. The calling isolate must not initialise a tfjs backend itself (the
 * native binding belongs to one isolate per process: here, the Worker).
 *
 * @module
 */
import type { NerPipelineOptions } from "../predict/pipeline.ts";
import type { AggregationStrategy, Entity, Recognizer } from "../predict/types.ts";

/** Messages to the inference Worker. */
export type WorkerRequest =
  | { init: NerPipelineOptions & { model: string } }
  | { id: number; text: string; aggregation?: AggregationStrategy }
  | { cancel: number; reason: { name: string; message: string } };

/** Messages from the inference Worker. */
export type WorkerReply =
  | { ready: true; backend: string; runtime: string; runtimeReason: string }
  | { id: number; entities: Entity[] }
  | { id: number; error: { name: string; message: string } };

/** A recognizer running in a Worker. */
export interface WorkerRecognizer {
  recognize: Recognizer;
  /** The tfjs backend the Worker runs on ("onnx" on ONNX Runtime). */
  backend: string;
  /** The runtime the Worker's pipeline scores with, and why (lib/predict/runtime.ts). */
  runtime: string;
  runtimeReason: string;
  /** Stops the Worker. */
  dispose(): void;
}

/**
 * Starts a Worker that loads the model folder `options.model` and answers recognize calls. A call's
 * `signal` aborting cancels it in the Worker (between batches), and the call rejects with its reason.
 *
 * @example
 * ```ts
 * const ner = await createWorkerRecognizer({ model: "outputs/cpu-small/best" });
 * const entities = await ner.recognize("Cisplatin-induced nephrotoxicity.");
 * ner.dispose();
 * ```
 */
export async function createWorkerRecognizer(
  options: NerPipelineOptions & { model: string },
): Promise<WorkerRecognizer> {
  const worker = new Worker(new URL("./inference_worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, PromiseWithResolvers<Entity[]>>();
  const ready = Promise.withResolvers<{ backend: string; runtime: string; runtimeReason: string }>();
  worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
    if ("ready" in data) return ready.resolve(data);
    const call = data.id === -1 ? ready : pending.get(data.id);
    if ("error" in data) {
      call?.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
    } else (call as PromiseWithResolvers<Entity[]>)?.resolve(data.entities);
    pending.delete(data.id);
  };
  /** Set once the Worker died: later calls fail at once instead of waiting forever. */
  let failure: Error | undefined;
  worker.onerror = (event) => {
    event.preventDefault();
    const error = failure = new Error(`inference worker failed: ${event.message}`);
    ready.reject(error);
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.postMessage({ init: options } satisfies WorkerRequest);
  let loaded: { backend: string; runtime: string; runtimeReason: string };
  try {
    loaded = await ready.promise;
  } catch (error) {
    worker.terminate();
    throw error;
  }
  let nextId = 0;
  const recognize: Recognizer = (text, callOptions = {}) => {
    const { signal } = callOptions;
    if (failure) return Promise.reject(failure);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = nextId++;
    const call = Promise.withResolvers<Entity[]>();
    pending.set(id, call);
    // The Worker stops at its next batch and answers with the reason: the slot is free only then.
    const onAbort = () => {
      const { name = "AbortError", message = "aborted" } = (signal!.reason ?? {}) as Error;
      worker.postMessage({ cancel: id, reason: { name, message } } satisfies WorkerRequest);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.postMessage({ id, text, aggregation: callOptions.aggregation } satisfies WorkerRequest);
    return call.promise.finally(() => signal?.removeEventListener("abort", onAbort));
  };
  const { backend, runtime, runtimeReason } = loaded;
  return { recognize, backend, runtime, runtimeReason, dispose: () => worker.terminate() };
}
