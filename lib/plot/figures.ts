/**
 * Plotly figure builders for the evaluation: per-type P/R/F1, the error breakdown, confusion heatmaps,
 * seen-vs-unseen recall, recall by entity length, and learning curves from a training log. Each returns
 * plain JSON ({@link PlotlyFigure}), shown inline in notebooks and written as HTML/PNG by html.ts / png.ts.
 *
 * @module
 */
import {
  type Confusion,
  type ErrorAnalysis,
  LENGTH_BUCKETS,
  type RecallBucket,
} from "../analysis/analyze.ts";
import { ERROR_KINDS } from "../analysis/errors.ts";
import type { ClassificationReport } from "../metrics/report.ts";
import type { PlotlyFigure } from "./types.ts";

/** Trace colours by series name (types, metrics, error kinds); others fall back to plotly's defaults. */
export const SERIES_COLORS: Record<string, string> = {
  Chemical: "#1b9e77",
  Disease: "#d95f02",
  all: "#555555",
  precision: "#4c78a8",
  recall: "#f58518",
  "f1-score": "#54a24b",
  exact: "#54a24b",
  boundary: "#eeca3b",
  type: "#b279a2",
  "type+boundary": "#9d755d",
  "false positive": "#e45756",
  "false negative": "#4c78a8",
  seen: "#72b7b2",
  unseen: "#ff9da6",
};

/** Common layout: white background, compact margins, a title. */
function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    template: "plotly_white",
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    margin: { l: 70, r: 30, t: 60, b: 60 },
    legend: { orientation: "h", y: -0.15 },
    ...extra,
  };
}

function percent(x: number | null): number | null {
  return x === null || Number.isNaN(x) ? null : Math.round(x * 10000) / 100;
}

/** Options with a figure title. */
export interface FigureOptions {
  title?: string;
}

/**
 * Grouped bars of precision, recall and F1 per entity type plus the micro average, in percent.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const evaluation: any; // the example's inputs
 * await displayFigure(prfBarsFigure(evaluation.report, { title: "Test, strict mode" }));
 * ```
 */
export function prfBarsFigure(report: ClassificationReport, options: FigureOptions = {}): PlotlyFigure {
  const rows = Object.keys(report).filter((name) => name !== "macro avg" && name !== "weighted avg");
  const data = (["precision", "recall", "f1-score"] as const).map((metric) => {
    const y = rows.map((row) => percent(report[row][metric]));
    return {
      type: "bar",
      name: metric,
      x: rows,
      y,
      text: y.map((v) => (v === null ? "" : v.toFixed(1))),
      textposition: "outside",
      marker: { color: SERIES_COLORS[metric] },
    };
  });
  return {
    data,
    layout: baseLayout(options.title ?? "Precision, recall and F1 by type", {
      barmode: "group",
      yaxis: { title: { text: "%" }, range: [0, 105] },
    }),
  };
}

/**
 * Stacked bars: how many span groups of each error kind per entity type.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const analysis: any; // the example's inputs
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
      marker: { color: SERIES_COLORS[kind] },
    })),
    layout: baseLayout(options.title ?? "Entities by outcome and type", {
      barmode: "stack",
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
 * declare const analysis: any; // the example's inputs
 * await displayFigure(confusionHeatmapFigure(analysis.tokenConfusion, { title: "Token labels" }));
 * ```
 */
export function confusionHeatmapFigure(confusion: Confusion, options: FigureOptions = {}): PlotlyFigure {
  // Colour by the share of the row, so that the rare entity labels are as readable as the frequent O.
  const shares = confusion.matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
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
      xaxis: { title: { text: "predicted" }, side: "bottom", automargin: true },
      yaxis: { title: { text: "gold" }, autorange: "reversed", automargin: true },
    }),
  };
}

function recallBars(name: string, labels: string[], buckets: RecallBucket[]): Record<string, unknown> {
  return {
    type: "bar",
    name,
    x: labels,
    y: buckets.map((b) => percent(b.recall)),
    text: buckets.map((b) => `${b.found}/${b.total}`),
    textposition: "outside",
    hovertemplate: `${name} %{x}: %{y:.1f}% (%{text})<extra></extra>`,
    marker: { color: SERIES_COLORS[name] },
  };
}

/**
 * Recall of gold entities whose text was / was not seen as an entity in training, per type and overall.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const analysis: any; // the example's inputs
 * if (analysis.seenUnseen) await displayFigure(seenUnseenFigure(analysis));
 * ```
 */
export function seenUnseenFigure(analysis: ErrorAnalysis, options: FigureOptions = {}): PlotlyFigure {
  const seenUnseen = analysis.seenUnseen;
  if (!seenUnseen) {
    throw new Error("seenUnseenFigure: the analysis has no seen/unseen split (no training sentences)");
  }
  const groups = [...analysis.types, "all"];
  return {
    data: (["seen", "unseen"] as const).map((which) =>
      recallBars(which, groups, groups.map((type) => seenUnseen[type][which]))
    ),
    layout: baseLayout(options.title ?? "Recall: entity text seen vs unseen in training", {
      barmode: "group",
      yaxis: { title: { text: "recall %" }, range: [0, 110] },
    }),
  };
}

/**
 * Recall by entity length in words, one group of bars per type and overall.
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * declare const analysis: any; // the example's inputs
 * await displayFigure(recallByLengthFigure(analysis));
 * ```
 */
export function recallByLengthFigure(analysis: ErrorAnalysis, options: FigureOptions = {}): PlotlyFigure {
  const lengths = [...LENGTH_BUCKETS];
  return {
    data: [...analysis.types, "all"].map((type) =>
      recallBars(type, lengths, lengths.map((length) => analysis.recallByLength[type][length]))
    ),
    layout: baseLayout(options.title ?? "Recall by entity length", {
      barmode: "group",
      xaxis: { title: { text: "words" }, type: "category" },
      yaxis: { title: { text: "recall %" }, range: [0, 110] },
    }),
  };
}

/** The lines of a training log this module reads (the training stage writes more fields). */
export type LearningCurveLine =
  | { kind: "step"; step: number; epoch: number; loss: number; lr: number }
  | { kind: "epoch"; epoch: number; step?: number; dev: { f1: number; precision?: number; recall?: number } };

/**
 * Learning curves from `train_log.jsonl` lines: training loss and learning rate by step (top), dev F1 (and
 * precision/recall when logged) after each epoch (bottom).
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import { readTrainLog } from "../train/train_log.ts";
 * await displayFigure(learningCurvesFigure(await readTrainLog("outputs/cpu-small/train_log.jsonl")));
 * ```
 */
export function learningCurvesFigure(
  lines: readonly LearningCurveLine[],
  options: FigureOptions = {},
): PlotlyFigure {
  const steps = lines.filter((l) => l.kind === "step");
  const epochs = lines.filter((l) => l.kind === "epoch");
  if (steps.length === 0 && epochs.length === 0) {
    throw new Error("learningCurvesFigure: the log has no step or epoch lines");
  }
  // Epoch points sit at their step when logged, else at the last step of that epoch.
  const epochStep = (e: typeof epochs[number]) =>
    e.step ?? steps.filter((s) => s.epoch <= e.epoch).at(-1)?.step ?? e.epoch;
  const devTrace = (metric: "f1" | "precision" | "recall", color: string) => ({
    type: "scatter",
    mode: "lines+markers",
    name: `dev ${metric}`,
    x: epochs.map(epochStep),
    y: epochs.map((e) => percent(e.dev[metric] ?? null)),
    text: epochs.map((e) => `epoch ${e.epoch}`),
    xaxis: "x2",
    yaxis: "y3",
    line: { color },
  });
  const data: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: "lines",
      name: "train loss",
      x: steps.map((s) => s.step),
      y: steps.map((s) => s.loss),
      line: { color: "#4c78a8" },
    },
    {
      type: "scatter",
      mode: "lines",
      name: "learning rate",
      x: steps.map((s) => s.step),
      y: steps.map((s) => s.lr),
      yaxis: "y2",
      line: { color: "#bbbbbb", dash: "dot" },
    },
    devTrace("f1", SERIES_COLORS["f1-score"]),
  ];
  if (epochs.some((e) => e.dev.precision !== undefined)) {
    data.push(devTrace("precision", SERIES_COLORS.precision));
  }
  if (epochs.some((e) => e.dev.recall !== undefined)) data.push(devTrace("recall", SERIES_COLORS.recall));
  return {
    data,
    layout: baseLayout(options.title ?? "Learning curves", {
      height: 600,
      margin: { l: 70, r: 90, t: 60, b: 60 },
      xaxis: { anchor: "y", domain: [0, 1], title: { text: "step" } },
      yaxis: { domain: [0.58, 1], title: { text: "loss" } },
      yaxis2: { overlaying: "y", side: "right", title: { text: "lr" }, showgrid: false, exponentformat: "e" },
      xaxis2: { anchor: "y3", domain: [0, 1], matches: "x", title: { text: "step" } },
      yaxis3: { domain: [0, 0.42], title: { text: "dev %" } },
    }),
  };
}
