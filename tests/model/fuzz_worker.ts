/**
 * Runs fuzz cases off the test's thread, so that a case that hangs can be stopped (the worker terminated)
 * and named. Receives `{seed, from, to}`; posts `{index, base, mutation, outcome, ms}` per case, then
 * `{done: true}`.
 *
 * @module
 */
import { fuzzCase, loadBases, readCase } from "./fuzz_cases.ts";

// Not awaited at the top: a message that arrives during a top-level await would find no handler.
const loading = loadBases();
self.onmessage = async (event: MessageEvent<{ seed: number; from: number; to: number }>) => {
  const { seed, from, to } = event.data;
  const bases = await loading;
  for (let index = from; index < to; index++) {
    const { base, mutation, bytes } = fuzzCase(bases, seed, index);
    const started = performance.now();
    const outcome = await readCase(bytes, base);
    self.postMessage({ index, base, mutation, outcome, ms: performance.now() - started });
  }
  self.postMessage({ done: true });
};
