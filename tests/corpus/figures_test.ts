import { assertEquals, assertStringIncludes } from "@std/assert";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import {
  corpusSummaryRows,
  mentionFrequencyFigure,
  mentionLengthFigure,
  mentionsPerSplitFigure,
  mentionVocabularyRows,
} from "../../lib/corpus/views/figures.ts";
import { highlightMentionsHtml } from "../../lib/corpus/views/highlight.ts";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import { projectPath } from "../../lib/util/paths.ts";

const corpus = await readBc5cdr({ dir: projectPath("data", "fixtures", "corpus"), source: "pubtator" });

Deno.test("summary rows count documents, mentions per type, multi-id and id-less mentions, relations", () => {
  assertEquals(corpusSummaryRows(corpus)[0], {
    split: "train",
    documents: 2,
    Chemical: 7,
    Disease: 6,
    "several ids": 3,
    "without id": 1,
    relations: 3,
  });
});

Deno.test("figures: one trace per type, counts that add up to the mentions", () => {
  const perSplit = mentionsPerSplitFigure(corpus);
  assertEquals(perSplit.data.map((t) => [t.name, t.y]), [["Chemical", [7, 3, 2]], ["Disease", [6, 3, 2]]]);
  const lengths = mentionLengthFigure(corpus.splits.train, { maxWords: 4 });
  assertEquals(lengths.data.map((t) => t.y), [[7, 0, 0, 0], [3, 1, 0, 2]]);
  const frequent = mentionFrequencyFigure(corpus.splits.train, { type: "Chemical", top: 2 });
  // clonidine twice; ties (once each) in alphabetical order; bars listed bottom-up.
  assertEquals([frequent.data[0].y, frequent.data[0].x], [["[3h]-naloxone", "clonidine"], [1, 2]]);
});

Deno.test("highlighted HTML escapes the text and marks each mention with its type and ids", () => {
  const [doc] = parsePubTator(
    "1|t|<b>Aspirin</b> & ulcers.\n1|a|None.\n1\t3\t10\tAspirin\tChemical\tD001241\n",
  );
  const html = highlightMentionsHtml(doc);
  assertStringIncludes(html, "&lt;b&gt;<mark");
  assertStringIncludes(html, `title="Chemical D001241">Aspirin<sub`);
  assertStringIncludes(html, "&lt;/b&gt; &amp; ulcers.");
  assertEquals(html.includes("<b>Aspirin"), false);
});

Deno.test("vocabulary rows: distinct forms, singletons, and test mentions unseen in train", () => {
  const rows = mentionVocabularyRows(corpus.splits.train, corpus.splits.test);
  // train Chemical forms: clonidine ×2, naloxone, [3h]-naloxone, 5-fluorouracil, lidocaine, cyclophosphamide;
  // test Chemical mentions: Tamoxifen, tamoxifen — both unseen.
  assertEquals(rows[0], {
    type: "Chemical",
    "train mentions": 7,
    "distinct forms": 6,
    "forms seen once": 5,
    "test mentions unseen in train": "100.0%",
  });
});
