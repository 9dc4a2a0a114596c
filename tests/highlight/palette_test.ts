/**
 * One palette: every view that draws entities — corpus documents (notebook 01), BIO tables (02), error
 * examples (04 and the report), the page and notebook 05 — and every figure coloured by type gives a type
 * the same colour.
 */
import { assertEquals } from "@std/assert";
import { analyzeErrors, exampleHtml, recallByLengthFigure } from "../../lib/analysis/mod.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { bioSentenceHtml } from "../../lib/bio/html.ts";
import { mentionLengthFigure } from "../../lib/corpus/figures.ts";
import { highlightMentionsHtml } from "../../lib/corpus/highlight.ts";
import { parsePubTator } from "../../lib/corpus/pubtator.ts";
import { entityColors, renderHighlightHtml } from "../../lib/highlight/mod.ts";

/** BC5CDR's two types and one that only the name-derived colour covers. */
const TYPES = ["Chemical", "Disease", "Gene"];
const WORDS = ["aspirin", "causes", "ulcers", "via", "BRCA1"];
const TAGS = ["B-Chemical", "O", "B-Disease", "O", "B-Gene"];
const TEXT = WORDS.join(" ");

/** Type → background colour of each `<mark>` in the HTML (all marks of a type must agree). */
function markColors(html: string): Record<string, string> {
  const colors: Record<string, string> = {};
  for (const [, type, color] of html.matchAll(/<mark [^>]*data-type="([^"]+)" style="background:([^;"]+)/g)) {
    assertEquals(colors[type] ?? color, color, `two colours for ${type}`);
    colors[type] = color;
  }
  return colors;
}

const sentence: Sentence = {
  docId: "d",
  index: 0,
  start: 0,
  end: TEXT.length,
  words: WORDS.map((text, i) => {
    const start = WORDS.slice(0, i).join(" ").length + (i > 0 ? 1 : 0);
    return { text, start, end: start + text.length };
  }),
  tags: TAGS,
};

function corpusView(): Record<string, string> {
  const mentions = sentence.words.flatMap((w, i) =>
    TAGS[i] === "O" ? [] : [`1\t${w.start + 2}\t${w.end + 2}\t${w.text}\t${TAGS[i].slice(2)}\tX`]
  );
  // The title "T" puts the abstract (the sentence) at offset 2 of the document text.
  const [doc] = parsePubTator(`1|t|T\n1|a|${TEXT}\n${mentions.join("\n")}\n`);
  return markColors(highlightMentionsHtml(doc));
}

function bioView(): Record<string, string> {
  const colors: Record<string, string> = {};
  const html = bioSentenceHtml(sentence);
  for (const [, color, word] of html.matchAll(/<td style="background:([^"]+)">([^<]+)<\/td>/g)) {
    colors[TAGS[WORDS.indexOf(word)].slice(2)] = color;
  }
  return colors;
}

function examplesView(): Record<string, string> {
  const predicted = { ...sentence, tags: TAGS.map(() => "O") };
  const analysis = analyzeErrors({ gold: [sentence], predicted: [predicted] });
  return markColors(analysis.examples["false negative"].map((e) => exampleHtml(e)).join(""));
}

function pageView(): Record<string, string> {
  const entities = sentence.words.flatMap((w, i) =>
    TAGS[i] === "O" ? [] : [{ start: w.start, end: w.end, text: w.text, type: TAGS[i].slice(2), score: 0.9 }]
  );
  return markColors(renderHighlightHtml(TEXT, entities));
}

Deno.test("corpus, BIO, error-example and page views give each type the palette's background", () => {
  const expected = Object.fromEntries(TYPES.map((type) => [type, entityColors(type).background]));
  assertEquals(corpusView(), expected, "corpus documents (notebook 01)");
  assertEquals(bioView(), expected, "BIO tables (notebook 02)");
  assertEquals(examplesView(), expected, "error examples (notebook 04)");
  assertEquals(pageView(), expected, "the web page and notebook 05");
});

Deno.test("figures coloured by type use the palette's line colour of the same hue", () => {
  const expected = Object.fromEntries(TYPES.map((type) => [type, entityColors(type).line]));
  const traceColors = (data: Record<string, unknown>[]) =>
    Object.fromEntries(
      data.filter((t) => TYPES.includes(t.name as string))
        .map((t) => [t.name, (t.marker as { color: string }).color]),
    );
  const [doc] = parsePubTator(
    "1|t|T\n1|a|aspirin ulcers BRCA1\n1\t2\t9\taspirin\tChemical\tX\n1\t10\t16\tulcers\tDisease\tX\n" +
      "1\t17\t22\tBRCA1\tGene\tX\n",
  );
  assertEquals(traceColors(mentionLengthFigure([doc]).data), expected, "corpus figures (notebook 01)");
  const analysis = analyzeErrors({ gold: [sentence], predicted: [sentence] });
  assertEquals(traceColors(recallByLengthFigure(analysis).data), expected, "analysis figures (notebook 04)");
});
