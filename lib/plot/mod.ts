/**
 * Plotly figures of metrics and training logs (JSON specs; the error-analysis figures are in lib/analysis/), standalone offline HTML pages, PNG rendering in headless
 * Chromium, and a PNG decoder to check images are not blank. Show figures inline in notebooks with
 * `displayFigure` from lib/notebook/display.ts.
 *
 * @example
 * ```ts
 * declare const report: any; // the example's inputs
 * import { prfBarsFigure, writeFigureHtml, writeFigurePngs } from "./mod.ts";
 * const figure = prfBarsFigure(report);
 * await writeFigureHtml("outputs/run/figures/prf.html", figure);
 * await writeFigurePngs([{ path: "outputs/run/figures/prf.png", figure }]);
 * ```
 *
 * @module
 */
export {
  type FigureOptions,
  type LearningCurveLine,
  learningCurvesFigure,
  prfBarsFigure,
  SERIES_COLORS,
  seriesColor,
} from "./figures.ts";
export {
  type FigureHtmlOptions,
  figurePage,
  PLOTLY_JS_PATH,
  type PlotlyJsMode,
  plotlyJsPath,
  writeFigureHtml,
} from "./html.ts";
export { FigureRenderer, type PngSize, writeFigurePngs } from "./png.ts";
export { chromiumPath } from "../util/chromium.ts";
export { type DecodedPng, decodePng, type PixelStats, pixelStats } from "./png_decode.ts";
export type { PlotlyFigure } from "./types.ts";
