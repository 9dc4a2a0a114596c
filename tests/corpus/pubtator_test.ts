import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { formatPubTator, parsePubTator, readPubTator } from "../../lib/corpus/readers/pubtator.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { PUBTATOR_FILES } from "../../lib/corpus/readers/bc5cdr.ts";
import { SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";

const FIXTURE = projectPath("data", "fixtures", "corpus", "pubtator", PUBTATOR_FILES.train);
const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

Deno.test("a PubTator document: title + ' ' + abstract, mentions with document offsets, relations", () => {
  const [doc] = parsePubTator([
    "1|t|Aspirin and ulcers.",
    "1|a|Ulcers (e.g. gastric and duodenal ulcers) after [3H]-aspirin.",
    "1\t0\t7\tAspirin\tChemical\tD001241",
    "1\t33\t60\tgastric and duodenal ulcers\tDisease\tD013276|D004381\tgastric ulcers|duodenal ulcers",
    "1\t68\t80\t[3H]-aspirin\tChemical\t-1",
    "1\tCID\tD001241\tD013276",
    "",
  ].join("\n"));
  assertEquals(doc.text, "Aspirin and ulcers. Ulcers (e.g. gastric and duodenal ulcers) after [3H]-aspirin.");
  assertEquals(doc.mentions, [
    { start: 0, end: 7, text: "Aspirin", type: "Chemical", ids: ["D001241"] },
    {
      start: 33,
      end: 60,
      text: "gastric and duodenal ulcers",
      type: "Disease",
      ids: ["D013276", "D004381"],
      individualMentions: ["gastric ulcers", "duodenal ulcers"],
    },
    { start: 68, end: 80, text: "[3H]-aspirin", type: "Chemical", ids: [] },
  ]);
  assertEquals(doc.relations, [{ type: "CID", arg1: "D001241", arg2: "D013276" }]);
});

Deno.test("formatPubTator writes what parsePubTator reads (fixture round trip, byte for byte)", async () => {
  const text = await Deno.readTextFile(FIXTURE);
  assertEquals(formatPubTator(parsePubTator(text)), text);
});

Deno.test("offsets are code points, as NCBI's tools and Python count them; a Document holds UTF-16", () => {
  // A PubMed-style title with a mathematical alpha (U+1D6FC) and an emoji, both outside the BMP.
  const title = "𝛼-Tocopherol and 😀 vitamin E.", abstract = "𝛼-Tocopherol again.";
  const text = `${title} ${abstract}`;
  const pubtator = [
    `9|t|${title}`,
    `9|a|${abstract}`,
    "9\t0\t12\t𝛼-Tocopherol\tChemical\tD024502",
    "9\t19\t28\tvitamin E\tChemical\tD014810",
    "9\t30\t42\t𝛼-Tocopherol\tChemical\tD024502",
    "",
  ].join("\n");
  const [doc] = parsePubTator(pubtator);
  assertEquals(doc.mentions.map((m) => [m.start, m.end]), [[0, 13], [21, 30], [32, 45]]);
  for (const m of doc.mentions) assertEquals(text.slice(m.start, m.end), m.text);
  // Python: text[19:28] == "vitamin E"; as JavaScript indices, 19…28 is another part of the text.
  assertEquals([...text].slice(19, 28).join(""), "vitamin E");
  assertEquals(text.slice(19, 28) === "vitamin E", false);
  assertEquals(formatPubTator([doc]), pubtator);
  const error = assertThrows(
    () => parsePubTator(`9|t|${title}\n9|a|${abstract}\n9\t30\t50\tx\tChemical\t-1\n`, { source: "p.txt" }),
    CorpusFormatError,
  );
  assertEquals(error.message, "p.txt:3: mention offsets [30, 50) outside the document text (length 49)");
});

Deno.test("relation lines as NCBI's tools write them today (5 fields: …<TAB>Novel) are read, not refused", () => {
  const [doc] = parsePubTator([
    "10491763|t|Aspirin and ulcers.",
    "10491763|a|Abstract.",
    "10491763\t0\t7\tAspirin\tChemical\tD001241",
    "10491763\tAssociation\tD001241\tD014456\tNovel",
    "10491763\tCID\tD001241\tD014456",
  ].join("\n"));
  assertEquals(doc.relations, [
    { type: "Association", arg1: "D001241", arg2: "D014456" },
    { type: "CID", arg1: "D001241", arg2: "D014456" },
  ]);
});

Deno.test("reading to tag (onAnnotationProblem): a bad annotation line is reported at file:line and skipped, its document kept", () => {
  const lines = [
    "7|t|Title.",
    "7|a|Some abstract text.",
    "7\t0\t5\tTitle\tChemical\tD1",
    "7\t0\t99\tTitle\tChemical\tD1",
    "7\tthree\tfields",
    "8\t0\t5\tTitle\tChemical\tD1",
    "7\tCID\tD1\tD2\tNovel\textra",
  ];
  const problems: string[] = [];
  const [doc] = parsePubTator(lines.join("\n"), {
    source: "x.txt",
    onAnnotationProblem: (problem) => problems.push(problem.message),
  });
  assertEquals([doc.id, doc.text, doc.mentions.length, doc.relations.length], [
    "7",
    "Title. Some abstract text.",
    1,
    0,
  ]);
  assertEquals(problems.map((p) => p.split(": ")[0]), ["x.txt:4", "x.txt:5", "x.txt:6", "x.txt:7"]);
  // Reading a corpus (no callback): the first such line is an error, as before.
  assertThrows(() => parsePubTator(lines.join("\n"), { source: "x.txt" }), CorpusFormatError, "x.txt:4:");
});

const GOOD_HEAD = ["7|t|Title.", "7|a|Some abstract text."];
const badInputs: [string, string[], string][] = [
  [
    "offsets outside the text",
    [...GOOD_HEAD, "7\t20\t40\tx\tChemical\tD1"],
    "x.txt:3: mention offsets [20, 40) outside",
  ],
  [
    "text differs from the offsets",
    [...GOOD_HEAD, "7\t0\t5\tTitlx\tChemical\tD1"],
    'x.txt:3: mention text "Titlx"',
  ],
  [
    "non-integer offsets",
    [...GOOD_HEAD, "7\ta\t5\tTitle\tChemical\tD1"],
    "x.txt:3: mention offsets must be integers",
  ],
  ["wrong field count", [...GOOD_HEAD, "7\t0\t5\tTitle\tChemical"], "x.txt:3: expected a mention line"],
  [
    "annotation of another document",
    [...GOOD_HEAD, "8\t0\t5\tTitle\tChemical\tD1"],
    "x.txt:3: annotation for document 8",
  ],
  [
    "annotation before any document",
    ["7\t0\t5\tTitle\tChemical\tD1"],
    "x.txt:1: annotation line outside a document",
  ],
  ["abstract without title", ["7|a|Text."], "x.txt:1: abstract of 7 without its title"],
  ["title without abstract", ["7|t|Title.", "", ""], "x.txt:2: document 7 has a title line but no abstract"],
  [
    "title without abstract at the end",
    ["7|t|Title.", ""],
    "x.txt:1: document 7 has a title line but no abstract",
  ],
  ["missing blank line", [...GOOD_HEAD, "8|t|Next."], "x.txt:3: title of 8 inside another document"],
  ["duplicate document", [...GOOD_HEAD, "", ...GOOD_HEAD], "x.txt:4: document 7 appears twice"],
];
for (const [what, lines, message] of badInputs) {
  Deno.test(`bad PubTator input (${what}) is an error naming file:line`, () => {
    const error = assertThrows(() => parsePubTator(lines.join("\n"), { source: "x.txt" }), CorpusFormatError);
    assertEquals(error.message.slice(0, message.length), message);
  });
}

Deno.test("a PubTator file with a BOM reads as without; invalid UTF-8 is refused at file:line with its offset", async () => {
  const text = "7|t|Title.\n7|a|Text é.\n7\t0\t5\tTitle\tChemical\tD1\n";
  const dir = await Deno.makeTempDir();
  try {
    const withBom = `${dir}/bom.txt`;
    await Deno.writeFile(withBom, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
    assertEquals(await readPubTator(withBom), parsePubTator(text));
    assertEquals(parsePubTator(`\uFEFF${text}`), parsePubTator(text));
    const invalid = `${dir}/latin1.txt`;
    const bytes = new TextEncoder().encode(text);
    const at = bytes.indexOf(0xc3); // "é" as Latin-1: 0xE9 alone
    await Deno.writeFile(
      invalid,
      new Uint8Array([...bytes.subarray(0, at), 0xe9, ...bytes.subarray(at + 2)]),
    );
    const error = await assertRejects(() => readPubTator(invalid), CorpusFormatError);
    assertEquals(error.message, `${invalid}:2: invalid UTF-8 at byte offset ${at} (refused, not replaced)`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "the real BC5CDR PubTator files: 500 documents per split and the published mention counts",
  ignore: !BC5CDR_DIR,
  fn: async () => {
    const expected = {
      train: { Chemical: 5203, Disease: 4182, relations: 1038, composite: 89 },
      dev: { Chemical: 5347, Disease: 4244, relations: 1012, composite: 89 },
      test: { Chemical: 5385, Disease: 4424, relations: 1066, composite: 57 },
    };
    for (const split of SPLITS) {
      const docs = await readPubTator(`${BC5CDR_DIR}/pubtator/${PUBTATOR_FILES[split]}`);
      const mentions = docs.flatMap((d) => d.mentions);
      assertEquals(docs.length, 500);
      assertEquals({
        Chemical: mentions.filter((m) => m.type === "Chemical").length,
        Disease: mentions.filter((m) => m.type === "Disease").length,
        relations: docs.reduce((n, d) => n + d.relations.length, 0),
        composite: mentions.filter((m) => m.individualMentions).length,
      }, expected[split]);
    }
  },
});
