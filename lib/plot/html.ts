/**
 * Standalone HTML pages for plotly figures that work offline: plotly.js (npm `plotly.js-dist-min`, installed
 * in node_modules/) is copied next to the page once per folder, or inlined into the page.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml, scriptJson } from "../util/escape_html.js";
import { writeFileAtomic } from "../util/atomic.ts";
import type { PlotlyFigure } from "./types.ts";

/** Where plotly.js lives after `deno install` (the project's node_modules). */
export const PLOTLY_JS_PATH = fileURLToPath(
  new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url),
);

/**
 * Checks plotly.js is installed and returns its path.
 *
 * @example
 * ```ts
 * const path = await plotlyJsPath(); // ".../node_modules/plotly.js-dist-min/plotly.min.js"
 * ```
 */
export async function plotlyJsPath(): Promise<string> {
  try {
    await Deno.stat(PLOTLY_JS_PATH);
  } catch {
    throw new Error(
      `plotly.js not found at ${PLOTLY_JS_PATH}: run \`deno install\` (or \`deno task setup\`)`,
    );
  }
  return PLOTLY_JS_PATH;
}

/**
 * plotly.js's source, ready to sit inside a `<script>` element (a `</script` in it would end the element:
 * its slash is escaped).
 *
 * @example
 * ```ts
 * const script = `<script>${await plotlyJsSource()}</script>`;
 * ```
 */
export async function plotlyJsSource(): Promise<string> {
  return (await Deno.readTextFile(await plotlyJsPath())).replace(/<\/script/gi, "<\\/script");
}

/** How the page gets plotly.js: a `<script src>` next to it (default) or inlined (one self-contained file). */
export type PlotlyJsMode = "copy" | "inline";

/** Options of {@link writeFigureHtml}. */
export interface FigureHtmlOptions {
  /** Page title; default: the figure's layout title or "figure". */
  title?: string;
  plotlyJs?: PlotlyJsMode;
}

function figureTitle(figure: PlotlyFigure): string | undefined {
  const title = figure.layout?.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") {
    return (title as { text: string }).text;
  }
}

/**
 * The HTML page of a figure; `script` is the `<script>` element that loads plotly.js.
 *
 * @example
 * ```ts
 * declare const figure: any; // the example's inputs
 * const html = figurePage(figure, `<script src="plotly.min.js"></script>`, "Test F1");
 * ```
 */
export function figurePage(
  figure: PlotlyFigure,
  script: string,
  title = figureTitle(figure) ?? "figure",
): string {
  const json = scriptJson({ data: figure.data, layout: figure.layout ?? {} });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
${script}
</head>
<body style="margin:0">
<div id="figure" style="width:100%;height:100vh"></div>
<script>
const figure = ${json};
Plotly.newPlot("figure", figure.data, figure.layout, { responsive: true });
</script>
</body>
</html>
`;
}

/**
 * Writes a figure as a standalone HTML page that works offline.
 *
 * @example
 * ```ts
 * import { prfBarsFigure } from "./figures.ts";
 * declare const report: any; // the example's inputs
 * await writeFigureHtml("outputs/run/figures/prf.html", prfBarsFigure(report));
 * ```
 */
export async function writeFigureHtml(
  path: string,
  figure: PlotlyFigure,
  options: FigureHtmlOptions = {},
): Promise<void> {
  const source = await plotlyJsPath();
  let script: string;
  if (options.plotlyJs === "inline") {
    script = `<script>${await plotlyJsSource()}</script>`;
  } else {
    const copy = join(dirname(path), basename(source));
    const [have, want] = await Promise.all([Deno.stat(copy).catch(() => null), Deno.stat(source)]);
    if (have?.size !== want.size) await writeFileAtomic(copy, await Deno.readFile(source));
    script = `<script src="${basename(source)}"></script>`;
  }
  await writeFileAtomic(path, figurePage(figure, script, options.title));
}
