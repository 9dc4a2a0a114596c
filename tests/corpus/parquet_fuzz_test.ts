/**
 * Fuzzing the parquet reader (issue 20): seeded mutations of a small valid `bc5cdr_source` file (see
 * parquet_fuzz_worker.ts). Each must load documents or be refused in one line naming the file, each within a
 * time bound (the old reader spun forever on about 1 in 250 random mutations), the whole within a memory
 * bound. FUZZ_SEED and FUZZ_CASES change the run; prints the counts of loaded and refused cases by reason.
 */
import { assertEquals, assertLess } from "@std/assert";
import { formatCounts, runFuzzWorker } from "../fuzz/worker_run.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20);
const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 1500);
/** One case takes milliseconds; the spinning reader never finished. */
const CASE_LIMIT_MS = 3000;
/** The process may grow by this much over the run (a damaged size could allocate gigabytes). */
const RSS_GROWTH_LIMIT = 400e6;

interface CaseResult {
  index: number;
  mutation: string;
  /** What reading the case gave (see parquet_fuzz_worker.ts). */
  outcome:
    | { kind: "loaded"; documents: number }
    | { kind: "refused"; reason: string }
    | { kind: "failed"; error: string };
  ms: number;
}

Deno.test(`fuzz: ${CASES} mutated parquet files each load or are refused in one line`, async () => {
  const { results, rssBefore, rssPeak, seconds } = await runFuzzWorker<CaseResult>(
    new URL("./parquet_fuzz_worker.ts", import.meta.url),
    { seed: SEED, from: 0, to: CASES },
    { caseLimitMs: CASE_LIMIT_MS, seed: SEED },
  );
  const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(
    `parquet fuzz seed ${SEED}: ${results.length} cases in ${seconds.toFixed(1)} s ` +
      `(slowest ${slowest.ms.toFixed(0)} ms: case ${slowest.index}, ${slowest.mutation}), ` +
      `RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(rssPeak / 1e6).toFixed(0)} MB\n` +
      formatCounts(
        results.map(({ outcome }) =>
          outcome.kind === "refused" ? `refused: ${outcome.reason}` : outcome.kind
        ),
      ),
  );
  const failures = results.filter((r) => r.outcome.kind === "failed").slice(0, 5).map((r) =>
    `case ${r.index} (${r.mutation}): ${(r.outcome as { error: string }).error}`
  );
  assertEquals(failures, [], "cases neither loaded nor refused in one line naming the file");
  assertEquals(results.length, CASES);
  assertLess(slowest.ms, CASE_LIMIT_MS, `case ${slowest.index} (${slowest.mutation}) was too slow`);
  assertLess(rssPeak - rssBefore, RSS_GROWTH_LIMIT, "memory grew too much over the run");
});
