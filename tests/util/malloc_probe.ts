/**
 * Child process of tests/util/malloc_test.ts: a fresh process, so that the heap holds nothing another test
 * left behind. Prints `{"applied", "mmapped"}`: what {@link fixMmapThreshold} returned, and whether a 5 MB
 * block asked for right after freeing a 20 MB one got its own mapping (glibc's default would have raised its
 * threshold to 20 MB and served it from the heap).
 */
import { fixMmapThreshold } from "../../lib/util/malloc.ts";

const applied = Deno.args.includes("--fix") ? fixMmapThreshold() : null;
const libc = Deno.dlopen("libc.so.6", {
  malloc: { parameters: ["usize"], result: "pointer" },
  free: { parameters: ["pointer"], result: "void" },
});
libc.symbols.free(libc.symbols.malloc(20n << 20n));
const block = libc.symbols.malloc(5n << 20n)!;
// A chunk's size word (8 bytes before it) has bit 1 set when the chunk is mmapped.
const sizeWord = new Deno.UnsafePointerView(block).getBigUint64(-8);
libc.symbols.free(block);
libc.close();
console.log(JSON.stringify({ applied, mmapped: (sizeWord & 2n) === 2n }));
