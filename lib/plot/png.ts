/**
 * PNG rendering of plotly figures in headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core). One browser and one page render many figures: plotly.js is loaded once, then each figure
 * goes through `Plotly.toImage`.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchHeadlessChromium } from "../util/chromium.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { plotlyJsPath } from "./html.ts";
import type { PlotlyFigure } from "./types.ts";

/** Size of a rendered image in CSS pixels; `scale` multiplies the pixel count (2 = sharp on HiDPI). */
export interface PngSize {
  width?: number;
  height?: number;
  scale?: number;
}

/** Renders figures to PNG with one headless Chromium; {@link close} it when done. */
export class FigureRenderer {
  #browser: Browser;
  #page: Page;

  private constructor(browser: Browser, page: Page) {
    this.#browser = browser;
    this.#page = page;
  }

  /**
   * Starts Chromium and loads plotly.js into a blank page.
   *
   * @example
   * ```ts
   * declare const figure: any; // the example's inputs
   * const renderer = await FigureRenderer.launch();
   * try {
   *   await Deno.writeFile("prf.png", await renderer.png(figure));
   * } finally {
   *   await renderer.close();
   * }
   * ```
   */
  static async launch(): Promise<FigureRenderer> {
    const script = await plotlyJsPath();
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      await page.setContent("<!DOCTYPE html><html><body></body></html>");
      await page.addScriptTag({ path: script });
      return new FigureRenderer(browser, page);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /**
   * Renders one figure to PNG bytes.
   *
   * @example
   * ```ts
   * declare const renderer: any, figure: any; // the example's inputs
   * const bytes = await renderer.png(figure, { width: 900, height: 500 });
   * ```
   */
  async png(figure: PlotlyFigure, size: PngSize = {}): Promise<Uint8Array> {
    return Uint8Array.from(atob(await this.pngBase64(figure, size)), (c) => c.charCodeAt(0));
  }

  /**
   * Renders one figure to PNG, base64-encoded (what Jupyter's `image/png` output holds).
   *
   * @example
   * ```ts
   * declare const renderer: any, figure: any; // the example's inputs
   * const base64 = await renderer.pngBase64(figure);
   * ```
   */
  async pngBase64(figure: PlotlyFigure, size: PngSize = {}): Promise<string> {
    const layout = (figure.layout ?? {}) as { width?: number; height?: number };
    const options = {
      format: "png",
      width: size.width ?? layout.width ?? 900,
      height: size.height ?? layout.height ?? 500,
      scale: size.scale ?? 1,
    };
    const dataUrl = await this.#page.evaluate(
      async ({ figure, options }) => {
        // Runs in the page, where plotly.js defined the global Plotly.
        const plotly =
          (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } })
            .Plotly;
        return await plotly.toImage({ data: figure.data, layout: figure.layout ?? {} }, options);
      },
      { figure, options },
    );
    const prefix = "data:image/png;base64,";
    if (!dataUrl.startsWith(prefix)) throw new Error("Plotly.toImage did not return a PNG data URL");
    return dataUrl.slice(prefix.length);
  }

  /** Closes the browser. */
  async close(): Promise<void> {
    await this.#browser.close();
  }
}

export { hasChromium };

/** Close the shared renderer after this long without a figure (a live Chromium keeps a process from exiting). */
const SHARED_IDLE_MS = 3000;
let shared:
  | { renderer: Promise<FigureRenderer>; users: number; timer?: ReturnType<typeof setTimeout> }
  | undefined;

/**
 * Renders one figure to base64 PNG with a renderer shared by successive calls (notebook displays), which
 * closes itself after a few idle seconds.
 *
 * @example
 * ```ts
 * declare const figure: any; // the example's inputs
 * const base64 = await renderPngBase64(figure);
 * ```
 */
export async function renderPngBase64(figure: PlotlyFigure, size: PngSize = {}): Promise<string> {
  if (shared?.timer !== undefined) clearTimeout(shared.timer);
  const current = shared ??= { renderer: FigureRenderer.launch(), users: 0 };
  current.timer = undefined;
  current.users++;
  try {
    return await (await current.renderer).pngBase64(figure, size);
  } catch (error) {
    if (shared === current) shared = undefined;
    await current.renderer.then((r) => r.close(), () => {});
    throw error;
  } finally {
    if (--current.users === 0 && shared === current) {
      current.timer = setTimeout(() => {
        if (shared === current) shared = undefined;
        current.renderer.then((r) => r.close(), () => {});
      }, SHARED_IDLE_MS);
    }
  }
}

/**
 * Renders several figures to PNG files with one browser; returns the paths written.
 *
 * @example
 * ```ts
 * import { prfBarsFigure } from "./figures.ts";
 * declare const report: any; // the example's inputs
 * await writeFigurePngs([{ path: "outputs/run/figures/prf.png", figure: prfBarsFigure(report) }]);
 * ```
 */
export async function writeFigurePngs(
  items: readonly { path: string; figure: PlotlyFigure; size?: PngSize }[],
): Promise<string[]> {
  const renderer = await FigureRenderer.launch();
  try {
    for (const { path, figure, size } of items) await writeFileAtomic(path, await renderer.png(figure, size));
  } finally {
    await renderer.close();
  }
  return items.map((item) => item.path);
}
