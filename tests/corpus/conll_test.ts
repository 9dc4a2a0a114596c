/**
 * The CoNLL reader: the MTL-2016 layout, space-separated and -DOCSTART- files, any line ends, bad lines by
 * file:line, and the line and corpus size limits.
 */
import { assertEquals, assertLess, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import { parseConll, readConll } from "../../lib/corpus/readers/conll.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { TokenCorpusSize } from "../../lib/corpus/token_conversion.ts";
import { LineError, MAX_LINE_CHARS } from "../../lib/util/lines.ts";

Deno.test("MTL-2016 layout: token<TAB>tag, blank lines between sentences, each sentence its own document", () => {
  const text = "Immunohistochemical\tO\nS\tB-GENE\n-\tI-GENE\n100\tI-GENE\n\n\n\nIt\tO\n";
  const sentences = parseConll(text, { file: "/data/BC2GM-IOB/train.tsv" });
  assertEquals(sentences, [
    {
      docId: "train-1",
      tokens: ["Immunohistochemical", "S", "-", "100"],
      tags: ["O", "B-GENE", "I-GENE", "I-GENE"],
      file: "/data/BC2GM-IOB/train.tsv",
      line: 1,
      tokenPerLine: true,
    },
    {
      docId: "train-2",
      tokens: ["It"],
      tags: ["O"],
      file: "/data/BC2GM-IOB/train.tsv",
      line: 8,
      tokenPerLine: true,
    },
  ]);
});

Deno.test("CoNLL-2003 layout: space-separated columns, the tag last, -DOCSTART- between documents", () => {
  const text = [
    "-DOCSTART- -X- O O",
    "",
    "EU NNP B-NP S-ORG",
    "rejects VBZ B-VP O",
    "",
    "Peter NNP B-NP B-PER",
    "Blackburn NNP I-NP E-PER",
    "",
    "-DOCSTART- -X- O O",
    "",
    "BRUSSELS NNP B-NP S-LOC",
  ].join("\r\n");
  const sentences = parseConll(text, { file: "eng.train" });
  assertEquals(sentences.map((s) => [s.docId, s.tokens, s.tags]), [
    ["eng-1", ["EU", "rejects"], ["S-ORG", "O"]],
    ["eng-1", ["Peter", "Blackburn"], ["B-PER", "E-PER"]],
    ["eng-2", ["BRUSSELS"], ["S-LOC"]],
  ]);
});

Deno.test("a tab-separated file keeps spaces inside tokens; a BOM and trailing spaces are ignored", () => {
  const [sentence] = parseConll("\uFEFFvitamin D\tB-Chem  \nlevels\tO", { file: "x.tsv", docPrefix: "d" });
  assertEquals([sentence.docId, sentence.tokens, sentence.tags], ["d-1", ["vitamin D", "levels"], [
    "B-Chem",
    "O",
  ]]);
});

Deno.test("sentences before the first -DOCSTART- are a document of their own", () => {
  const sentences = parseConll("a O\n\n-DOCSTART-\nb O\n\nc O\n-DOCSTART-\n-DOCSTART-\nd O\n", { file: "f" });
  assertEquals(sentences.map((s) => s.docId), ["f-1", "f-2", "f-2", "f-3"]);
});

Deno.test("a malformed line is refused with file:line", () => {
  const bad = (text: string) =>
    assertThrows(() => parseConll(text, { file: "c/train.tsv" }), CorpusFormatError);
  assertEquals(
    bad("a\tO\nlonely\n").message,
    'c/train.tsv:2: expected a token and its tag separated by a tab or spaces, got "lonely"',
  );
  assertEquals(bad("a\tO\n\nb\tGENE\n").message, 'c/train.tsv:3: tag "GENE" is not O, B-…, I-…, E-… or S-…');
  assertEquals(bad("\tO\n").message.startsWith("c/train.tsv:1: expected a token"), true);
  assertEquals(bad("a\tO\nb\tU-X\n").line, 2);
});

Deno.test("blank lines only: no sentences", () => {
  assertEquals(parseConll("\n\n  \n", { file: "empty.tsv" }), []);
});

Deno.test("CR-only line ends (old Mac files) end lines as LF and CRLF do: every entity kept", async () => {
  // The old reader read a CR-only file as one line: one token tagged O, every entity lost, exit 0.
  const lf = "IL-2\tB-GENE\ngene\tI-GENE\n\nIt\tO\n";
  const expected = parseConll(lf, { file: "train.tsv" });
  assertEquals(expected.map((s) => s.tags), [["B-GENE", "I-GENE"], ["O"]]);
  for (const ends of ["\r", "\r\n"]) {
    assertEquals(parseConll(lf.replaceAll("\n", ends), { file: "train.tsv" }), expected);
  }
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "train.tsv");
    await Deno.writeTextFile(path, lf.replaceAll("\n", "\r"));
    assertEquals(await readConll(path), parseConll(lf, { file: path }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a -DOCSTART- line tagged as an entity is refused; tagged O or untagged it is a mark", () => {
  // The old reader took it as a document mark and dropped the entity silently.
  const error = assertThrows(
    () => parseConll("a\tO\n-DOCSTART-\tB-Chemical\nb\tO\n", { file: "c/train.tsv" }),
    CorpusFormatError,
  );
  assertEquals(
    error.message,
    'c/train.tsv:2: a -DOCSTART- line tagged "B-Chemical": a document mark is tagged O or not at all',
  );
  for (const mark of ["-DOCSTART-", "-DOCSTART-\tO", "-DOCSTART- -X- -X- O"]) {
    assertEquals(parseConll(`a\tO\n${mark}\nb\tO\n`, { file: "f" }).map((s) => s.docId), ["f-1", "f-2"]);
  }
});

Deno.test("a bad line is quoted cut, with its length; a line over the line limit is refused at its line", async () => {
  const long = "z".repeat(1_000_000);
  const bad = assertThrows(() => parseConll(`a\tO\n${long}\n`, { file: "t.tsv" }), CorpusFormatError);
  assertStringIncludes(bad.message, "t.tsv:2: expected a token and its tag");
  assertStringIncludes(bad.message, "(1000000 characters)");
  assertLess(bad.message.length, 300);
  // A token longer than the 64 Mi line limit was accepted, and the train.jsonl written from it refused by
  // our own reader. The file is written and read streamed: never whole in memory.
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "train.tsv");
    using file = await Deno.open(path, { write: true, create: true });
    const chunk = new TextEncoder().encode("x".repeat(1 << 20));
    await file.write(new TextEncoder().encode("a\tO\n\n"));
    for (let i = 0; i <= MAX_LINE_CHARS >> 20; i++) await file.write(chunk);
    await file.write(new TextEncoder().encode("\tO\n"));
    const error = await assertRejects(() => readConll(path), LineError);
    assertEquals(
      error.message,
      `${path}:3: line of more than ${MAX_LINE_CHARS} characters, over the limit of ${MAX_LINE_CHARS}; refused`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corpus over its sentence or token limit is refused at the line that passes it", () => {
  const text = "a\tO\nb\tO\n\nc\tO\n\nd\tO\ne\tO\n";
  const read = (limits: { sentences: number; tokens: number }) =>
    parseConll(text, { file: "t.tsv", size: new TokenCorpusSize(limits) });
  assertEquals(read({ sentences: 3, tokens: 5 }).length, 3);
  assertEquals(
    assertThrows(() => read({ sentences: 2, tokens: 5 }), CorpusFormatError).message,
    "t.tsv:6: the corpus has more than 2 sentences (all its splits together), over the limit " +
      "(docs/reliability.md); refused",
  );
  assertStringIncludes(
    assertThrows(() => read({ sentences: 3, tokens: 4 }), CorpusFormatError).message,
    "t.tsv:7: the corpus has more than 4 tokens",
  );
  // One size counts every split of a corpus.
  const size = new TokenCorpusSize({ sentences: 4, tokens: 100 });
  parseConll(text, { file: "train.tsv", size });
  assertThrows(() => parseConll(text, { file: "dev.tsv", size }), CorpusFormatError, "dev.tsv:4:");
});
