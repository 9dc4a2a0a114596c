/**
 * Runs a fuzz worker under a watchdog: the worker gets `message`, posts one result per case and then
 * `{done: true}`; a case that takes longer than `caseLimitMs` × 3 (a hang) rejects naming the next case, and
 * the process's RSS is sampled after every case. Shared by the fuzz tests of the weight files and of parquet.
 *
 * @module
 */

/** What a fuzz run gave: the results in order, the process's RSS before and at its peak, and the time. */
export interface FuzzRun<R> {
  results: R[];
  rssBefore: number;
  rssPeak: number;
  seconds: number;
}

/** Runs the worker module at `url` with `message` until it posts `{done: true}`. */
export async function runFuzzWorker<R extends { index: number }>(
  url: URL,
  message: unknown,
  options: { caseLimitMs: number; seed: number },
): Promise<FuzzRun<R>> {
  const worker = new Worker(url, { type: "module" });
  const rssBefore = Deno.memoryUsage().rss;
  let rssPeak = rssBefore;
  const results: R[] = [];
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      // Armed for the worker's start (a module load) and then for each case.
      const arm = (ms: number) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          const next = (results.at(-1)?.index ?? -1) + 1;
          reject(new Error(`fuzz case ${next} (seed ${options.seed}) ran past ${ms} ms: a hang`));
        }, ms);
      };
      arm(30_000);
      worker.onerror = (event) => (clearTimeout(watchdog), reject(new Error(event.message)));
      worker.onmessage = (event: MessageEvent<R | { done: true }>) => {
        if ("done" in event.data) return clearTimeout(watchdog), resolve();
        results.push(event.data);
        rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss);
        arm(options.caseLimitMs * 3);
      };
      worker.postMessage(message);
    });
  } finally {
    worker.terminate();
  }
  return { results, rssBefore, rssPeak, seconds: (performance.now() - started) / 1000 };
}

/** The counts of `keys`, most frequent first, one `  count  key` line each. */
export function formatCounts(keys: string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `  ${String(n).padStart(5)}  ${key}`)
    .join("\n");
}
