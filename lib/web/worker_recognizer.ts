/**
 * A {@link Recognizer} whose model runs in a Worker (lib/web/inference_worker.ts): inference blocks that
 * Worker's thread, not the server's event loop, so `/healthz`, refusals and the page are answered at once
 * while a request is being worked on. The calling isolate must not initialise a tfjs backend itself (the
 * native binding belongs to one isolate per process: here, the Worker).
 *
 * @module
 */
import type { ReportedTypes } from "../bio/reported_types.ts";
import type { NerPipelineOptions } from "../predict/pipeline.ts";
import type { AggregationStrategy, Entity, Recognizer } from "../predict/types.ts";

/** How long {@link WorkerRecognizer.close} waits for the Worker to release its backend. */
export const CLOSE_TIMEOUT_MS = 10_000;

/** Messages to the inference Worker. */
export type WorkerRequest =
  | { init: NerPipelineOptions & { model: string } }
  | { id: number; text: string; aggregation?: AggregationStrategy }
  | { cancel: number; reason: { name: string; message: string } }
  | { close: true };

/** Messages from the inference Worker. */
export type WorkerReply =
  | {
    ready: true;
    backend: string;
    runtime: string;
    runtimeReason: string;
    labels: string[];
    reportedTypes: ReportedTypes | undefined;
  }
  | { closed: true }
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
  /** The model's labels in id order (`NerPipeline.labels`). */
  labels: readonly string[];
  /** Types its entities report as others (`NerPipeline.reportedTypes`). */
  reportedTypes: ReportedTypes | undefined;
  /** Why calls fail at once now (the Worker died, or was closed), or undefined while it serves. */
  unavailable(): string | undefined;
  /**
   * Releases the model in the Worker; resolves once it has (at most {@link CLOSE_TIMEOUT_MS} later). The
   * Worker itself stays, idle, for the process's exit to end: see {@link WorkerRecognizer.terminate}.
   */
  close(): Promise<void>;
  /**
   * Tears the Worker's isolate down, for a process that goes on running. Never right before an exit: the
   * teardown runs on the Worker's thread after this returns, and unloads the libraries its backend probe
   * loaded (the WebGPU probe's GL driver, mesa's swrast_dri.so) while `exit()` may be calling their exit
   * handlers on the main thread — a SIGSEGV in `__run_exit_handlers` (`serve` crashed so in ~1 of 20 stops).
   */
  terminate(): void;
}

/**
 * Starts a Worker that loads the model folder `options.model` and answers recognize calls. A call's
 * `signal` aborting cancels it in the Worker (between batches), and the call rejects with its reason.
 *
 * @example
 * ```ts
 * const ner = await createWorkerRecognizer({ model: "outputs/cpu-small/best" });
 * const entities = await ner.recognize("Cisplatin-induced nephrotoxicity.");
 * await ner.close();
 * ```
 */
export async function createWorkerRecognizer(
  options: NerPipelineOptions & { model: string },
): Promise<WorkerRecognizer> {
  const worker = new Worker(new URL("./inference_worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, PromiseWithResolvers<Entity[]>>();
  type Loaded = Omit<Extract<WorkerReply, { ready: true }>, "ready">;
  const ready = Promise.withResolvers<Loaded>();
  const closed = Promise.withResolvers<void>();
  worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
    if ("ready" in data) return ready.resolve(data);
    if ("closed" in data) return closed.resolve();
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
    closed.resolve();
  };
  worker.postMessage({ init: options } satisfies WorkerRequest);
  let loaded: Loaded;
  try {
    loaded = await ready.promise;
  } catch (error) {
    // Not terminated: the caller is likely to exit now (see terminate). The Worker holds nothing.
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
  const close = async () => {
    if (failure) return;
    failure = new Error("inference worker closed");
    worker.postMessage({ close: true } satisfies WorkerRequest);
    const timeout = Promise.withResolvers<void>();
    const timer = setTimeout(timeout.resolve, CLOSE_TIMEOUT_MS);
    await Promise.race([closed.promise, timeout.promise]);
    clearTimeout(timer);
  };
  const terminate = () => {
    failure ??= new Error("inference worker terminated");
    worker.terminate();
  };
  const { backend, runtime, runtimeReason, labels, reportedTypes } = loaded;
  return {
    recognize,
    backend,
    runtime,
    runtimeReason,
    labels,
    reportedTypes,
    close,
    terminate,
    unavailable: () => failure?.message,
  };
}
