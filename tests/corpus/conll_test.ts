/** The CoNLL reader: the MTL-2016 layout, space-separated and -DOCSTART- files, and bad lines by file:line. */
import { assertEquals, assertThrows } from "@std/assert";
import { parseConll } from "../../lib/corpus/readers/conll.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";

Deno.test("MTL-2016 layout: token<TAB>tag, blank lines between sentences, each sentence its own document", () => {
  const text = "Immunohistochemical\tO\nS\tB-GENE\n-\tI-GENE\n100\tI-GENE\n\n\n\nIt\tO\n";
  const sentences = parseConll(text, { file: "/data/BC2GM-IOB/train.tsv" });
  assertEquals(sentences, [
    {
      docId: "train-1",
      tokens: ["Immunohistochemical", "S", "-", "100"],
      tags: ["O", "B-GENE", "I-GENE", "I-GENE"],
      file: "/data/BC2GM-IOB/train.tsv",
      lines: [1, 2, 3, 4],
    },
    { docId: "train-2", tokens: ["It"], tags: ["O"], file: "/data/BC2GM-IOB/train.tsv", lines: [8] },
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
