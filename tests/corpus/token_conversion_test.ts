/**
 * Token corpora → documents and IOB2 sentences: the tokens are kept, the rebuilt text maps every token back,
 * the lossless check holds, repairs are counted with file:line, and mixed schemes are refused.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { join } from "node:path";
import { parseConll, readConll } from "../../lib/corpus/readers/conll.ts";
import { convertTokenSentences } from "../../lib/corpus/token_conversion.ts";
import { spansFromBioTags } from "../../lib/bio/tags.ts";
import { checkLossless } from "../../lib/bio/lossless.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";

const IOBES = [
  "-DOCSTART- -X- O O",
  "",
  "TGF O O S-Gene",
  "-beta O O O",
  "in O O O",
  "chronic O O B-Cancer",
  "myeloid O O I-Cancer",
  "leukemia O O E-Cancer",
  "",
  "It O O O",
  "binds O O O",
  "IL-2 O O S-Gene",
  "",
  "-DOCSTART- -X- O O",
  "",
  "No O O O",
].join("\n");

Deno.test("IOBES tokens → one document per -DOCSTART-, text rebuilt, IOB2 tags, nothing lost", () => {
  const { documents, sentences, report } = convertTokenSentences(parseConll(IOBES, { file: "cg.conll" }));
  assertEquals(documents.map((d) => [d.id, d.text, d.title, d.abstract]), [
    [
      "cg-1",
      "TGF -beta in chronic myeloid leukemia\nIt binds IL-2",
      "TGF -beta in chronic myeloid leukemia",
      "It binds IL-2",
    ],
    ["cg-2", "No", "No", ""],
  ]);
  assertEquals(documents[0].mentions, [
    { start: 0, end: 3, text: "TGF", type: "Gene", ids: [] },
    { start: 13, end: 37, text: "chronic myeloid leukemia", type: "Cancer", ids: [] },
    { start: 47, end: 51, text: "IL-2", type: "Gene", ids: [] },
  ]);
  assertEquals(sentences.map((s) => [s.docId, s.index, s.start, s.end, s.tags]), [
    ["cg-1", 0, 0, 37, ["B-Gene", "O", "O", "B-Cancer", "I-Cancer", "I-Cancer"]],
    ["cg-1", 1, 38, 51, ["O", "O", "B-Gene"]],
    ["cg-2", 0, 0, 2, ["O"]],
  ]);
  for (const s of sentences) {
    const text = documents.find((d) => d.id === s.docId)!.text;
    for (const w of s.words) assertEquals(text.slice(w.start, w.end), w.text);
  }
  assertEquals(report, {
    scheme: "IOBES",
    documents: 2,
    sentences: 3,
    tokens: 10,
    emptySentences: 0,
    mentions: { Cancer: 1, Gene: 2 },
    entities: { Cancer: 1, Gene: 2 },
    repairs: 0,
    repairExamples: [],
    lost: 0,
    spurious: 0,
    changedTokens: 0,
  });
});

Deno.test("I-X after O is repaired to B-X, counted, and listed with file:line", () => {
  const text = "a\tO\nb\tI-GENE\nc\tI-GENE\n\nd\tB-GENE\ne\tI-Species\n";
  const { sentences, report, documents } = convertTokenSentences(parseConll(text, { file: "t.tsv" }));
  assertEquals(sentences.map((s) => s.tags), [["O", "B-GENE", "I-GENE"], ["B-GENE", "B-Species"]]);
  assertEquals([report.repairs, report.repairExamples], [2, [
    "t.tsv:2: I-GENE → B-GENE",
    "t.tsv:6: I-Species → B-Species",
  ]]);
  assertEquals([report.lost, report.spurious], [0, 0]);
  assertEquals(documents[1].mentions.map((m) => m.text), ["d", "e"]);
});

Deno.test("mixed schemes in one file (E-/S- tags, and an entity without E-) are refused at the entity's end", () => {
  const text = "a\tS-X\n\nb\tB-X\nc\tI-X\nd\tO\n";
  const error = assertThrows(
    () => convertTokenSentences(parseConll(text, { file: "m.tsv" })),
    CorpusFormatError,
  );
  assertEquals(
    error.message,
    "m.tsv:4: mixed IOB2 and IOBES tags: the file has IOBES tags (S-X at m.tsv:1) but the entity ending here " +
      "(I-X) has no E-/S- tag",
  );
});

Deno.test("a tag outside the scheme from a non-CoNLL source is refused with its place", () => {
  const error = assertThrows(
    () =>
      convertTokenSentences([{
        docId: "r",
        tokens: ["a", "b"],
        tags: ["O", "X"],
        file: "d.parquet",
        line: 7,
        tokenPerLine: false,
      }]),
    CorpusFormatError,
  );
  assertEquals(error.message, 'd.parquet:7: tag "X" is not O, B-… or I-…');
});

Deno.test("the lossless check catches a moved word, a lost and a spurious entity", () => {
  const { documents, sentences } = convertTokenSentences(parseConll("a\tB-X\nb\tI-X\nc\tO\n", { file: "f" }));
  assertEquals(checkLossless(documents, sentences), {
    lostMentions: [],
    spurious: 0,
    misplacedWords: 0,
    entities: { X: 1 },
  });
  const [sentence] = sentences;
  const moved = {
    ...sentence,
    words: sentence.words.map((w, i) => i === 2 ? { ...w, start: w.start - 1 } : w),
  };
  assertEquals(checkLossless(documents, [moved]).misplacedWords, 1);
  const retagged = { ...sentence, tags: ["B-X", "O", "B-Y"] };
  const check = checkLossless(documents, [retagged]);
  assertEquals([check.lostMentions.map((l) => l.mention.text), check.spurious], [["a b"], 2]);
});

const MTL2016_DIR = Deno.env.get("MTL2016_DIR");

Deno.test({
  name: "MTL-2016 corpora: every sentence, token and entity kept (counted independently of the reader)",
  ignore: !MTL2016_DIR,
  async fn() {
    for (const folder of ["BC2GM-IOB", "linnaeus-IOB", "BioNLP13CG-IOB"]) {
      for (const file of ["train.tsv", "devel.tsv", "test.tsv"]) {
        const path = join(MTL2016_DIR!, folder, file);
        const text = await Deno.readTextFile(path);
        const lines = text.split("\n").filter((line) => line.trim() !== "");
        const blocks = text.split(/\n\s*\n/).filter((block) => block.trim() !== "").length;
        const beginnings = lines.filter((line) => line.split("\t")[1].startsWith("B-")).length;
        const { sentences, report } = convertTokenSentences(await readConll(path));
        const where = `${folder}/${file}`;
        assertEquals([report.sentences, report.tokens], [blocks, lines.length], where);
        assertEquals(
          sentences.flatMap((s) => s.words.map((w) => w.text)),
          lines.map((l) => l.split("\t")[0]),
          where,
        );
        const entities = sentences.reduce((n, s) => n + spansFromBioTags(s.words, s.tags).length, 0);
        assertEquals(
          [entities, report.lost, report.spurious, report.changedTokens],
          [beginnings, 0, 0, 0],
          where,
        );
        assertEquals([report.scheme, report.repairs], ["IOB2", 0], where);
      }
    }
  },
});
