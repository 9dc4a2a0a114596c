/**
 * A bounded load test on 127.0.0.1: 1,000 requests, 8 at a time, must all succeed; prints the latency
 * percentiles. The keyword model keeps the figures about the server and the pipeline, not a network.
 */
import { assertEquals } from "@std/assert";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { startKeywordApp } from "./helpers.ts";

const REQUESTS = 1000;
const CONCURRENCY = 8;

/** The q-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

Deno.test(`load: ${REQUESTS} requests, ${CONCURRENCY} concurrent, zero errors`, async () => {
  const app = await startKeywordApp();
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < REQUESTS) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${app.url}/api/ner`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: EXAMPLE_SENTENCES[i % EXAMPLE_SENTENCES.length] }),
      });
      const body = await response.json();
      latencies.push(performance.now() - started);
      if (response.status !== 200 || !Array.isArray(body.entities)) {
        failures.push(`${response.status} ${body.error}`);
      }
    }
  }
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await app.close();
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    errors: failures.length,
    p50Ms: Number(quantile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(quantile(latencies, 0.99).toFixed(2)),
    requestsPerS: Math.round(REQUESTS / seconds),
  }));
  assertEquals(failures, []);
  assertEquals(latencies.length, REQUESTS);
});
