/**
 * Fuzzing the weight-file loaders (issue 11): thousands of mutated copies of the committed tiny model's
 * checkpoints (see fuzz_cases.ts). Each must be refused with a one-line ModelFileError or load well-formed
 * finite tensors, each within a time bound, the whole within a memory bound. Seeded: FUZZ_SEED and
 * FUZZ_CASES change the run; a failure names its case index and mutation. Prints the counts by outcome.
 */
import { assertEquals, assertLess } from "@std/assert";
import { BASES, type FuzzOutcome } from "./fuzz_cases.ts";
import { formatCounts, runFuzzWorker } from "../fuzz/worker_run.ts";

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
  const { results, rssBefore, rssPeak, seconds } = await runFuzzWorker<CaseResult>(
    new URL("./fuzz_worker.ts", import.meta.url),
    { seed: SEED, from: 0, to: CASES },
    { caseLimitMs: CASE_LIMIT_MS, seed: SEED },
  );

  const perBase = BASES.map((base, i) => `${base.path} ${results.filter((r) => r.base === i).length}`);
  const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(
    `fuzz seed ${SEED}: ${results.length} cases in ${seconds.toFixed(1)} s ` +
      `(slowest ${slowest.ms.toFixed(0)} ms: case ${slowest.index}, ${slowest.mutation}), ` +
      `RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(rssPeak / 1e6).toFixed(0)} MB\n` +
      `  cases per base: ${perBase.join(", ")}\n` +
      formatCounts(
        results.map(({ outcome }) =>
          outcome.kind === "refused" ? `refused: ${outcome.reason}` : outcome.kind
        ),
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
