/**
 * Plotly figures of the error analysis: the outcome breakdown, confusion heatmaps, seen-vs-unseen recall and
 * recall by entity length. Plain JSON ({@link PlotlyFigure}) in the shared layout and colours of
 * lib/plot/figures.ts.
 *
 * @module
 */
import { paletteFor } from "../highlight/palette.js";
import {
  baseLayout,
  categoryAxis,
  categoryLayout,
  type FigureOptions,
  MAX_LABELLED_GROUPS,
  percent,
  seriesColor,
  SIDE_LEGEND,
} from "../plot/figures.ts";
import type { PlotlyFigure } from "../plot/types.ts";
import { type Confusion, type ErrorAnalysis, LENGTH_BUCKETS, type RecallBucket } from "./analyze.ts";
import { ERROR_KINDS } from "./errors.ts";

/**
 * Stacked bars: how many span groups of each error kind per entity type.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import type { ErrorAnalysis } from "./analyze.ts";
 * declare const analysis: ErrorAnalysis; // from analyzeErrors or evaluateRun
 * await displayFigure(errorBreakdownFigure(analysis));
 * ```
 */
export function errorBreakdownFigure(analysis: ErrorAnalysis, options: FigureOptions = {}): PlotlyFigure {
  const types = analysis.types;
  return {
    data: ERROR_KINDS.map((kind) => ({
      type: "bar",
      name: kind,
      x: types,
      y: types.map((type) => analysis.counts[type][kind]),
      marker: { color: seriesColor(kind) },
    })),
    layout: baseLayout(options.title ?? "Entities by outcome and type", {
      barmode: "stack",
      ...categoryLayout(types),
      yaxis: { title: { text: "span groups" } },
    }),
  };
}

/**
 * A heatmap of a confusion matrix (rows: gold, columns: predicted), colour by row share, counts as text.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import type { ErrorAnalysis } from "./analyze.ts";
 * declare const analysis: ErrorAnalysis; // from analyzeErrors or evaluateRun
 * await displayFigure(confusionHeatmapFigure(analysis.tokenConfusion, { title: "Token labels" }));
 * ```
 */
export function confusionHeatmapFigure(confusion: Confusion, options: FigureOptions = {}): PlotlyFigure {
  // Colour by the share of the row, so that the rare entity labels are as readable as the frequent O.
  const shares = confusion.matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
  // Cells keep room for their count: 17×17 for 16 types and O, 33×33 for their B-/I- token labels.
  const n = confusion.labels.length;
  const size = n > 8 ? { height: 200 + 30 * n, width: 300 + 34 * n } : {};
  return {
    data: [{
      type: "heatmap",
      x: confusion.labels,
      y: confusion.labels,
      z: shares,
      text: confusion.matrix.map((row) => row.map(String)),
      texttemplate: "%{text}",
      hovertemplate: "gold %{y} → predicted %{x}: %{text}<extra></extra>",
      // plotly's "Blues" runs dark → light; reversed, the large shares are dark.
      colorscale: "Blues",
      reversescale: true,
      zmin: 0,
      zmax: 1,
      colorbar: { title: { text: "row share" } },
    }],
    layout: baseLayout(options.title ?? "Confusion (rows: gold, columns: predicted)", {
      xaxis: { title: { text: "predicted" }, side: "bottom", ...categoryAxis(confusion.labels) },
      yaxis: { title: { text: "gold" }, autorange: "reversed", automargin: true },
      ...size,
    }),
  };
}

/**
 * One trace of recall bars; `found/total` printed above each bar while a group holds few bars (`labelled`),
 * else only in the hover text.
 */
function recallBars(
  name: string,
  labels: string[],
  buckets: RecallBucket[],
  options: { color: string; labelled: boolean },
): Record<string, unknown> {
  return {
    type: "bar",
    name,
    x: labels,
    y: buckets.map((b) => percent(b.recall)),
    text: buckets.map((b) => `${b.found}/${b.total}`),
    textposition: options.labelled ? "outside" : "none",
    hovertemplate: `${name} %{x}: %{y:.1f}% (%{text})<extra></extra>`,
    marker: { color: options.color },
  };
}

/**
 * Recall of gold entities whose text was / was not seen as an entity in training, per type and overall.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import type { ErrorAnalysis } from "./analyze.ts";
 * declare const analysis: ErrorAnalysis; // from analyzeErrors or evaluateRun
 * if (analysis.seenUnseen) await displayFigure(seenUnseenFigure(analysis));
 * ```
 */
export function seenUnseenFigure(analysis: ErrorAnalysis, options: FigureOptions = {}): PlotlyFigure {
  const seenUnseen = analysis.seenUnseen;
  if (!seenUnseen) {
    throw new Error("seenUnseenFigure: the analysis has no seen/unseen split (no training sentences)");
  }
  const groups = [...analysis.types, "all"];
  const labelled = groups.length <= MAX_LABELLED_GROUPS;
  return {
    data: (["seen", "unseen"] as const).map((which) =>
      recallBars(which, groups, groups.map((type) => seenUnseen[type][which]), {
        color: seriesColor(which),
        labelled,
      })
    ),
    layout: baseLayout(options.title ?? "Recall: entity text seen vs unseen in training", {
      barmode: "group",
      ...categoryLayout(groups),
      yaxis: { title: { text: "recall %" }, range: [0, 110] },
    }),
  };
}

/**
 * Recall by entity length in words: per length, one bar per type (in the palette's colours) and overall.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import type { ErrorAnalysis } from "./analyze.ts";
 * declare const analysis: ErrorAnalysis; // from analyzeErrors or evaluateRun
 * await displayFigure(recallByLengthFigure(analysis));
 * ```
 */
export function recallByLengthFigure(analysis: ErrorAnalysis, options: FigureOptions = {}): PlotlyFigure {
  const lengths = [...LENGTH_BUCKETS];
  const palette = options.palette ?? paletteFor(analysis.types);
  const series = [...analysis.types, "all"];
  return {
    data: series.map((type) =>
      recallBars(type, lengths, lengths.map((length) => analysis.recallByLength[type][length]), {
        color: seriesColor(type, palette),
        labelled: series.length <= MAX_LABELLED_GROUPS,
      })
    ),
    layout: baseLayout(options.title ?? "Recall by entity length", {
      barmode: "group",
      // Many types: their legend in a column beside the plot, clear of the axis title.
      ...(series.length > MAX_LABELLED_GROUPS ? { legend: SIDE_LEGEND } : {}),
      xaxis: { title: { text: "words" }, type: "category" },
      yaxis: { title: { text: "recall %" }, range: [0, 110] },
    }),
  };
}
