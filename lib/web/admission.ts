/**
 * Admission control for inference: at most `concurrency` requests work at once and at most `queueLength`
 * wait; beyond that a request is refused at once (503 with Retry-After) instead of slowing every request
 * down until all of them time out.
 *
 * @module
 */

/** The server is at capacity: retry after `retryAfterS` seconds. */
export class OverloadedError extends Error {
  constructor(message: string, readonly retryAfterS: number) {
    super(message);
    this.name = "OverloadedError";
  }
}

/** Options of {@link WorkLimiter}. */
export interface WorkLimiterOptions {
  /** Requests working at once. */
  concurrency: number;
  /** Requests waiting for a slot; one more is refused. */
  queueLength: number;
  /** Longest wait for a slot before the request is refused. */
  queueTimeoutMs: number;
}

/** A bounded pool of work slots with a bounded FIFO queue in front. */
export class WorkLimiter {
  readonly options: WorkLimiterOptions;
  #running = 0;
  #waiting: (() => void)[] = [];
  /** Mean work time (exponential average), for Retry-After. */
  #meanWorkMs = 100;

  constructor(options: WorkLimiterOptions) {
    this.options = options;
  }

  /** Requests working and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /** Seconds after which a refused request may find a slot: the queue's expected drain time. */
  #retryAfterS(): number {
    const ahead = this.#running + this.#waiting.length;
    return Math.max(1, Math.ceil((ahead * this.#meanWorkMs) / this.options.concurrency / 1000));
  }

  /**
   * Runs `work` in a slot once one is free. Throws {@link OverloadedError} when the queue is full or the wait
   * exceeds `queueTimeoutMs`, and `signal`'s reason when it aborts while waiting (the request left).
   *
   * @example
   * ```ts
   * declare const recognize: any, text: any, request: any; // the example's inputs
   * const limiter = new WorkLimiter({ concurrency: 1, queueLength: 8, queueTimeoutMs: 5000 });
   * const entities = await limiter.run(() => recognize(text), request.signal);
   * ```
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#running >= this.options.concurrency) await this.#wait(signal);
    else this.#running++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#meanWorkMs = 0.8 * this.#meanWorkMs + 0.2 * (performance.now() - started);
      const next = this.#waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.#running--;
    }
  }

  /** Waits in the queue until a finishing request hands over its slot. */
  #wait(signal?: AbortSignal): Promise<void> {
    const { queueLength, queueTimeoutMs } = this.options;
    if (this.#waiting.length >= queueLength) {
      throw new OverloadedError(
        `server busy: ${this.#running} requests working and ${queueLength} waiting; retry later`,
        this.#retryAfterS(),
      );
    }
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const leave = (error: Error) => {
      const index = this.#waiting.indexOf(enter);
      if (index < 0) return; // already handed a slot
      this.#waiting.splice(index, 1);
      cleanup();
      reject(error);
    };
    const onAbort = () => leave(signal!.reason);
    const timer = setTimeout(() =>
      leave(
        new OverloadedError(
          `server busy: no inference slot became free within ${queueTimeoutMs} ms; retry later`,
          this.#retryAfterS(),
        ),
      ), queueTimeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const enter = () => {
      cleanup();
      resolve();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#waiting.push(enter);
    return promise;
  }
}
