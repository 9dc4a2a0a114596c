import { assertEquals, assertGreaterOrEqual, assertLessOrEqual } from "@std/assert";
import { join } from "node:path";
import {
  convertDocuments,
  resolveOverlaps,
  sentencesFromDocument,
  sentencesFromText,
} from "../../lib/bio/convert.ts";
import { compareWithReference } from "../../lib/bio/reference.ts";
import { readIobReference } from "../../lib/corpus/readers/iob_reference.ts";
import { spansFromBioTags } from "../../lib/bio/tags.ts";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import { type Document, type Mention, SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";

const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

function doc(title: string, abstract: string, mentions: Omit<Mention, "text" | "ids">[]): Document {
  const text = `${title} ${abstract}`;
  return {
    id: "1",
    title,
    abstract,
    text,
    mentions: mentions.map((m) => ({ ...m, text: text.slice(m.start, m.end), ids: [] })),
    relations: [],
  };
}

const show = (d: Document) =>
  sentencesFromDocument(d).map((s) =>
    s.words.map((w, i) => s.tags[i] === "O" ? w.text : `${w.text}/${s.tags[i]}`)
  );

Deno.test("a mention ending inside a hyphenated word ends at the hyphen", () => {
  const d = doc("5-fluorouracil-induced cardiotoxicity.", "", [
    { start: 0, end: 14, type: "Chemical" },
    { start: 23, end: 37, type: "Disease" },
  ]);
  assertEquals(show(d), [[
    "5/B-Chemical",
    "-/I-Chemical",
    "fluorouracil/I-Chemical",
    "-",
    "induced",
    "cardiotoxicity/B-Disease",
    ".",
  ]]);
});

Deno.test("policy: a composite mention is one entity over its whole span", () => {
  const d = doc("Ocular and auditory toxicity.", "", [{ start: 0, end: 28, type: "Disease" }]);
  assertEquals(show(d), [[
    "Ocular/B-Disease",
    "and/I-Disease",
    "auditory/I-Disease",
    "toxicity/I-Disease",
    ".",
  ]]);
});

Deno.test("policy: a discontiguous mention is one entity over its covering span", () => {
  const d = doc("Ocular and auditory toxicity.", "", [{
    start: 0,
    end: 28,
    type: "Disease",
    pieces: [[0, 6], [20, 28]],
  }]);
  assertEquals(show(d)[0].slice(0, 2), ["Ocular/B-Disease", "and/I-Disease"]);
});

Deno.test("policy: of overlapping mentions the longest is kept and the others are reported lost", () => {
  const nested = { start: 11, end: 28, type: "Disease" };
  const d = doc("Ocular and auditory toxicity.", "", [nested, { start: 0, end: 28, type: "Disease" }]);
  assertEquals(resolveOverlaps(d.mentions).dropped.map((m) => [m.start, m.end]), [[11, 28]]);
  const { report, lostMentions } = convertDocuments([d]);
  assertEquals([report.lost, report.spurious, report.entities], [1, 0, { Disease: 1 }]);
  assertEquals(lostMentions.map((l) => l.mention.text), ["auditory toxicity"]);
});

Deno.test("title and abstract are separate sentences with offsets into the document text", () => {
  const d = doc("Drug effects", "Rats were treated. Doses were low.", []);
  const sentences = sentencesFromDocument(d);
  assertEquals(sentences.map((s) => d.text.slice(s.start, s.end)), [
    "Drug effects",
    "Rats were treated.",
    "Doses were low.",
  ]);
  assertEquals(sentences.map((s) => s.index), [0, 1, 2]);
  for (const s of sentences) for (const w of s.words) assertEquals(d.text.slice(w.start, w.end), w.text);
});

Deno.test("sentencesFromText: raw text → sentences of words, all tagged O", () => {
  const sentences = sentencesFromText("Cisplatin causes nephrotoxicity. It is dose-dependent.", {
    docId: "new",
  });
  assertEquals(sentences.map((s) => s.words.map((w) => w.text)), [
    ["Cisplatin", "causes", "nephrotoxicity", "."],
    ["It", "is", "dose", "-", "dependent", "."],
  ]);
  assertEquals(sentences.flatMap((s) => s.tags).every((t) => t === "O"), true);
  assertEquals(sentences[1].docId, "new");
});

Deno.test("sentencesFromText: a line break always ends a sentence; offsets stay into the whole text", () => {
  const text = "Cisplatin nephrotoxicity\r\nIt is common.\n\nIt is dose-dependent.";
  const sentences = sentencesFromText(text);
  assertEquals(sentences.map((s) => text.slice(s.start, s.end)), [
    "Cisplatin nephrotoxicity",
    "It is common.",
    "It is dose-dependent.",
  ]);
  assertEquals(sentences.map((s) => s.index), [0, 1, 2]);
});

Deno.test("the corpus fixtures convert without loss; entities read back equal the mentions", async () => {
  const corpus = await readBc5cdr({ dir: projectPath("data", "fixtures", "corpus") });
  for (const split of SPLITS) {
    const docs = corpus.splits[split];
    const { sentences, report } = convertDocuments(docs);
    assertEquals([report.lost, report.spurious], [0, 0]);
    assertEquals(report.entities, report.mentions);
    const readBack = sentences.flatMap((s) =>
      spansFromBioTags(s.words, s.tags).map((e) => `${s.docId}:${e.start}`)
    );
    assertEquals(readBack, docs.flatMap((d) => d.mentions.map((m) => `${d.id}:${m.start}`)));
  }
});

Deno.test("a PubTator document converts into sentences whose words cover the text outside whitespace", () => {
  const [d] = parsePubTator(
    "5|t|Short title.\n5|a|One. Two (2.5 mg) e.g. three.\n5\t0\t5\tShort\tChemical\t-1\n",
  );
  const words = sentencesFromDocument(d).flatMap((s) => s.words.map((w) => w.text)).join("");
  assertEquals(words, d.text.replace(/\s/g, ""));
});

Deno.test({
  name:
    "acceptance on the real corpus: counts, lost = 0, sentences within 3% and ≥ 99% agreement with the IOB reference",
  ignore: !BC5CDR_DIR,
  fn: async () => {
    const expected = {
      train: { mentions: { Chemical: 5203, Disease: 4182 }, sentences: 4560 },
      dev: { mentions: { Chemical: 5347, Disease: 4244 }, sentences: 4581 },
      test: { mentions: { Chemical: 5385, Disease: 4424 }, sentences: 4797 },
    };
    const corpus = await readBc5cdr({ dir: BC5CDR_DIR, source: "pubtator" });
    for (const split of SPLITS) {
      const { sentences, report } = convertDocuments(corpus.splits[split]);
      assertEquals(report.mentions, expected[split].mentions);
      assertEquals(report.entities, expected[split].mentions);
      assertEquals([report.lost, report.spurious], [0, 0]);
      const reference = await readIobReference(join(BC5CDR_DIR!, "iob"), split);
      const comparison = compareWithReference(sentences, reference);
      assertEquals(comparison.referenceSentences, expected[split].sentences);
      assertLessOrEqual(Math.abs(report.sentences / expected[split].sentences - 1), 0.03);
      assertGreaterOrEqual(comparison.agreement, 0.99);
      assertEquals(comparison.missingDocuments, []);
    }
  },
});
