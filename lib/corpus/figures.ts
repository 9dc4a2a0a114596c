/**
 * Corpus statistics as table rows and plotly figures (for notebook 01 and reports).
 *
 * @module
 */
import type { PlotlyFigure } from "../plot/types.ts";
import type { Document, Split } from "./types.ts";
import { SPLITS } from "./types.ts";
import type { Corpus } from "./load.ts";
import { type Palette, paletteFor } from "../highlight/palette.js";

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
 * One row per split: documents, mentions per type, mentions with several ids (composite ones) and without
 * an id, relations.
 *
 * @example
 * ```ts
 * import { displayTable } from "../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayTable(corpusSummaryRows(corpus));
 * ```
 */
export function corpusSummaryRows(corpus: Corpus): Record<string, string | number>[] {
  const types = mentionTypes(SPLITS.flatMap((s) => corpus.splits[s]));
  return SPLITS.map((split) => {
    const docs = corpus.splits[split];
    const mentions = docs.flatMap((d) => d.mentions);
    return {
      split,
      documents: docs.length,
      ...Object.fromEntries(types.map((t) => [t, mentions.filter((m) => m.type === t).length])),
      "several ids": mentions.filter((m) => m.ids.length > 1).length,
      "without id": mentions.filter((m) => m.ids.length === 0).length,
      relations: docs.reduce((n, d) => n + d.relations.length, 0),
    };
  });
}

/**
 * Bars of a type in the palette's figure colour (the hue of its highlights). Each figure below takes the
 * corpus's palette as `options.palette`; by default, `paletteFor` of the types in the documents it shows.
 */
const typeMarker = (palette: Palette, type: string) => ({ color: palette[type].line });

/**
 * Grouped bars: mentions per type in each split.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayFigure(mentionsPerSplitFigure(corpus));
 * ```
 */
export function mentionsPerSplitFigure(corpus: Corpus, options: { palette?: Palette } = {}): PlotlyFigure {
  const types = mentionTypes(SPLITS.flatMap((s) => corpus.splits[s]));
  const palette = { ...paletteFor(types), ...options.palette };
  return {
    data: types.map((type) => ({
      type: "bar",
      name: type,
      x: [...SPLITS],
      y: SPLITS.map((s) => corpus.splits[s].flatMap((d) => d.mentions).filter((m) => m.type === type).length),
      marker: typeMarker(palette, type),
    })),
    layout: {
      title: { text: "Mentions per type and split" },
      barmode: "group",
      yaxis: { title: { text: "mentions" } },
    },
  };
}

/**
 * Histogram of mention lengths in whitespace-separated words, per type (longer ones pooled in the last bar).
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayFigure(mentionLengthFigure(corpus.splits.train, { split: "train" }));
 * ```
 */
export function mentionLengthFigure(
  documents: readonly Document[],
  options: { split?: Split; maxWords?: number; palette?: Palette } = {},
): PlotlyFigure {
  const maxWords = options.maxWords ?? 8;
  const types = mentionTypes(documents);
  const palette = { ...paletteFor(types), ...options.palette };
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
      title: { text: `Mention length${options.split ? ` (${options.split})` : ""}` },
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
 * import { displayFigure } from "../notebook/display.ts";
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
 * import { displayTable } from "../notebook/display.ts";
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
