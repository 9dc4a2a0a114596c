import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import {
  documentsFromHfRows,
  emptyHfReadStats,
  flattenEntities,
  type HfEntity,
  type HfRow,
  readHfParquet,
} from "../../lib/corpus/readers/hf_parquet.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { readPubTator } from "../../lib/corpus/readers/pubtator.ts";
import { PUBTATOR_FILES } from "../../lib/corpus/readers/bc5cdr.ts";
import { HF_PARQUET_FILES } from "../../lib/corpus/readers/bc5cdr_hub.ts";
import { type Document, SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { hfRowsFromDocuments, writeHfParquet } from "../../data/fixtures/corpus/generate.ts";
import { readInChild } from "../util/read_in_child.ts";

const FIXTURES = projectPath("data", "fixtures", "corpus");
const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

/** PubTator documents as the parquet reader gives them: it does not rebuild composite parts' texts. */
function withoutIndividualMentions(docs: Document[]): Document[] {
  return docs.map((d) => ({ ...d, mentions: d.mentions.map(({ individualMentions: _, ...m }) => m) }));
}

function entity(
  id: string,
  offsets: number[][],
  text: string,
  type = "Disease",
  ids: string[] = [],
): HfEntity {
  const pieces = offsets.map(([s, e]) => text.slice(s, e));
  return { id, offsets, text: pieces, type, normalized: ids.map((db_id) => ({ db_name: "MESH", db_id })) };
}

const fail = (problem: string): never => {
  throw new Error(problem);
};

Deno.test("flattening keeps a composite mention and drops its discontiguous and nested parts", () => {
  const text = "Ocular and auditory toxicity after cisplatin";
  const stats = emptyHfReadStats();
  const mentions = flattenEntities(
    text,
    [
      entity("0", [[0, 28]], text, "Disease", ["D014786", "D006311"]),
      entity("1", [[0, 6], [20, 28]], text, "Disease", ["D014786"]),
      entity("2", [[11, 28]], text, "Disease", ["D006311"]),
      entity("3", [[35, 44]], text, "Chemical", ["-1"]),
    ],
    stats,
    fail,
  );
  assertEquals(mentions, [
    { start: 0, end: 28, text: "Ocular and auditory toxicity", type: "Disease", ids: ["D014786", "D006311"] },
    { start: 35, end: 44, text: "cisplatin", type: "Chemical", ids: [] },
  ]);
  assertEquals(stats, { entities: 4, kept: 2, discontiguous: 1, overlapping: 1, droppedTextMismatches: 0 });
});

Deno.test("flattening: of overlapping spans the longest wins, equal spans keep the first", () => {
  const text = "hemorrhagic cystitis";
  const stats = emptyHfReadStats();
  const mentions = flattenEntities(
    text,
    [
      entity("0", [[0, 11]], text),
      entity("1", [[0, 20]], text, "Disease", ["A"]),
      entity("2", [[0, 20]], text, "Disease", ["B"]),
    ],
    stats,
    fail,
  );
  assertEquals(mentions.map((m) => m.ids), [["A"]]);
  assertEquals(stats.overlapping, 2);
});

Deno.test("flattening: a kept entity whose text differs is an error; a dropped one is only counted", () => {
  const text = "colorectal and gastric cancers";
  const stats = emptyHfReadStats();
  const split = { ...entity("1", [[0, 10], [23, 30]], text), text: ["colorectal cancers"] }; // bigbio #738
  flattenEntities(text, [entity("0", [[0, 30]], text), split], stats, fail);
  assertEquals(stats.droppedTextMismatches, 1);
  const wrong = { ...entity("0", [[0, 10]], text), text: ["colorectum"] };
  assertThrows(() => flattenEntities(text, [wrong], stats, fail), Error, `entity 0 (Disease "colorectum")`);
});

Deno.test("documentsFromHfRows names the row of bad input", () => {
  const passage = (type: string, text: string, entities: HfEntity[] = []) => ({
    document_id: "42",
    type,
    text,
    entities,
    relations: [],
  });
  const rows = [
    { passages: [passage("title", "Fine."), passage("abstract", "Also fine.")] },
    { passages: [passage("title", "Short."), passage("abstract", "Text.", [entity("0", [[3, 99]], "x")])] },
  ];
  const error = assertThrows(() => documentsFromHfRows(rows, { source: "t.parquet" }), CorpusFormatError);
  assertStringIncludes(error.message, "t.parquet:2: document 42: entity 0");
  assertStringIncludes(error.message, "offsets [3, 99) outside the document text (length 12)");
});

Deno.test('malformed parquet rows are refused at file:row, a null title never becomes the text "null …"', () => {
  const passage = (type: string, text: unknown, extra: Record<string, unknown> = {}) => ({
    document_id: "7",
    type,
    text,
    entities: [],
    relations: [],
    ...extra,
  });
  const good = { passages: [passage("title", "T."), passage("abstract", "A.")] };
  const cases: [unknown, string][] = [
    [{ passages: [passage("title", null), passage("abstract", "A.")] }, 'passage 1 (title): "text" is null'],
    [{ passages: [null, passage("abstract", "A.")] }, "passage 1 is null, not a passage"],
    [
      { passages: [passage("title", "T."), passage("abstract", "A.", { entities: [null] })] },
      "passage 2: entity 1 lacks",
    ],
    [
      {
        passages: [
          passage("title", "T.", { entities: [{ id: "1", type: "Chemical", offsets: [[0]], text: ["T"] }] }),
        ],
      },
      "passage 1: entity 1 lacks",
    ],
    [
      { passages: [passage("title", "T."), passage("abstract", "A.", { relations: "none" })] },
      'passage 2: "relations" is not a list',
    ],
    [
      { passages: [passage("title", "T.", { document_id: 7 })] },
      'passage 1 (title): "document_id" is number',
    ],
    [null, 'row has no "passages" list'],
  ];
  for (const [bad, message] of cases) {
    const error = assertThrows(
      () => documentsFromHfRows([good, bad] as HfRow[], { source: "b.parquet" }),
      CorpusFormatError,
    );
    assertStringIncludes(error.message, `b.parquet:2: ${message}`);
  }
});

Deno.test("the committed parquet fixtures read back as the PubTator fixtures (relations once, not per passage)", async () => {
  for (const split of SPLITS) {
    const fromParquet = await readHfParquet(join(FIXTURES, "parquet", HF_PARQUET_FILES[split]));
    const fromPubTator = await readPubTator(join(FIXTURES, "pubtator", PUBTATOR_FILES[split]));
    assertEquals(fromParquet, withoutIndividualMentions(fromPubTator));
  }
});

Deno.test({
  name: "on the real corpus, the flattening policy gives exactly the PubTator mentions back",
  ignore: !BC5CDR_DIR,
  fn: async () => {
    // The hub files are unreachable here: write the real PubTator documents in the bc5cdr_source schema,
    // with the composite parts as extra (discontiguous / nested) entities as in the BioC release.
    const dir = await Deno.makeTempDir();
    try {
      for (const split of SPLITS) {
        const pubtator = await readPubTator(join(BC5CDR_DIR!, "pubtator", PUBTATOR_FILES[split]));
        const path = join(dir, HF_PARQUET_FILES[split]);
        await writeHfParquet(path, hfRowsFromDocuments(pubtator));
        const stats = emptyHfReadStats();
        const fromParquet = await readHfParquet(path, { stats });
        assertEquals(fromParquet, withoutIndividualMentions(pubtator));
        assertEquals(stats.kept, pubtator.reduce((n, d) => n + d.mentions.length, 0));
        assertEquals(stats.entities - stats.kept, stats.discontiguous + stats.overlapping);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("damaged parquet files that made the reader spin forever are refused in one line", async () => {
  const train = await Deno.readFile(join(FIXTURES, "parquet", HF_PARQUET_FILES.train));
  const dir = await Deno.makeTempDir();
  try {
    // Found by fuzzing (tests/corpus/parquet_fuzz_test.ts): byte offset → new value.
    const cases: [Record<number, number>, string][] = [
      // A v2 page header loses its level lengths: hyparquet's offset became NaN, re-reading byte 0 forever.
      [{ 1318: 168 }, "a v2 data page header without its counts and level lengths"],
      // A level run header of continuation bytes (a run of ~2^31 values in a page of 22): hyparquet filled it.
      [{ 1398: 142 }, "levels or indices"],
    ];
    for (const [i, [mutation, message]] of cases.entries()) {
      const bytes = train.slice();
      for (const [at, value] of Object.entries(mutation)) bytes[Number(at)] = value;
      const path = join(dir, `spin-${i}.parquet`);
      await Deno.writeFile(path, bytes);
      const { code, stdout } = await readInChild("lib/corpus/readers/hf_parquet.ts", "readHfParquet", path);
      assertEquals(code, 0, `${path}: the child did not finish`);
      assertStringIncludes(stdout, `${path}: damaged parquet file: `);
      assertStringIncludes(stdout, message);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a parquet file without rows is an error, not 0 documents", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "empty.parquet");
    await writeHfParquet(path, []);
    const error = await assertRejects(() => readHfParquet(path), CorpusFormatError);
    assertStringIncludes(error.message, "no rows");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
