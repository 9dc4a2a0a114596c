/**
 * A plotly figure as a notebook `text/html` output that draws itself with plotly.js and needs no network.
 *
 * Size trade-off: plotly.js is ~4.9 MB. Inlining it into every figure would make notebook 04 (seven
 * figures) ~35 MB; loading it from a CDN breaks offline and in nbconvert's self-contained HTML. So the
 * library travels once per page: `displayFigure` inlines it into the first figure of a kernel session only,
 * and every figure's script draws as soon as `window.Plotly` exists — at once, or when the library's script
 * announces itself with the {@link PLOTLY_READY_EVENT} (a library output placed further down the page, e.g.
 * after cells were reordered). Until a figure is drawn its div shows the static PNG, which is also what a
 * frontend shows when it strips scripts (an untrusted notebook in classic Notebook keeps the HTML but
 * sanitizes it) or when no output on the page carries plotly.js any more (the library's output was cleared,
 * and the page reloaded, in the same kernel session: re-running any figure cell in a new kernel re-inlines
 * it).
 *
 * @module
 */
import { escapeHtml, scriptJson } from "../util/escape_html.js";
import type { PlotlyFigure } from "./types.ts";

/** The window event the inlined library dispatches once `window.Plotly` is defined. */
export const PLOTLY_READY_EVENT = "bc5cdr-plotly-ready";

/**
 * A browser-side expression, true once every figure fragment on the page has been drawn by plotly.js (for
 * tests that wait on a page: `page.waitForFunction(ALL_FIGURES_DRAWN)`).
 */
export const ALL_FIGURES_DRAWN =
  `[...document.querySelectorAll(".plotly-figure")].every((div) => div.querySelector("svg.main-svg"))`;

/** Options of {@link figureFragment}. */
export interface FigureFragmentOptions {
  /** The div's id, unique on the page (a fresh one for each output). */
  id: string;
  /** plotly.js's source (see `plotlyJsSource`) to inline before the figure; omit when the page has it. */
  plotlyJs?: string;
  /** The figure as base64 PNG: shown until plotly.js draws, and where scripts do not run. */
  pngBase64?: string;
  /** Alt text of the PNG. */
  title?: string;
}

/**
 * The `text/html` of a figure: a div (holding the PNG, when given) and a script that draws the figure into it.
 *
 * @example
 * ```ts
 * import { plotlyJsSource } from "./html.ts";
 * declare const figure: any; // the example's inputs
 * const html = figureFragment(figure, { id: `figure-${crypto.randomUUID()}`, plotlyJs: await plotlyJsSource() });
 * ```
 */
export function figureFragment(figure: PlotlyFigure, options: FigureFragmentOptions): string {
  const layout = (figure.layout ?? {}) as { height?: unknown };
  const height = typeof layout.height === "number" ? layout.height : 450;
  const image = options.pngBase64
    ? `<img src="data:image/png;base64,${options.pngBase64}" alt="${
      escapeHtml(options.title ?? "figure")
    }" style="max-width:100%">`
    : "";
  const library = options.plotlyJs === undefined ? "" : `<script>
if (!window.Plotly) {
${options.plotlyJs}
}
window.dispatchEvent(new Event(${JSON.stringify(PLOTLY_READY_EVENT)}));
</script>
`;
  const id = scriptJson(options.id);
  return `<div id=${
    JSON.stringify(options.id)
  } class="plotly-figure" style="width:100%;min-height:${height}px">` +
    `${image}</div>
${library}<script>
(function () {
  var figure = ${scriptJson({ data: figure.data, layout: figure.layout ?? {} })};
  function draw() {
    var div = document.getElementById(${id});
    if (!div || div.dataset.drawn) return;
    div.dataset.drawn = "1";
    div.innerHTML = "";
    window.Plotly.newPlot(div, figure.data, figure.layout, { responsive: true });
  }
  if (window.Plotly) draw();
  else window.addEventListener(${JSON.stringify(PLOTLY_READY_EVENT)}, draw, { once: true });
})();
</script>`;
}
