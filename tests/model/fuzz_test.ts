/**
 * Fuzzing the weight-file loaders (issue 11): thousands of mutated copies of the committed tiny model's
 * checkpoints (see fuzz_cases.ts). Each must be refused with a one-line ModelFileError or load well-formed
 * finite tensors, each within a time bound, the whole within a memory bound. Seeded: FUZZ_SEED and
 * FUZZ_CASES change the run; a failure names its case index and mutation. Prints the counts by outcome.
 */
import { assertEquals, assertLess } from "@std/assert";
import { BASES, type FuzzOutcome } from "./fuzz_cases.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 11);
const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 3000);
/** One case may take this long (they take milliseconds; a loop or a quadratic build takes far longer). */
const CASE_LIMIT_MS = 3000;
/** The process may grow by this much over the run (a stride-0 view or a zip bomb would take gigabytes). */
const RSS_GROWTH_LIMIT = 400e6;

interface CaseResult {
  index: number;
  base: number;
  mutation: string;
  outcome: FuzzOutcome;
  ms: number;
}

Deno.test(`fuzz: ${CASES} mutated checkpoints are each refused clearly or load finite tensors`, async () => {
  const worker = new Worker(new URL("./fuzz_worker.ts", import.meta.url), { type: "module" });
  const rssBefore = Deno.memoryUsage().rss;
  let rssPeak = rssBefore;
  const results: CaseResult[] = [];
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      // Armed for the worker's start (a module load) and then for each case.
      const arm = (ms: number) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          const next = (results.at(-1)?.index ?? -1) + 1;
          reject(new Error(`fuzz case ${next} (seed ${SEED}) ran past ${ms} ms: a hang`));
        }, ms);
      };
      arm(30_000);
      worker.onerror = (event) => (clearTimeout(watchdog), reject(new Error(event.message)));
      worker.onmessage = (event: MessageEvent<CaseResult | { done: true }>) => {
        if ("done" in event.data) return clearTimeout(watchdog), resolve();
        results.push(event.data);
        rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss);
        arm(CASE_LIMIT_MS * 3);
      };
      worker.postMessage({ seed: SEED, from: 0, to: CASES });
    });
  } finally {
    worker.terminate();
  }
  const seconds = (performance.now() - started) / 1000;

  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const { outcome } of results) {
    count(outcome.kind === "refused" ? `refused: ${outcome.reason}` : outcome.kind);
  }
  const perBase = BASES.map((base, i) => `${base.path} ${results.filter((r) => r.base === i).length}`);
  const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(
    `fuzz seed ${SEED}: ${results.length} cases in ${seconds.toFixed(1)} s ` +
      `(slowest ${slowest.ms.toFixed(0)} ms: case ${slowest.index}, ${slowest.mutation}), ` +
      `RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(rssPeak / 1e6).toFixed(0)} MB\n` +
      `  cases per base: ${perBase.join(", ")}\n` +
      [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `  ${String(n).padStart(5)}  ${key}`).join(
        "\n",
      ),
  );

  const failures = results.filter((r) => r.outcome.kind === "failed").slice(0, 5).map((r) =>
    `case ${r.index} (${BASES[r.base].path}, ${r.mutation}): ${(r.outcome as { error: string }).error}`
  );
  assertEquals(failures, [], "cases neither refused with a ModelFileError nor loaded finite tensors");
  assertEquals(results.length, CASES);
  assertLess(slowest.ms, CASE_LIMIT_MS, `case ${slowest.index} (${slowest.mutation}) was too slow`);
  assertLess(rssPeak - rssBefore, RSS_GROWTH_LIMIT, "memory grew too much over the run");
});
