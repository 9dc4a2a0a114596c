import { assertEquals, assertLess, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { excerpt, LineError, readLines, splitLines } from "../../lib/util/lines.ts";
import { readDocuments, readLines as readInputLines } from "../../lib/predict/inputs.ts";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { parseVocab } from "../../lib/tokenizer/bert.ts";

/** `text` as a byte stream in chunks of `size` bytes (a pipe's 64 KiB by default). */
function streamOf(text: string, size = 65536): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out = [];
  for await (const line of lines) out.push(line);
  return out;
}

Deno.test("lines end at \\n, a \\r before it and a leading BOM are dropped, streamed or in memory alike", async () => {
  const text = "\uFEFFa\r\nbb\n\nc é\r\nlast";
  const expected = ["a", "bb", "", "c é", "last"];
  assertEquals(splitLines(text), expected);
  for (const size of [1, 2, 3, 7, 65536]) {
    assertEquals(await collect(readLines(streamOf(text, size))), expected);
  }
  assertEquals(splitLines("a\n"), ["a"]);
  assertEquals(await collect(readLines(streamOf("a\n"))), ["a"]);
});

Deno.test('lineEnds "any": LF, CRLF and a lone CR each end one line, streamed (any chunking) or in memory', async () => {
  const text = "\uFEFFa\rbb\r\n\rc\n\r\nd\re\r";
  const expected = ["a", "bb", "", "c", "", "d", "e"];
  assertEquals(splitLines(text, { lineEnds: "any" }), expected);
  for (const size of [1, 2, 3, 7, 65536]) {
    assertEquals(await collect(readLines(streamOf(text, size), { lineEnds: "any" })), expected);
  }
  // The default keeps a lone CR inside its line (PubTator text, JSONL); a CR-only file is then one line.
  assertEquals(splitLines("a\rb\r\n"), ["a\rb"]);
  // Bad bytes are placed on their line whichever ends are counted.
  const bytes = new Uint8Array([...new TextEncoder().encode("ok\rok\r"), 0xff]);
  const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.close()) });
  const error = await assertRejects(() => collect(readLines(stream, { source: "cr.tsv", lineEnds: "any" })));
  assertEquals((error as Error).message, "cr.tsv:3: invalid UTF-8 at byte offset 6 (refused, not replaced)");
});

Deno.test("a line over the limit is refused at its line, as soon as it passes the limit", async () => {
  const text = `short\n${"x".repeat(5000)}\nnever read`;
  const error = await assertRejects(
    () => collect(readLines(streamOf(text, 100), { source: "in.txt", maxLineChars: 1000 })),
    LineError,
  );
  assertEquals(error.message, "in.txt:2: line of more than 1000 characters, over the limit of 1000; refused");
  assertThrows(
    () => splitLines(text, { source: "in.txt", maxLineChars: 1000 }),
    LineError,
    "in.txt:2: line of 5000",
  );
  // At the limit exactly: accepted.
  assertEquals(splitLines("y".repeat(1000), { maxLineChars: 1000 }).length, 1);
});

Deno.test("a line of the default limit's size streams in one pass (the old reader re-read it per chunk)", async () => {
  // 64 Mi + 1 characters: refused after reading the limit, never whole. The old reader re-split the pending
  // line for every 64 KiB chunk (quadratic: 40 MB took minutes), so this did not finish.
  const line = "a".repeat(64 * 1024 * 1024 + 1);
  const error = await assertRejects(() => collect(readInputLines(streamOf(line), "stdin")), Error);
  assertStringIncludes(error.message, "stdin:1: line of more than 67108864 characters");
  assertLess(error.message.length, 200);
});

Deno.test("error messages quote a long line cut, with its length", () => {
  assertEquals(excerpt("x".repeat(1000), 10), '"xxxxxxxxxx"… (1000 characters)');
  const long = "9\t0\t5\t" + "z".repeat(1_000_000);
  const pubtator = assertThrows(() => parsePubTator(long, { source: "p.txt" }), CorpusFormatError);
  assertStringIncludes(pubtator.message, "(1000006 characters)");
  assertLess(pubtator.message.length, 300);
  const duplicate = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n" + `${"w".repeat(100_000)}\n`.repeat(2);
  const vocab = assertThrows(() => parseVocab(duplicate, "vocab.txt"), Error);
  assertLess(vocab.message.length, 300);
});

Deno.test("ner's JSONL and text inputs go through the same reader and limit", async () => {
  const problems: string[] = [];
  const docs = await collect(
    readDocuments(readInputLines(streamOf('{"text": "Aspirin."}\n{"text": 3}\n'), "in.jsonl"), {
      source: "in.jsonl",
      onProblem: (problem) => problems.push(problem.message),
    }),
  );
  assertEquals(docs.map((d) => d.text), ["Aspirin."]);
  assertEquals(problems, ['in.jsonl:2: no string "text" field']);
});
