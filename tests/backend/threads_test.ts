/** Thread counts: what each backend computes with, and the batch jobs' one-thread default. */
import { assertEquals } from "@std/assert";
import { backendThreads, batchJobThreads, INTRA_OP_THREADS_ENV } from "../../lib/backend/threads.ts";

Deno.test("backendThreads: TensorFlow's intra-op setting or one per core; 1 for wasm and cpu; null for webgpu", () => {
  assertEquals(backendThreads("native", { [INTRA_OP_THREADS_ENV]: "3" }), 3);
  assertEquals(backendThreads("native", {}), navigator.hardwareConcurrency);
  assertEquals(backendThreads("wasm", { [INTRA_OP_THREADS_ENV]: "3" }), 1);
  assertEquals(backendThreads("cpu", {}), 1);
  assertEquals(backendThreads("webgpu", {}), null);
});

Deno.test("batchJobThreads: one thread unless TF_NUM_INTRAOP_THREADS is set", () => {
  const saved = Deno.env.get(INTRA_OP_THREADS_ENV);
  try {
    Deno.env.delete(INTRA_OP_THREADS_ENV);
    assertEquals(batchJobThreads(), 1);
    assertEquals(Deno.env.get(INTRA_OP_THREADS_ENV), "1");
    Deno.env.set(INTRA_OP_THREADS_ENV, "4");
    assertEquals(batchJobThreads(), 4);
    assertEquals(Deno.env.get(INTRA_OP_THREADS_ENV), "4");
  } finally {
    if (saved === undefined) Deno.env.delete(INTRA_OP_THREADS_ENV);
    else Deno.env.set(INTRA_OP_THREADS_ENV, saved);
  }
});
