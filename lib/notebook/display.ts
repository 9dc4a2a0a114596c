/**
 * Rich output for notebooks: HTML, plotly figures and tables, each with a plain-text fallback.
 *
 * Inside the Deno Jupyter kernel the MIME bundle goes to `Deno.jupyter.display`, and each display waits until
 * the kernel has published it ({@link flushKernelOutputs}): otherwise the kernel may publish it after the
 * cell's `idle` and the frontend drops it. Outside Jupyter (plain `deno run`, tests) the text fallback is
 * printed to stdout, so the same code runs everywhere.
 *
 * @module
 */
import type { PlotlyFigure } from "../plot/types.ts";
import { figureFragment } from "../plot/notebook_html.ts";
import { plotlyJsSource } from "../plot/html.ts";
import { flushKernelOutputs } from "./kernel_flush.ts";
import { escapeHtml, HTML_UNESCAPES } from "../util/escape_html.js";

/** A Jupyter MIME bundle: MIME type → data (strings, or JSON objects for JSON MIME types). */
export type MimeBundle = Record<string, string | object>;

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The kernel's display function, or undefined outside `deno jupyter` (where reading `Deno.jupyter` throws). */
function jupyterDisplay(): typeof Deno.jupyter.display | undefined {
  try {
    return Deno.jupyter.display;
  } catch {
    return undefined;
  }
}

/**
 * Shows a raw MIME bundle: through the Jupyter kernel when there is one, else prints its `text/plain`.
 *
 * @example
 * ```ts
 * await displayBundle({ "text/markdown": "**done**", "text/plain": "done" });
 * ```
 */
export async function displayBundle(bundle: MimeBundle): Promise<void> {
  const display = jupyterDisplay();
  if (!display) {
    const text = bundle["text/plain"];
    console.log(typeof text === "string" ? text : JSON.stringify(text));
    return;
  }
  await display(bundle, { raw: true });
  await flushKernelOutputs();
}

/**
 * Shows an HTML fragment. The caller escapes any text it interpolates (`escapeHtml` in
 * lib/util/escape_html.js).
 * The text fallback is the HTML with tags removed and entities decoded.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "../util/escape_html.js";
 * await displayHtml(`<p>${escapeHtml("a < b")}</p>`);
 * ```
 */
export async function displayHtml(html: string): Promise<void> {
  await displayBundle({ "text/html": html, "text/plain": htmlToText(html) });
}

/** Options of {@link displayFigure}. */
export interface DisplayFigureOptions {
  /** Figure title: used as the layout title when the figure has none, and as the text fallback's heading. */
  title?: string;
}

/** Whether this kernel session has already shown plotly.js (inlined into its first figure). */
let plotlyJsShown = false;

/**
 * Shows a plotly figure so that every frontend can draw it. The bundle holds:
 *
 * - `application/vnd.plotly.v1+json` — VS Code, and JupyterLab/Notebook 7 with plotly's extension;
 * - `text/html` — a div and a script drawing it with plotly.js (classic Notebook, JupyterLab, Notebook 7,
 *   nbconvert HTML); plotly.js itself (~4.9 MB, from node_modules, no CDN) is inlined into the first figure
 *   of the kernel session only, and the div holds the PNG until the script draws (see lib/plot/notebook_html.ts);
 * - `image/png` — rendered by headless Chromium, for frontends that show no scripts (untrusted notebooks,
 *   GitHub, nbviewer); left out where Chromium is missing;
 * - `text/plain` — a summary of the traces.
 *
 * Outside Jupyter only the text summary is printed.
 *
 * @example
 * ```ts
 * await displayFigure({ data: [{ type: "bar", x: ["Chemical", "Disease"], y: [5203, 4182] }] }, {
 *   title: "Mentions per type (train)",
 * });
 * ```
 */
export async function displayFigure(figure: PlotlyFigure, options: DisplayFigureOptions = {}): Promise<void> {
  const layout = { ...figure.layout };
  if (options.title !== undefined && layout.title === undefined) layout.title = { text: options.title };
  const shown = { data: figure.data, layout };
  const text = figureSummary(figure, options.title);
  if (!jupyterDisplay()) return await displayBundle({ "text/plain": text });
  const pngBase64 = await staticPng(shown);
  const html = figureFragment(shown, {
    id: `figure-${crypto.randomUUID()}`,
    plotlyJs: plotlyJsShown ? undefined : await plotlyJsSource(),
    pngBase64,
    title: options.title,
  });
  await displayBundle({
    [PLOTLY_MIME]: shown,
    "text/html": html,
    ...(pngBase64 ? { "image/png": pngBase64 } : {}),
    "text/plain": text,
  });
  plotlyJsShown = true;
}

/** The PNG renderer's module, named by URL so that it stays out of the static module graph (see below). */
const PNG_MODULE = new URL("../plot/png.ts", import.meta.url).href;

/**
 * The figure as base64 PNG, or undefined where it cannot be rendered (no Chromium). A notebook outside this
 * project has no import map to resolve playwright-core: the renderer is loaded only here, and not by a
 * literal import, so that such a notebook still type-checks and runs (without PNGs).
 */
async function staticPng(figure: PlotlyFigure): Promise<string | undefined> {
  try {
    const { hasChromium, renderPngBase64 } = await import(PNG_MODULE) as {
      hasChromium(): Promise<boolean>;
      renderPngBase64(figure: PlotlyFigure): Promise<string>;
    };
    if (!await hasChromium()) return undefined;
    return await renderPngBase64(figure);
  } catch (error) {
    if (!pngWarned) console.error(`figures without their PNG: ${(error as Error).message.split("\n")[0]}`);
    pngWarned = true;
    return undefined;
  }
}

let pngWarned = false;

function figureSummary(figure: PlotlyFigure, title: string | undefined): string {
  const traces = figure.data.map((trace) => {
    const points = [trace.x, trace.y, trace.values, trace.z].find(Array.isArray)?.length ?? 0;
    const name = typeof trace.name === "string" ? ` "${trace.name}"` : "";
    return `  ${trace.type ?? "scatter"}${name}: ${points} points`;
  });
  return [`[figure${title ? `: ${title}` : ""}]`, ...traces].join("\n");
}

/**
 * Shows rows as a table (columns: the union of the rows' keys, in first-seen order). Cells are escaped;
 * objects are shown as JSON. The text fallback is an aligned plain-text table.
 *
 * @example
 * ```ts
 * await displayTable([
 *   { split: "train", documents: 500, Chemical: 5203 },
 *   { split: "dev", documents: 500, Chemical: 5347 },
 * ]);
 * ```
 */
export async function displayTable(rows: Record<string, unknown>[]): Promise<void> {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  // Right-align columns that hold only numbers (missing cells allowed).
  const numeric = columns.map((column) =>
    rows.some((row) => typeof row[column] === "number") &&
    rows.every((row) => row[column] === undefined || typeof row[column] === "number")
  );
  const align = (i: number) => (numeric[i] ? ` style="text-align:right"` : "");
  const html = [
    "<table>",
    `<thead><tr>${columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...cells.map((r) => `<tr>${r.map((c, i) => `<td${align(i)}>${escapeHtml(c)}</td>`).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
  await displayBundle({ "text/html": html, "text/plain": textTable(columns, cells, numeric) });
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function textTable(columns: string[], cells: string[][], numeric: boolean[]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** Plain text of an HTML fragment: block ends become newlines, tags go, the five escapes are decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|div|h[1-6]|li|tr)>/gi, "\n")
    .replace(/<\/t[dh]>/gi, " ")
    // Highlights read as "[naloxone/Chemical]": a mark becomes brackets, a subscript label follows a slash.
    .replace(/<mark\b[^>]*>/gi, "[")
    .replace(/<\/mark>/gi, "]")
    .replace(/<sub\b[^>]*>/gi, "/")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => HTML_UNESCAPES[entity])
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
