/**
 * Corpus statistics as table rows and plotly figures (for notebook 01 and reports).
 *
 * @module
 */
import type { PlotlyFigure } from "../../plot/types.ts";
import type { Document, Split } from "../types.ts";
import { SPLITS } from "../types.ts";
import type { Corpus } from "../corpus.ts";
import { type Palette, paletteFor } from "../../highlight/palette.js";

/**
 * Entity types present in the documents, sorted.
 *
 * @example
 * ```ts
 * declare const corpus: any; // the example's inputs
 * mentionTypes(corpus.splits.train); // ["Chemical", "Disease"]
 * ```
 */
export function mentionTypes(documents: readonly Document[]): string[] {
  return [...new Set(documents.flatMap((d) => d.mentions.map((m) => m.type)))].sort();
}

/**
 * Entity types by how often they are mentioned in the documents, most frequent first (ties by name).
 *
 * @example
 * ```ts
 * declare const corpus: any; // the example's inputs
 * typesByFrequency(corpus.splits.train).slice(0, 4); // the four most frequent types
 * ```
 */
export function typesByFrequency(documents: readonly Document[]): string[] {
  const counts = new Map<string, number>();
  for (const m of documents.flatMap((d) => d.mentions)) counts.set(m.type, (counts.get(m.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([type]) => type);
}

/**
 * Up to this many types get a column (or a group of bars) each in the per-split views; a corpus with more
 * (BioNLP13CG has 16) gets one row (or group) per type instead, so its views stay readable.
 */
export const FEW_TYPES = 6;

/** The documents of each split: a {@link Corpus} (a word-tokenised one's rebuilt from its tokens). */
export type SplitDocuments = Pick<Corpus, "splits">;

/**
 * One row per split: documents, mentions per type (their total instead, with more than {@link FEW_TYPES}
 * types: see {@link mentionsPerTypeRows}), mentions with several ids (composite ones) and without an id,
 * and relations — the last three only for a corpus that has ids or relations at all (BC5CDR has both;
 * word-tokenised corpora have neither).
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayTable(corpusSummaryRows(corpus));
 * ```
 */
export function corpusSummaryRows(corpus: SplitDocuments): Record<string, string | number>[] {
  const all = SPLITS.flatMap((s) => corpus.splits[s]);
  const types = mentionTypes(all);
  const hasIds = all.some((d) => d.mentions.some((m) => m.ids.length > 0));
  const hasRelations = all.some((d) => d.relations.length > 0);
  return SPLITS.map((split) => {
    const docs = corpus.splits[split];
    const mentions = docs.flatMap((d) => d.mentions);
    return {
      split,
      documents: docs.length,
      ...(types.length > FEW_TYPES
        ? { mentions: mentions.length, types: mentionTypes(docs).length }
        : Object.fromEntries(types.map((t) => [t, mentions.filter((m) => m.type === t).length]))),
      ...(hasIds && {
        "several ids": mentions.filter((m) => m.ids.length > 1).length,
        "without id": mentions.filter((m) => m.ids.length === 0).length,
      }),
      ...(hasRelations && { relations: docs.reduce((n, d) => n + d.relations.length, 0) }),
    };
  });
}

/**
/**
 * One row per entity type, most frequent first: its mentions in each split and in all.
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayTable(mentionsPerTypeRows(corpus)); // [{ type: "Gene_or_gene_product", train: …, dev: …, test: …, all: … }, …]
 * ```
 */
export function mentionsPerTypeRows(corpus: SplitDocuments): Record<string, string | number>[] {
  const count = (split: Split, type: string) =>
    corpus.splits[split].reduce((n, d) => n + d.mentions.filter((m) => m.type === type).length, 0);
  return typesByFrequency(SPLITS.flatMap((s) => corpus.splits[s])).map((type) => {
    const perSplit = Object.fromEntries(SPLITS.map((split) => [split, count(split, type)]));
    return { type, ...perSplit, all: SPLITS.reduce((n, split) => n + perSplit[split], 0) };
  });
}

/**
 * Bars of a type in the palette's figure colour (the hue of its highlights). Each figure below takes the
 * corpus's palette as `options.palette`; by default, `paletteFor` of the types in the documents it shows.
 */
const typeMarker = (palette: Palette, type: string) => ({ color: palette[type].line });

/**
 * Grouped bars: mentions per type in each split — one group per split, a bar per type in its colour; with
 * more than {@link FEW_TYPES} types one group per type (most frequent first), a bar per split.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayFigure(mentionsPerSplitFigure(corpus));
 * ```
 */
export function mentionsPerSplitFigure(
  corpus: SplitDocuments,
  options: { palette?: Palette } = {},
): PlotlyFigure {
  const types = mentionTypes(SPLITS.flatMap((s) => corpus.splits[s]));
  const palette = { ...paletteFor(types), ...options.palette };
  const count = (split: Split, type: string) =>
    corpus.splits[split].flatMap((d) => d.mentions).filter((m) => m.type === type).length;
  const layout = {
    title: { text: "Mentions per type and split" },
    barmode: "group",
    yaxis: { title: { text: "mentions" } },
  };
  if (types.length > FEW_TYPES) {
    const byFrequency = mentionsPerTypeRows(corpus).map((row) => String(row.type));
    return {
      data: SPLITS.map((split) => ({
        type: "bar",
        name: split,
        x: byFrequency,
        y: byFrequency.map((type) => count(split, type)),
      })),
      layout: { ...layout, xaxis: { type: "category", tickangle: -40, automargin: true }, height: 480 },
    };
  }
  return {
    data: types.map((type) => ({
      type: "bar",
      name: type,
      x: [...SPLITS],
      y: SPLITS.map((s) => count(s, type)),
      marker: typeMarker(palette, type),
    })),
    layout,
  };
}

/**
 * Histogram of mention lengths in whitespace-separated words, per type (longer ones pooled in the last bar).
 * `types` limits it to some types (default all); the title then says how many of how many are shown.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayFigure(mentionLengthFigure(corpus.splits.train, { split: "train" }));
 * ```
 */
export function mentionLengthFigure(
  documents: readonly Document[],
  options: { split?: Split; maxWords?: number; palette?: Palette; types?: readonly string[] } = {},
): PlotlyFigure {
  const maxWords = options.maxWords ?? 8;
  const all = mentionTypes(documents);
  const types = options.types ?? all;
  const palette = { ...paletteFor(all), ...options.palette };
  const notes = [options.split, types.length < all.length ? `${types.length} of ${all.length} types` : ""];
  const labels = Array.from(
    { length: maxWords },
    (_, i) => (i + 1 === maxWords ? `${maxWords}+` : String(i + 1)),
  );
  return {
    data: types.map((type) => {
      const counts = new Array(maxWords).fill(0);
      for (const m of documents.flatMap((d) => d.mentions)) {
        if (m.type === type) counts[Math.min(m.text.trim().split(/\s+/).length, maxWords) - 1]++;
      }
      return { type: "bar", name: type, x: labels, y: counts, marker: typeMarker(palette, type) };
    }),
    layout: {
      title: { text: `Mention length${notes.some(Boolean) ? ` (${notes.filter(Boolean).join("; ")})` : ""}` },
      barmode: "group",
      xaxis: { title: { text: "words per mention" }, type: "category" },
      yaxis: { title: { text: "mentions" } },
    },
  };
}

/**
 * Horizontal bars: the most frequent surface forms (case-folded) of one mention type.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayFigure(mentionFrequencyFigure(corpus.splits.train, { type: "Chemical", top: 15 }));
 * ```
 */
export function mentionFrequencyFigure(
  documents: readonly Document[],
  options: { type: string; top?: number; split?: Split; palette?: Palette },
): PlotlyFigure {
  const palette = { ...paletteFor([...mentionTypes(documents), options.type]), ...options.palette };
  const counts = new Map<string, number>();
  for (const m of documents.flatMap((d) => d.mentions)) {
    if (m.type === options.type) {
      counts.set(m.text.toLowerCase(), (counts.get(m.text.toLowerCase()) ?? 0) + 1);
    }
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, options.top ?? 15);
  const distinct = counts.size;
  return {
    data: [{
      type: "bar",
      orientation: "h",
      name: options.type,
      x: top.map(([, n]) => n).reverse(),
      y: top.map(([text]) => text).reverse(),
      marker: typeMarker(palette, options.type),
    }],
    layout: {
      title: {
        text: `Most frequent ${options.type} mentions${options.split ? ` (${options.split})` : ""}: ` +
          `top ${top.length} of ${distinct} distinct`,
      },
      xaxis: { title: { text: "mentions" } },
      // Room for long surface forms ("vascular endothelial growth factor") beside the bars.
      yaxis: { automargin: true },
      margin: { l: 180 },
      height: 120 + 22 * top.length,
    },
  };
}

/**
 * One row per mention type: mentions and distinct surface forms (case-folded) in `train`, forms seen only
 * once, and the share of `test` mentions whose form never occurs in `train` (what memorising cannot solve).
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayTable(mentionVocabularyRows(corpus.splits.train, corpus.splits.test));
 * ```
 */
export function mentionVocabularyRows(
  train: readonly Document[],
  test: readonly Document[],
): Record<string, string | number>[] {
  const formsOf = (docs: readonly Document[], type: string) =>
    docs.flatMap((d) => d.mentions).filter((m) => m.type === type).map((m) => m.text.toLowerCase());
  return mentionTypes([...train, ...test]).map((type) => {
    const trainForms = formsOf(train, type);
    const counts = new Map<string, number>();
    for (const form of trainForms) counts.set(form, (counts.get(form) ?? 0) + 1);
    const testForms = formsOf(test, type);
    const unseen = testForms.filter((form) => !counts.has(form)).length;
    return {
      type,
      "train mentions": trainForms.length,
      "distinct forms": counts.size,
      "forms seen once": [...counts.values()].filter((n) => n === 1).length,
      "test mentions unseen in train": testForms.length
        ? `${((100 * unseen) / testForms.length).toFixed(1)}%`
        : "-",
    };
  });
}
