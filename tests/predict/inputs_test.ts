/** Reading documents for batch inference: formats, detection, and every malformed line reported at file:line. */
import { assertEquals, assertRejects } from "@std/assert";
import { type InputDocument, InputProblem, readDocuments, readLines } from "../../lib/predict/inputs.ts";

async function read(text: string, format?: "auto" | "text" | "jsonl" | "pubtator") {
  const problems: string[] = [];
  const lines = readLines(ReadableStream.from([new TextEncoder().encode(text)]));
  const docs: InputDocument[] = await Array.fromAsync(
    readDocuments(lines, { source: "in.txt", format, onProblem: (p) => problems.push(p.message) }),
  );
  return { docs: docs.map((d) => [d.id, d.text, d.line]), problems };
}

Deno.test("readLines: \\n and \\r\\n, a last line without newline, characters split across chunks", async () => {
  const bytes = new TextEncoder().encode("α line\r\nβ line\nlast");
  const chunks = [bytes.slice(0, 1), bytes.slice(1, 9), bytes.slice(9)]; // "α" is 2 bytes: cut inside it
  assertEquals(await Array.fromAsync(readLines(ReadableStream.from(chunks))), ["α line", "β line", "last"]);
});

Deno.test("text: one document per non-blank line, ids from source and line", async () => {
  assertEquals(await read("Aspirin helps.\n\nFever again.\n"), {
    docs: [["in.txt:1", "Aspirin helps.", 1], ["in.txt:3", "Fever again.", 3]],
    problems: [],
  });
});

Deno.test("jsonl: objects with text; bad lines reported at file:line and skipped", async () => {
  const input = [
    '{"id": "a", "text": "Aspirin."}',
    "{broken",
    '{"text": 5}',
    '{"id": 7, "text": "Fever."}',
    '["not", "an", "object"]',
  ].join("\n");
  const { docs, problems } = await read(input, "jsonl");
  assertEquals(docs, [["a", "Aspirin.", 1], ["7", "Fever.", 4]]);
  assertEquals(problems.map((p) => p.split(": ")[0]), ["in.txt:2", "in.txt:3", "in.txt:5"]);
});

Deno.test("pubtator (detected): a bad annotation line is reported at file:line and skipped, never its document", async () => {
  const input = [
    "1|t|Aspirin title.",
    "1|a|Abstract one.",
    "1\t0\t7\tAspirin\tChemical\tD001241",
    "",
    "2|t|Second title.",
    "2|a|Abstract two.",
    "2\t0\t99\tSecond\tChemical\t-1", // offsets outside the text
    "2\tnot an annotation",
    "",
    "3|t|Third.",
    "3|a|Fine.",
    "",
    "4|t|A title without its abstract.",
    "",
    "5|t|Fifth.",
    "5|a|Kept.",
  ].join("\n");
  const { docs, problems } = await read(input);
  assertEquals(docs, [
    ["1", "Aspirin title. Abstract one.", 1],
    ["2", "Second title. Abstract two.", 5],
    ["3", "Third. Fine.", 10],
    ["5", "Fifth. Kept.", 15],
  ]);
  assertEquals(problems, [
    "in.txt:7: mention offsets [0, 99) outside the document text (length 27) (line skipped)",
    "in.txt:8: expected a mention line (6 or 7 tab-separated fields) or a relation line (4 or 5), got 2 " +
    "(line skipped)",
    "in.txt:13: document 4 has a title line but no abstract line (at the end of the input) (document skipped)",
  ]);
});

Deno.test("pubtator as NCBI's tools write it today (five-field relation lines): every document read, nothing reported", async () => {
  const documents = Array.from({ length: 600 }, (_, i) =>
    [
      `${1000 + i}|t|Aspirin and ulcers ${i}.`,
      `${1000 + i}|a|Ulcers after aspirin.`,
      `${1000 + i}\t0\t7\tAspirin\tChemical\tD001241`,
      `${1000 + i}\tAssociation\tD001241\tD014456\tNovel`,
      `${1000 + i}\tPositive_Correlation\tD001241\tD014456\tNo`,
    ].join("\n"));
  const { docs, problems } = await read(documents.join("\n\n") + "\n", "pubtator");
  assertEquals([docs.length, problems], [600, []]);
});

Deno.test("pubtator mention offsets are read as code points (astral characters before them)", async () => {
  const { docs, problems } = await read(
    "9|t|😀 𝛼-tocopherol.\n9|a|Again.\n9\t2\t14\t𝛼-tocopherol\tChemical\t-1\n",
  );
  assertEquals([docs, problems], [[["9", "😀 𝛼-tocopherol. Again.", 1]], []]);
});

Deno.test("a throwing onProblem makes the first malformed line fatal (--strict)", async () => {
  const lines = ["{bad"];
  const docs = readDocuments(lines, {
    source: "x.jsonl",
    format: "jsonl",
    onProblem: (p) => {
      throw p;
    },
  });
  const error = await docs.next().then(() => undefined, (e) => e);
  assertEquals(error instanceof InputProblem && error.message.startsWith("x.jsonl:1: not valid JSON"), true);
});

Deno.test("a BOM is dropped before format detection; invalid UTF-8 is refused at file:line with its byte offset", async () => {
  const bom = "\uFEFF";
  assertEquals((await read(`${bom}{"id": "a", "text": "x"}\n`)).docs, [["a", "x", 1]]);
  assertEquals((await read(`${bom}plain text\n`)).docs, [["in.txt:1", "plain text", 1]]);
  assertEquals((await read(`${bom}7|t|T.\n7|a|A.\n`)).docs, [["7", "T. A.", 1]]);
  // Line 2 holds a Latin-1 "é" (0xE9), split across two chunks.
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('{"text": "ok"}\n{"text": "caf'),
    0xe9,
    0x22,
    0x7d,
    0x0a,
  ]);
  const lines: string[] = [];
  const error = await assertRejects(async () => {
    for await (
      const line of readLines(ReadableStream.from([bytes.slice(0, 20), bytes.slice(20)]), "in.jsonl")
    ) {
      lines.push(line);
    }
  }, InputProblem);
  assertEquals(lines, ['{"text": "ok"}']);
  assertEquals(
    error.message,
    `in.jsonl:2: invalid UTF-8 at byte offset ${bytes.indexOf(0xe9)} (refused, not replaced)`,
  );
});
