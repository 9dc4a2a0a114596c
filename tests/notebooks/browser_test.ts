/**
 * The notebooks as a user sees them, in a real browser: Debian's classic Jupyter Notebook (6.4) with the Deno
 * kernel on 127.0.0.1, Debian Chromium driven by playwright-core. Notebooks 01, 04 and 05 are opened, Run All,
 * and checked once idle: no error output; every figure is a drawn plotly chart (an SVG with traces), not the
 * text stand-in or the static PNG; tables and highlighted entities are there; the demo's `<script>` text is
 * shown and never runs. Each executed notebook is then exported with `jupyter nbconvert --to html` and the
 * same is checked in the export opened from file:// with every network request blocked. One executed copy is
 * signed with `jupyter trust` and reopened: trusted, its figures draw without running anything; unsigned,
 * they show the PNG. Screenshots go to outputs/browser/ for a person to look at.
 *
 * Needs /usr/bin/jupyter-notebook, /usr/bin/chromium and BC5CDR_DIR; takes ~2 minutes on 2 cores.
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { exportNotebookHtml, trustNotebook } from "../../lib/notebook/publish.ts";
import { ALL_FIGURES_DRAWN } from "../../lib/plot/notebook_html.ts";
import { JUPYTER_NOTEBOOK, type NotebookServer, startNotebookServer } from "./classic_notebook.ts";

const SCREENSHOTS = projectPath("outputs", "browser");
const DEMO_SCRIPT = `<script>alert("never runs")</script>`;
const hasNotebookServer = await Deno.stat(JUPYTER_NOTEBOOK).then(() => true, () => false);

/** What a rendered page (live notebook or HTML export) shows. */
interface PageSummary {
  errors: number;
  /** Per figure output: whether plotly drew it (an SVG with at least one trace), and what else is left in it. */
  figures: { drawn: boolean; traces: number; images: number }[];
  /** Cells (live notebook only) whose source calls displayFigure, and how many figures each shows. */
  figureCells: { cell: number; figures: number }[];
  textStandIns: number;
  tables: number;
  marks: number;
  text: string;
}

/** Browser-side: what the page shows (classic Notebook's output classes, and nbconvert's JupyterLab ones). */
const SUMMARIZE = String.raw`(() => {
  const figures = [...document.querySelectorAll(".plotly-figure")].map((div) => ({
    drawn: div.querySelector("svg.main-svg") !== null,
    traces: div.querySelectorAll("g.trace, g.hm, g.barlayer .point").length,
    images: div.querySelectorAll("img").length,
  }));
  const notebook = window.Jupyter?.notebook;
  const figureCells = notebook
    ? notebook.get_cells()
      .map((cell, index) => ({ cell: index, source: cell.get_text(), element: cell.element[0] }))
      .filter((c) => c.source.includes("displayFigure("))
      .map((c) => ({ cell: c.cell, figures: c.element.querySelectorAll(".plotly-figure svg.main-svg").length }))
    : [];
  const outputText = [
    ...document.querySelectorAll(".output_text, .jp-OutputArea-output[data-mime-type='text/plain']"),
  ].map((e) => e.textContent).join("\n");
  return {
    errors: document.querySelectorAll(".output_error").length,
    figures,
    figureCells,
    textStandIns: (outputText.match(/\[figure/g) ?? []).length,
    tables: document.querySelectorAll(".output_html table, .jp-OutputArea-output table").length,
    marks: document.querySelectorAll(".output_html mark, .jp-OutputArea-output mark").length,
    text: document.body.innerText,
  };
})()`;

function summarize(page: Page): Promise<PageSummary> {
  return page.evaluate(SUMMARIZE) as Promise<PageSummary>;
}

function checkSummary(name: string, where: string, summary: PageSummary): void {
  const what = `${name} (${where})`;
  assertEquals(summary.errors, 0, `${what}: error outputs`);
  assertEquals(summary.textStandIns, 0, `${what}: figures shown as their text stand-in`);
  assertGreater(summary.tables, 0, `${what}: no table`);
  assertGreater(summary.marks, 0, `${what}: no highlighted entity`);
  if (name !== "05_demo") assertGreater(summary.figures.length, 0, `${what}: no figure`);
  summary.figures.forEach((figure, i) => {
    assert(
      figure.drawn && figure.traces > 0,
      `${what}: figure ${i} not drawn by plotly: ${JSON.stringify(figure)}`,
    );
    assertEquals(figure.images, 0, `${what}: figure ${i} still shows its PNG stand-in`);
  });
  for (const cell of summary.figureCells) {
    assertGreater(cell.figures, 0, `${what}: cell ${cell.cell} shows no figure`);
  }
  if (name === "05_demo") {
    assertStringIncludes(summary.text, DEMO_SCRIPT, `${what}: the demo's markup is not shown`);
  }
}

/** Opens a notebook in the server and waits until its kernel is connected; autosave off (the repo copy stays as is). */
async function openNotebook(page: Page, server: NotebookServer, path: string): Promise<void> {
  await page.goto(server.notebookUrl(path));
  await page.waitForFunction(
    "Jupyter.notebook?._fully_loaded && Jupyter.notebook.kernel?.is_connected()",
    undefined,
    { timeout: 60_000, polling: 250 },
  );
  await page.evaluate("Jupyter.notebook.set_autosave_interval(0)");
}

async function runAll(page: Page): Promise<void> {
  await page.evaluate("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells();");
  // Every code cell has run (a prompt number, not "*") and the kernel is idle.
  await page.waitForFunction(
    `Jupyter.notebook.get_cells().every((cell) => cell.cell_type !== "code" ||
       typeof cell.input_prompt_number === "number") &&
     document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null`,
    undefined,
    { timeout: 240_000, polling: 500 },
  );
}

/** Full-page screenshot of the notebook (classic Notebook scrolls inside #site: let it grow first). */
async function screenshot(page: Page, file: string): Promise<void> {
  await page.addStyleTag({ content: "#site { height: auto !important; overflow: visible !important; }" });
  await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
}

/** Opens an HTML export from file:// with every other request blocked; returns how many were blocked. */
async function openExportOffline(browser: Browser, htmlPath: string, file: string, dialogs: string[]) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  let blocked = 0;
  await context.route("**/*", (route) => {
    if (route.request().url().startsWith("file://")) return route.continue();
    blocked++;
    return route.abort();
  });
  const page = await context.newPage();
  page.on("dialog", (dialog) => (dialogs.push(dialog.message()), dialog.dismiss()));
  await page.goto(`file://${htmlPath}`);
  await page.waitForFunction(ALL_FIGURES_DRAWN, undefined, { timeout: 60_000, polling: 250 });
  const summary = await summarize(page);
  await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
  await context.close();
  return { summary, blocked };
}

Deno.test({
  name:
    "classic Notebook in Chromium: Run All draws every figure, shows tables and highlights, keeps markup as text; so do the offline HTML exports and a trusted reopened copy",
  ignore: !await hasChromium() || !hasNotebookServer || !Deno.env.get("BC5CDR_DIR"),
  async fn() {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const started = performance.now();
    const originals = new Map<string, string>();
    const server = await startNotebookServer();
    const browser = await launchHeadlessChromium();
    try {
      const dialogs: string[] = [];
      for (const name of ["01_load_data", "04_evaluate", "05_demo"]) {
        const path = `notebooks/${name}.ipynb`;
        originals.set(path, await Deno.readTextFile(projectPath(path)));
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        page.on("dialog", (dialog) => (dialogs.push(dialog.message()), dialog.dismiss()));
        await openNotebook(page, server, path);
        await runAll(page);
        const summary = await summarize(page);
        await screenshot(page, `${name}.png`);
        checkSummary(name, "classic Notebook", summary);

        // The executed notebook as the browser holds it → a self-contained HTML export, opened offline.
        const executed = join(SCREENSHOTS, `${name}.ipynb`);
        await Deno.writeTextFile(
          executed,
          await page.evaluate("JSON.stringify(Jupyter.notebook.toJSON())") as string,
        );
        await page.close();
        const exported = await openExportOffline(
          browser,
          await exportNotebookHtml(executed),
          `${name}.html.png`,
          dialogs,
        );
        checkSummary(name, "HTML export, offline", exported.summary);
        assertEquals(
          exported.summary.figures.length,
          summary.figures.length,
          `${name}: figures in the export`,
        );
      }
      assertEquals(dialogs, [], "a script from a notebook's output ran");

      // Signed with `jupyter trust` (the server's data folder): reopened, the saved figures draw at once.
      // Unsigned: the frontend strips the scripts and the figure shows its PNG.
      const executed = join(SCREENSHOTS, "01_load_data.ipynb");
      const unsigned = join(SCREENSHOTS, "01_load_data.unsigned.ipynb");
      // Jupyter trusts content, not files: the unsigned copy must differ from the signed one.
      const copy = JSON.parse(await Deno.readTextFile(executed));
      copy.metadata.copy = "unsigned";
      await Deno.writeTextFile(unsigned, JSON.stringify(copy));
      await trustNotebook(executed, { env: server.env });
      for (const [file, trusted] of [[executed, true], [unsigned, false]] as const) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await openNotebook(page, server, file.slice(projectPath().length + 1));
        assertEquals(await page.evaluate("Jupyter.notebook.trusted"), trusted, file);
        const figures = (await summarize(page)).figures;
        assertGreater(figures.length, 0);
        for (const figure of figures) {
          assertEquals(
            [figure.drawn, figure.images],
            trusted ? [true, 0] : [false, 1],
            `${file}: ${JSON.stringify(figure)}`,
          );
        }
        await screenshot(page, `01_load_data.${trusted ? "trusted" : "unsigned"}.reopened.png`);
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
      for (const [path, text] of originals) {
        assertEquals(
          await Deno.readTextFile(projectPath(path)),
          text,
          `${path} was changed by the browser session`,
        );
      }
      console.error(`notebook browser test: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  },
});
