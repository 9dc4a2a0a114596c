/**
 * Evaluates a run's predictions end to end: seqeval scores in both modes, the error analysis, the figures
 * (HTML always, PNG when Chromium is there), `evaluation.json` and `report.md`, all under the run's folder.
 *
 * @module
 */
import { join } from "node:path";
import type { Sentence } from "../bio/types.ts";
import { evaluateTags, seqevalJson, type TagEvaluation } from "../metrics/mod.ts";
import { type LearningCurveLine, learningCurvesFigure, prfBarsFigure } from "../plot/figures.ts";
import {
  confusionHeatmapFigure,
  errorBreakdownFigure,
  recallByLengthFigure,
  seenUnseenFigure,
} from "./figures.ts";
import { writeFigureHtml } from "../plot/html.ts";
import { writeFigurePngs } from "../plot/png.ts";
import { chromiumPath, hasChromium } from "../util/chromium.ts";
import type { PlotlyFigure } from "../plot/types.ts";
import { readTrainLog } from "../train/run/train_log.ts";
import { writeDirAtomic, writeFileAtomic } from "../util/atomic.ts";
import { pathExists } from "../util/exists.ts";
import { analyzeErrors, type ErrorAnalysis } from "./analyze.ts";
import type { Mode } from "../metrics/mod.ts";
import { evaluationMarkdown, type ReportFigure } from "./report_md.ts";

/** Options of {@link evaluateRun}. */
export interface EvaluateRunOptions {
  /** The run's folder (e.g. outputs/cpu-small): gets report.md, evaluation.json and figures/. */
  outDir: string;
  /** Gold sentences of the evaluated split. */
  gold: readonly Sentence[];
  /** The same sentences with predicted tags. */
  predicted: readonly Sentence[];
  /** Training sentences, for the seen/unseen split. */
  train?: readonly Sentence[];
  /** A `train_log.jsonl` to plot learning curves from; skipped when absent. */
  trainLog?: string;
  /** Report title. Default "Evaluation". */
  title?: string;
  /** Context lines under the title. */
  notes?: string[];
  /** Mode the error analysis reads tags in. Default "default" (what users see as entities). */
  analysisMode?: Mode;
  /** Render PNGs: true (errors propagate), false, or "auto" (default: try when Chromium exists, else or on
   * failure keep the HTML figures only). */
  png?: boolean | "auto";
  /** Progress messages. Default: stderr. */
  log?: (message: string) => void;
}

/** What {@link evaluateRun} computed and wrote. */
export interface RunEvaluation {
  strict: TagEvaluation;
  default: TagEvaluation;
  analysis: ErrorAnalysis;
  figures: Record<string, { title: string; figure: PlotlyFigure }>;
  files: { report: string; json: string; html: string[]; png: string[] };
}

/**
 * Scores both seqeval modes and the error analysis, without writing anything (the part that must be fast).
 *
 * @example
 * ```ts
 * declare const gold: any, predicted: any, train: any; // the example's inputs
 * const { strict, analysis } = scorePredictions({ gold, predicted, train });
 * ```
 */
export function scorePredictions(
  options: Pick<EvaluateRunOptions, "gold" | "predicted" | "train" | "analysisMode">,
): { strict: TagEvaluation; default: TagEvaluation; analysis: ErrorAnalysis } {
  const analysis = analyzeErrors({
    gold: options.gold,
    predicted: options.predicted,
    train: options.train,
    mode: options.analysisMode,
  });
  const yTrue = options.gold.map((s) => s.tags), yPred = options.predicted.map((s) => s.tags);
  // Runs after analyzeErrors, which has checked that the inputs line up and named any mismatch.
  return {
    strict: evaluateTags(yTrue, yPred, { mode: "strict" }),
    default: evaluateTags(yTrue, yPred, { mode: "default" }),
    analysis,
  };
}

/** The figures of an evaluation, by file name. */
export function evaluationFigures(
  scores: { strict: TagEvaluation; default: TagEvaluation; analysis: ErrorAnalysis },
  trainLog?: readonly LearningCurveLine[],
): Record<string, { title: string; figure: PlotlyFigure }> {
  const { analysis } = scores;
  const figures: Record<string, { title: string; figure: PlotlyFigure }> = {};
  const add = (name: string, title: string, figure: PlotlyFigure) => figures[name] = { title, figure };
  add(
    "prf_strict",
    "P/R/F1 by type, strict mode",
    prfBarsFigure(scores.strict.report, { title: "P/R/F1 by type, strict (IOB2)" }),
  );
  add(
    "prf_default",
    "P/R/F1 by type, default mode",
    prfBarsFigure(scores.default.report, { title: "P/R/F1 by type, default (conlleval)" }),
  );
  add("errors", "Entities by outcome and type", errorBreakdownFigure(analysis));
  add(
    "confusion_tokens",
    "Token label confusion",
    confusionHeatmapFigure(analysis.tokenConfusion, {
      title: "Token labels (rows: gold, columns: predicted)",
    }),
  );
  add(
    "confusion_types",
    "Entity type confusion",
    confusionHeatmapFigure(analysis.typeConfusion, {
      title: "Entity types (rows: gold, columns: predicted; O: none)",
    }),
  );
  if (analysis.seenUnseen) {
    add("seen_unseen", "Recall: seen vs unseen in training", seenUnseenFigure(analysis));
  }
  add("recall_by_length", "Recall by entity length", recallByLengthFigure(analysis));
  if (trainLog?.length) add("learning_curves", "Learning curves", learningCurvesFigure(trainLog));
  return figures;
}

/**
 * Evaluates predictions and writes `report.md`, `evaluation.json` and `figures/*.{html,png}` into `outDir`.
 *
 * @example
 * ```ts
 * declare const test: any, predicted: any, train: any; // the example's inputs
 * const result = await evaluateRun({ outDir: "outputs/cpu-small", gold: test, predicted, train });
 * console.log(result.strict.text, result.files.report);
 * ```
 */
export async function evaluateRun(options: EvaluateRunOptions): Promise<RunEvaluation> {
  const log = options.log ?? ((message: string) => console.error(`[evaluate] ${message}`));
  const scores = scorePredictions(options);
  const trainLog = options.trainLog && await pathExists(options.trainLog)
    ? await readTrainLog(options.trainLog)
    : undefined;
  const figures = evaluationFigures(scores, trainLog);

  const figureDir = join(options.outDir, "figures");
  const wantPng = options.png ?? "auto";
  let renderPng = wantPng === "auto" ? await hasChromium() : wantPng;
  if (wantPng === "auto" && !renderPng) log(`no PNGs: Chromium not found at ${chromiumPath()}`);
  // The figures folder is built aside and swapped in whole: a failed render leaves the old one intact.
  await writeDirAtomic(figureDir, async (dir) => {
    for (const [name, { figure }] of Object.entries(figures)) {
      await writeFigureHtml(join(dir, `${name}.html`), figure);
    }
    if (!renderPng) return;
    const pngs = Object.entries(figures).map(([name, { figure }]) => ({
      path: join(dir, `${name}.png`),
      figure,
    }));
    try {
      await writeFigurePngs(pngs);
    } catch (error) {
      // Asked for explicitly: fail. "auto": keep the HTML figures, drop the PNGs, say why.
      if (wantPng === true) throw error;
      renderPng = false;
      for (const { path } of pngs) await Deno.remove(path).catch(() => {});
      log(`no PNGs: rendering failed (${(error as Error).message.split("\n")[0]})`);
    }
  });
  const names = Object.keys(figures);
  const html = names.map((name) => join(figureDir, `${name}.html`));
  const png = renderPng ? names.map((name) => join(figureDir, `${name}.png`)) : [];

  const reportFigures: ReportFigure[] = Object.entries(figures).map(([name, { title }]) => ({
    title,
    html: `figures/${name}.html`,
    png: renderPng ? `figures/${name}.png` : undefined,
  }));
  const report = join(options.outDir, "report.md");
  await writeFileAtomic(
    report,
    evaluationMarkdown({
      title: options.title ?? "Evaluation",
      notes: options.notes,
      ...scores,
      figures: reportFigures,
    }),
  );
  const json = join(options.outDir, "evaluation.json");
  const { groups: _groups, examples: _examples, split, merged, ...summary } = scores.analysis;
  await writeFileAtomic(
    json,
    JSON.stringify(
      {
        strict: seqevalJson(scores.strict),
        default: seqevalJson(scores.default),
        analysis: {
          ...summary,
          split: { count: split.count, byType: split.byType },
          merged: { count: merged.count, byType: merged.byType },
        },
      },
      null,
      1,
    ) + "\n",
  );
  log(`wrote ${report}, ${json}, ${html.length} HTML and ${png.length} PNG figures`);
  return { ...scores, figures, files: { report, json, html, png } };
}
