/**
 * One palette: every view that draws entities — corpus documents (notebook 01), BIO tables (02), error
 * examples (04 and the report), the page and notebook 05 — and every figure coloured by type gives a type
 * the same colour.
 */
import { assertEquals } from "@std/assert";
import { analyzeErrors, exampleHtml, recallByLengthFigure } from "../../lib/analysis/mod.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { bioSentenceHtml } from "../../lib/bio/html.ts";
import { mentionLengthFigure } from "../../lib/corpus/views/figures.ts";
import { highlightMentionsHtml } from "../../lib/corpus/views/highlight.ts";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import {
  distinctEntityColors,
  ENTITY_PALETTE,
  entityColors,
  labelEntityTypes,
  markSpansHtml,
  mentionsHeading,
  paletteFor,
  renderHighlightHtml,
} from "../../lib/highlight/mod.ts";

/** BC5CDR's two types and one that only the name-derived colour covers. */
const TYPES = ["Chemical", "Disease", "Gene"];
const WORDS = ["aspirin", "causes", "ulcers", "via", "BRCA1"];
const TAGS = ["B-Chemical", "O", "B-Disease", "O", "B-Gene"];
const TEXT = WORDS.join(" ");
/** The colours of a corpus of these types: what every view and figure of it is given. */
const PALETTE = paletteFor(TYPES);

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
  return markColors(highlightMentionsHtml(doc, { palette: PALETTE }));
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
  return markColors(
    analysis.examples["false negative"].map((e) => exampleHtml(e, { palette: PALETTE })).join(""),
  );
}

function pageView(): Record<string, string> {
  const entities = sentence.words.flatMap((w, i) =>
    TAGS[i] === "O" ? [] : [{ start: w.start, end: w.end, text: w.text, type: TAGS[i].slice(2), score: 0.9 }]
  );
  return markColors(renderHighlightHtml(TEXT, entities, { palette: PALETTE }));
}

Deno.test("corpus, error-example and page views give each type the corpus palette's background", () => {
  const expected = Object.fromEntries(TYPES.map((type) => [type, PALETTE[type].background]));
  assertEquals(new Set(Object.values(expected)).size, TYPES.length);
  assertEquals(corpusView(), expected, "corpus documents (notebook 01)");
  assertEquals(examplesView(), expected, "error examples (notebook 04)");
  assertEquals(pageView(), expected, "the web page and notebook 05");
  // lib/bio's BIO table takes no palette yet: each type in its name-derived colour.
  const named = Object.fromEntries(TYPES.map((type) => [type, entityColors(type).background]));
  assertEquals(bioView(), named, "BIO tables (notebook 02)");
});

Deno.test("figures coloured by type use the corpus palette's line colour of the same hue", () => {
  const expected = Object.fromEntries(TYPES.map((type) => [type, PALETTE[type].line]));
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

/** sRGB hex → CIE L*a*b* (D65): the other direction from the palette's own conversion. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const xyz = [
    (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
    0.2126729 * r + 0.7151522 * g + 0.072175 * b,
    (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883,
  ];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** WCAG 2 contrast ratio of two sRGB hex colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

Deno.test("distinct colours for N types: readable (black on backgrounds ≥ 7:1, lines on white ≥ 3:1), ΔE ≥ 10", () => {
  for (let n = 1; n <= 24; n++) {
    const colors = distinctEntityColors(n);
    assertEquals(colors.length, n);
    for (const { background, line } of colors) {
      assertEquals(contrast(background, "#000000") >= 7, true, `n=${n}: black on ${background}`);
      assertEquals(contrast(line, "#ffffff") >= 3, true, `n=${n}: ${line} on white`);
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [a, b] = [colors[i], colors[j]];
        assertEquals(
          deltaE(a.background, b.background) >= 10,
          true,
          `n=${n}: ${a.background} ~ ${b.background}`,
        );
        assertEquals(deltaE(a.line, b.line) >= 10, true, `n=${n}: ${a.line} ~ ${b.line}`);
      }
    }
  }
});

Deno.test("paletteFor: BioNLP13CG's 16 types all differ; BC5CDR keeps its colours", () => {
  const types = [
    "Amino_acid",
    "Anatomical_system",
    "Cancer",
    "Cell",
    "Cellular_component",
    "Developing_anatomical_structure",
    "Gene_or_gene_product",
    "Immaterial_anatomical_entity",
    "Multi-tissue_structure",
    "Organ",
    "Organism",
    "Organism_subdivision",
    "Organism_substance",
    "Pathological_formation",
    "Simple_chemical",
    "Tissue",
  ];
  const palette = paletteFor(types);
  assertEquals(Object.keys(palette), types);
  const backgrounds = Object.values(palette).map((c) => c.background);
  for (const [i, a] of backgrounds.entries()) {
    assertEquals(/^#[0-9a-f]{6}$/.test(a), true, a);
    for (const b of backgrounds.slice(i + 1)) assertEquals(deltaE(a, b) >= 10, true, `${a} ~ ${b}`);
  }
  assertEquals(paletteFor(types), palette); // stable
  assertEquals(paletteFor(["Disease", "Chemical"]), {
    Disease: ENTITY_PALETTE.Disease,
    Chemical: ENTITY_PALETTE.Chemical,
  });
  const mixed = paletteFor(["Chemical", "Gene"]);
  assertEquals(mixed.Chemical.background !== mixed.Gene.background, true);
});

Deno.test("marks take a corpus's palette: 16 types, 16 backgrounds", () => {
  const types = Array.from({ length: 16 }, (_, i) => `T${i}`);
  const text = types.join(" ");
  const spans = types.map((type) => ({
    start: text.indexOf(type),
    end: text.indexOf(type) + type.length,
    type,
  }));
  const palette = paletteFor(types);
  const colors = markColors(markSpansHtml(text, spans, { palette }));
  assertEquals(colors, Object.fromEntries(types.map((type) => [type, palette[type].background])));
  assertEquals(new Set(Object.values(colors)).size, 16);
});

Deno.test("paletteFor: a type's colour depends on the set of types, not on the order they are listed in", () => {
  const types = ["Tissue", "Cell", "Gene_or_gene_product", "Cancer"];
  const given = paletteFor(types), reversed = paletteFor([...types].reverse());
  assertEquals(Object.keys(given), types); // keys keep the caller's order
  for (const type of types) assertEquals(given[type], reversed[type], type);
  assertEquals(given, paletteFor([...types].sort()));
});

Deno.test("labelEntityTypes and mentionsHeading: a model's types from its labels, and the page's heading", () => {
  assertEquals(labelEntityTypes(["O", "B-Disease", "I-Disease", "B-Chemical", "I-Chemical"]), [
    "Chemical",
    "Disease",
  ]);
  assertEquals(labelEntityTypes(["O", "S-GENE", "B-GENE", "I-GENE", "E-GENE"]), ["GENE"]);
  assertEquals(mentionsHeading(["Chemical", "Disease"]), "Chemical and disease mentions");
  assertEquals(mentionsHeading(["GENE"]), "GENE mentions");
  assertEquals(
    mentionsHeading(["Cell", "Cancer", "Simple_chemical"]),
    "Cell, cancer and simple chemical mentions",
  );
  assertEquals(mentionsHeading(Array.from({ length: 16 }, (_, i) => `T${i}`)), "Mentions of 16 entity types");
});
