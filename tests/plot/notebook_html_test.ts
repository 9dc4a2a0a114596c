/**
 * The notebook figure fragment in headless Chromium: it draws with the inlined plotly.js, also when the
 * library's output comes later on the page (cells reordered); without the library it keeps its PNG; entity
 * text containing `</script>` stays data.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { ALL_FIGURES_DRAWN, figureFragment } from "../../lib/plot/notebook_html.ts";
import { plotlyJsSource } from "../../lib/plot/html.ts";
import { FigureRenderer } from "../../lib/plot/png.ts";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import type { PlotlyFigure } from "../../lib/plot/types.ts";

const hostile = `</script><script>alert("escaped")</script><!--`;
const figure: PlotlyFigure = {
  data: [{ type: "bar", name: hostile, x: ["Chemical", "Disease"], y: [3, 2] }],
  layout: { showlegend: true, height: 300 },
};

Deno.test("figureFragment escapes every < of the figure's JSON", () => {
  const html = figureFragment(figure, { id: "f" });
  assertEquals(html.match(/<\/script>/g)?.length, 1, "only the fragment's own script ends");
  assertStringIncludes(html, "\\u003c/script>\\u003cscript>alert");
});

Deno.test({
  name: "in chromium: figures draw once the library arrives (before or after them), else keep their PNG",
  ignore: !await hasChromium(),
  async fn() {
    const plotlyJs = await plotlyJsSource();
    const renderer = await FigureRenderer.launch();
    const pngBase64 = await renderer.pngBase64(figure).finally(() => renderer.close());
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => (dialogs.push(dialog.message()), dialog.dismiss()));
      const state = () =>
        page.$$eval(".plotly-figure", (divs) =>
          divs.map((div) => ({
            id: div.id,
            drawn: div.querySelector("svg.main-svg g.trace") !== null,
            images: div.querySelectorAll("img").length,
          })));

      // A figure whose output comes before the library's (the library travels in a later figure).
      await page.setContent(
        `<!DOCTYPE html><html><body>${figureFragment(figure, { id: "early", pngBase64 })}` +
          `${figureFragment(figure, { id: "carrier", plotlyJs, pngBase64 })}</body></html>`,
      );
      await page.waitForFunction(ALL_FIGURES_DRAWN);
      assertEquals(await state(), [
        { id: "early", drawn: true, images: 0 },
        { id: "carrier", drawn: true, images: 0 },
      ]);
      assertStringIncludes(await page.textContent("#early .legend") ?? "", hostile);

      // No library anywhere on a fresh page (its output was cleared): the PNG stays.
      const fresh = await browser.newPage();
      await fresh.setContent(
        `<!DOCTYPE html><html><body>${figureFragment(figure, { id: "alone", pngBase64 })}`,
      );
      assertEquals(
        await fresh.$$eval(
          ".plotly-figure",
          (divs) => divs.map((div) => [div.id, div.querySelectorAll("img").length]),
        ),
        [["alone", 1]],
      );
      assertEquals(dialogs, []);
    } finally {
      await browser.close();
    }
  },
});
