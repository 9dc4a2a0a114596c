import { assertEquals } from "@std/assert";
import { fixMmapThreshold, TRAINING_MMAP_THRESHOLD } from "../../lib/util/malloc.ts";

const PROBE = new URL("./malloc_probe.ts", import.meta.url).pathname;

/** Runs the probe in a fresh process (this one's heap holds whatever earlier tests left in it). */
async function probe(fix: boolean): Promise<{ applied: number | null; mmapped: boolean }> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PROBE, ...(fix ? ["--fix"] : [])],
    // Without the variable a user may have set: it would decide the outcome for glibc and for the probe.
    clearEnv: true,
    env: Object.fromEntries(
      Object.entries(Deno.env.toObject()).filter(([name]) => name !== "MALLOC_MMAP_THRESHOLD_"),
    ),
    stdout: "piped",
  }).output();
  assertEquals(success, true);
  return JSON.parse(new TextDecoder().decode(stdout));
}

const glibc = Deno.build.os === "linux";

Deno.test("fixMmapThreshold: a freed 20 MB block no longer pulls 5 MB blocks into the heap", {
  ignore: !glibc,
}, async () => {
  // The control: glibc's default raises its threshold past 5 MB after the free, so the block is not mapped.
  assertEquals(await probe(false), { applied: null, mmapped: false });
  assertEquals(await probe(true), { applied: TRAINING_MMAP_THRESHOLD, mmapped: true });
});

Deno.test("fixMmapThreshold: later calls report the first outcome and change nothing", {
  ignore: !glibc || Deno.env.get("MALLOC_MMAP_THRESHOLD_") !== undefined,
}, () => {
  const first = fixMmapThreshold();
  assertEquals(fixMmapThreshold(1 << 20), first);
});
