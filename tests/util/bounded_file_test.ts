import { assertEquals, assertLess, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import {
  checkRegularFile,
  FileLimitError,
  formatBytes,
  readFileBounded,
  readTextFileBounded,
} from "../../lib/util/bounded_file.ts";
import { MAX_STRING_LENGTH } from "../../lib/util/utf8.ts";
import { makeBertConfig, readBertConfig } from "../../lib/model/bert/config.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/bert.ts";

Deno.test("a config.json or vocab.txt that is a link to /dev/zero, or a FIFO, is refused at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The old reader grew memory until the process was killed (/dev/zero) or waited forever (FIFO).
    await Deno.symlink("/dev/zero", join(dir, "config.json"));
    await assertRejects(() => readBertConfig(join(dir, "config.json")), Error, "a device, not a regular");
    await Deno.symlink("/dev/zero", join(dir, "vocab.txt"));
    await assertRejects(() => loadBertTokenizer(join(dir, "vocab.txt")), Error, "a device, not a regular");
    const fifo = join(dir, "fifo.json");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assertEquals(made.code, 0);
    await assertRejects(() => readBertConfig(fifo), Error, "a FIFO (named pipe), not a regular");
    await assertRejects(() => readFileBounded(dir, { kind: "corpus file" }), FileLimitError, "a directory");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file over its kind's limit is refused before it is read; one within it reads exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const big = join(dir, "config.json");
    await Deno.writeTextFile(big, "");
    await Deno.truncate(big, 5 * 1024 * 1024); // sparse: no disk used
    await assertRejects(
      () => checkRegularFile(big, { kind: "JSON settings file" }),
      FileLimitError,
      "5 MiB, over the 4 MiB limit for a JSON settings file; refused",
    );
    const small = join(dir, "small.txt");
    await Deno.writeTextFile(small, "héllo\n");
    const bytes = await readFileBounded(small, { kind: "corpus file" });
    assertEquals(bytes.buffer.byteLength, 7); // one exactly sized buffer: handed on without a copy
    assertEquals(await readTextFileBounded(small, { kind: "corpus file" }), "héllo\n");
    // A /proc file says size 0 and is read all the same.
    assertStringIncludes(
      await readTextFileBounded("/proc/self/status", { kind: "JSON settings file" }),
      "VmRSS",
    );
    assertEquals(formatBytes(1536), "1.5 KiB");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a text read whole over the longest string (512 MiB) is refused before it is read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A 600 MB valid file was read (1.7 GB) and then refused as "invalid UTF-8 at byte offset -1".
    const big = join(dir, "index.txt");
    await Deno.writeTextFile(big, "");
    await Deno.truncate(big, MAX_STRING_LENGTH + 1); // sparse: no disk used
    const started = performance.now();
    await assertRejects(
      () => readTextFileBounded(big, { kind: "corpus file" }),
      FileLimitError,
      `${big}: 512 MiB, too long to read as one text (at most ${MAX_STRING_LENGTH} bytes, the longest string)`,
    );
    assertLess(performance.now() - started, 2000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("absurd model configs are refused before anything is allocated", () => {
  const base = { hidden_size: 128, num_attention_heads: 2, intermediate_size: 512, num_hidden_layers: 2 };
  // num_hidden_layers 1e9 ran out of memory after 142 s; num_labels 1e9 built a billion label names.
  assertThrows(
    () => makeBertConfig({ ...base, num_hidden_layers: 1e9 }),
    Error,
    "over this project's limit of 256",
  );
  assertThrows(
    () => makeBertConfig({ ...base, num_labels: 1e9 }),
    Error,
    "num_labels must be an integer in 1…10000",
  );
  assertThrows(() => makeBertConfig({ ...base, hidden_size: 1 << 20 }), Error, "hidden_size 1048576 is over");
  assertThrows(
    () => makeBertConfig({ hidden_size: 16384, num_attention_heads: 128, intermediate_size: 65536 }),
    Error,
    "billion parameters",
  );
  makeBertConfig({}); // BERT-base's defaults are fine
});
