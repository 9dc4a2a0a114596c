import { assert, assertEquals } from "@std/assert";
import { fixMmapThreshold, TRAINING_MMAP_THRESHOLD } from "../../lib/util/malloc.ts";

Deno.test("fixMmapThreshold: a freed 20 MB block no longer pulls 5 MB blocks into the heap", {
  ignore: Deno.build.os !== "linux" || Deno.env.get("MALLOC_MMAP_THRESHOLD_") !== undefined,
}, () => {
  assertEquals(fixMmapThreshold(), TRAINING_MMAP_THRESHOLD);
  // Later calls report the first outcome and change nothing.
  assertEquals(fixMmapThreshold(1 << 20), TRAINING_MMAP_THRESHOLD);
  const libc = Deno.dlopen("libc.so.6", {
    malloc: { parameters: ["usize"], result: "pointer" },
    free: { parameters: ["pointer"], result: "void" },
  });
  try {
    // glibc's default raises its mmap threshold to the size of a freed mapped block; then the 5 MB block
    // would come from the heap. A chunk's size word (8 bytes before it) has bit 1 set when it is mmapped.
    libc.symbols.free(libc.symbols.malloc(20n << 20n));
    const block = libc.symbols.malloc(5n << 20n)!;
    const sizeWord = new Deno.UnsafePointerView(block).getBigUint64(-8);
    libc.symbols.free(block);
    assert((sizeWord & 2n) === 2n, `5 MB block served from the heap (size word ${sizeWord.toString(16)})`);
  } finally {
    libc.close();
  }
});
