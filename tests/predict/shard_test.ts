/** Shards: `i/n` and the job runners' environments (Slurm arrays, Kubernetes Indexed Jobs); ranges that tile. */
import { assertEquals, assertThrows } from "@std/assert";
import { parseShard, shardFromEnvironment, shardRange, subShard } from "../../lib/predict/shard.ts";

Deno.test("i/n, env and env/n; bad values name the problem", () => {
  assertEquals(parseShard("2/8", {}), { index: 2, count: 8 });
  assertEquals(parseShard("env/8", { JOB_COMPLETION_INDEX: "3" }), { index: 3, count: 8 });
  assertEquals(parseShard("env", { JOB_COMPLETION_INDEX: "3", NER_SHARD_COUNT: "5" }), {
    index: 3,
    count: 5,
  });
  assertThrows(() => parseShard("3/2", {}), Error, "--shard must be i/n");
  assertThrows(() => parseShard("env", {}), Error, "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX");
  assertThrows(() => parseShard("env", { JOB_COMPLETION_INDEX: "3" }), Error, "NER_SHARD_COUNT must be");
  assertThrows(
    () => parseShard("env/3", { JOB_COMPLETION_INDEX: "3" }),
    Error,
    "not below the shard count 3",
  );
});

Deno.test("Slurm arrays: 0-based, 1-based and stepped arrays map to 0…count-1; sparse arrays are refused", () => {
  const slurm = (id: number, min: number, count: number, step?: number) =>
    shardFromEnvironment({
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_MIN: String(min),
      SLURM_ARRAY_TASK_COUNT: String(count),
      ...(step === undefined ? {} : { SLURM_ARRAY_TASK_STEP: String(step) }),
    });
  assertEquals(slurm(0, 0, 4), { index: 0, count: 4 });
  assertEquals(slurm(8, 1, 8), { index: 7, count: 8 });
  assertEquals(slurm(6, 0, 4, 2), { index: 3, count: 4 }); // --array=0-6:2
  assertThrows(() => slurm(9, 1, 3), Error, "not in a contiguous Slurm array"); // --array=1,2,9
  assertThrows(
    () => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "4" }, 8),
    Error,
    "the Slurm array has 4 tasks",
  );
});

Deno.test("shard ranges are whole blocks and tile the input in order, for any count; sub-shards tile their shard", () => {
  for (const documents of [0, 1, 31, 32, 33, 500, 1000]) {
    for (const count of [1, 2, 3, 4, 7, 40]) {
      const ranges = Array.from({ length: count }, (_, index) => shardRange({ index, count }, documents, 32));
      let next = 0;
      for (const { start, end } of ranges) {
        assertEquals(start, next);
        assertEquals(start % 32 === 0 || start === documents, true);
        next = end;
      }
      assertEquals(next, documents);
      const shard = { index: count - 1, count };
      const sub = Array.from({ length: 3 }, (_, w) => shardRange(subShard(shard, w, 3), documents, 32));
      const whole = shardRange(shard, documents, 32);
      assertEquals([sub[0].start, sub[2].end], [whole.start, whole.end]);
      assertEquals([sub[0].end, sub[1].end], [sub[1].start, sub[2].start]);
    }
  }
});
