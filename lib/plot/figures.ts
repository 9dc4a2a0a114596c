/**
 * Plotly figure builders over metrics and training logs — per-type P/R/F1 and learning curves — and the
 * layout and colours every figure shares (the error-analysis figures build on them in
 * lib/analysis/figures.ts). Each returns plain JSON ({@link PlotlyFigure}), shown inline in notebooks and
 * written as HTML/PNG by html.ts / png.ts.
 *
 * @module
 */
import type { ClassificationReport } from "../metrics/report.ts";
import { entityColors, type Palette } from "../highlight/palette.js";
import type { PlotlyFigure } from "./types.ts";

/**
 * Trace colours of the series that are not entity types (metrics, error kinds, pooled groups); entity types
 * take their colour from the shared palette (see {@link seriesColor}).
 */
export const SERIES_COLORS: Readonly<Record<string, string>> = {
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

/**
 * The colour of a trace by its series name: {@link SERIES_COLORS} for metrics and error kinds, else the
 * figure colour of the entity type of that name in `palette` (the corpus's or model's types,
 * `paletteFor(types)`), else `entityColors`'s (lib/highlight/palette.js).
 *
 * @example
 * ```ts
 * import { entityColors, paletteFor } from "../highlight/palette.js";
 * seriesColor("recall"); // "#f58518"
 * seriesColor("Chemical") === entityColors("Chemical").line; // true
 * const palette = paletteFor(["Cell", "Cancer", "Tissue"]);
 * seriesColor("Cell", palette) === palette.Cell.line; // true
 * ```
 */
export function seriesColor(name: string, palette?: Palette): string {
  if (Object.hasOwn(SERIES_COLORS, name)) return SERIES_COLORS[name];
  return (palette && Object.hasOwn(palette, name) ? palette[name] : entityColors(name)).line;
}

/**
 * Common layout: white background, compact margins, a title.
 *
 * @example
 * ```ts
 * const layout = baseLayout("Recall by length", { barmode: "group" });
 * ```
 */
export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
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

/**
 * A share as a percentage rounded to two decimals; null (and NaN) stay null, a gap in the figure.
 *
 * @example
 * ```ts
 * percent(0.12345); // 12.35
 * ```
 */
export function percent(x: number | null): number | null {
  return x === null || Number.isNaN(x) ? null : Math.round(x * 10000) / 100;
}

/** Options of a figure: its title, and the colours of entity types. */
export interface FigureOptions {
  title?: string;
  /**
   * Colours by entity type (`paletteFor(types)` of the model's or corpus's types), so that a type has the
   * same colour in every figure and highlight. Default: `paletteFor` of the types the figure shows.
   */
  palette?: Palette;
}

/**
 * Most bar groups (or traces) whose bars still have room for their value printed above them; with more (a
 * corpus of 16 types), values are left to the hover text.
 */
export const MAX_LABELLED_GROUPS = 8;

/**
 * Category-axis settings that keep many long names readable (BioNLP13CG's "Developing_anatomical_structure"):
 * ticks slanted and the margin grown to fit them once there are more than a few.
 *
 * @example
 * ```ts
 * const xaxis = { title: { text: "predicted" }, ...categoryAxis(["Cell", "Cancer"]) };
 * ```
 */
export function categoryAxis(names: readonly string[]): Record<string, unknown> {
  return names.length > 4 ? { tickangle: -40, automargin: true } : { automargin: true };
}

/** A legend in a column right of the plot: clear of slanted tick names, and of many entries. */
export const SIDE_LEGEND: Readonly<Record<string, unknown>> = { orientation: "v", x: 1.02, y: 1 };

/**
 * Layout of a figure whose x axis names categories ({@link categoryAxis}); once their names are slanted,
 * the legend moves beside the plot ({@link SIDE_LEGEND}) so that it does not cover them.
 *
 * @example
 * ```ts
 * const layout = baseLayout("Entities by type", { barmode: "stack", ...categoryLayout(["Cell", "Cancer"]) });
 * ```
 */
export function categoryLayout(names: readonly string[]): Record<string, unknown> {
  const xaxis = categoryAxis(names);
  return "tickangle" in xaxis ? { xaxis, legend: SIDE_LEGEND } : { xaxis };
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
  const labelled = rows.length <= MAX_LABELLED_GROUPS;
  const data = (["precision", "recall", "f1-score"] as const).map((metric) => {
    const y = rows.map((row) => percent(report[row][metric]));
    return {
      type: "bar",
      name: metric,
      x: rows,
      y,
      ...(labelled ? { text: y.map((v) => (v === null ? "" : v.toFixed(1))), textposition: "outside" } : {}),
      marker: { color: seriesColor(metric) },
    };
  });
  return {
    data,
    layout: baseLayout(options.title ?? "Precision, recall and F1 by type", {
      barmode: "group",
      ...categoryLayout(rows),
      yaxis: { title: { text: "%" }, range: [0, 105] },
    }),
  };
}

/** The lines of a training log this module reads (the training stage writes more fields). */
export type LearningCurveLine =
  | { kind: "step"; step: number; epoch: number; loss: number; lr: number }
  | {
    kind: "epoch";
    epoch: number;
    step?: number;
    /** Null for a run trained on train+dev (dev was not evaluated). */
    dev: { f1: number; precision?: number; recall?: number } | null;
  };

/**
 * Learning curves from `train_log.jsonl` lines: training loss and learning rate by step (top), dev F1 (and
 * precision/recall when logged) after each epoch (bottom).
 *
 * @example
 * ```ts
 * import { displayFigure } from "../notebook/display.ts";
 * import { readTrainLog } from "../train/run/train_log.ts";
 * await displayFigure(learningCurvesFigure(await readTrainLog("outputs/cpu-small/train_log.jsonl")));
 * ```
 */
export function learningCurvesFigure(
  lines: readonly LearningCurveLine[],
  options: FigureOptions = {},
): PlotlyFigure {
  const steps = lines.filter((l) => l.kind === "step");
  // Epochs of a run trained on train+dev have no dev scores: they draw no dev points.
  const epochs = lines.filter((l) => l.kind === "epoch" && l.dev !== null) as Extract<
    LearningCurveLine,
    { kind: "epoch" }
  >[];
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
    y: epochs.map((e) => percent(e.dev?.[metric] ?? null)),
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
  if (epochs.some((e) => e.dev?.precision !== undefined)) {
    data.push(devTrace("precision", SERIES_COLORS.precision));
  }
  if (epochs.some((e) => e.dev?.recall !== undefined)) data.push(devTrace("recall", SERIES_COLORS.recall));
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
