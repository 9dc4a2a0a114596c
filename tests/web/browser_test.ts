/**
 * The web app end to end in a real browser (Debian chromium driven by playwright-core): type a text, click,
 * see the highlighted entities (in the palette's colours) and the table; click an example; user markup stays
 * text. A screenshot goes to outputs/browser/web_demo.png for a person to look at.
 * Skipped when /usr/bin/chromium is missing (`deno task setup` installs it as root).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { entityColors, paletteFor } from "../../lib/highlight/mod.ts";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { startKeywordApp } from "./helpers.ts";

Deno.test({
  name: "in chromium: type, click, see highlighted entities and the table; markup stays text",
  ignore: !await hasChromium(),
  async fn() {
    const app = await startKeywordApp();
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss();
      });
      await page.goto(app.url);

      const text = `Warfarin raised <img src=x onerror="alert('xss')"> the risk of bleeding.`;
      await page.fill("#text", text);
      await page.click("#run");
      await page.waitForSelector("#result mark.entity");
      const marks = await page.$$eval(
        "#result mark.entity",
        (els) => els.map((el) => [el.firstChild?.textContent, el.getAttribute("data-type")]),
      );
      assertEquals(marks, [["Warfarin", "Chemical"], ["bleeding", "Disease"]]);
      // The page draws with the palette Deno uses (the served modules are the same files).
      const drawn = await page.evaluate(
        `[...document.querySelectorAll("#result mark.entity")].map((el) => getComputedStyle(el).backgroundColor)`,
      );
      assertEquals(drawn, ["Chemical", "Disease"].map((type) => cssRgb(entityColors(type).background)));
      // The user's markup is shown as text, not parsed into elements.
      assertEquals(await page.$$eval("#result img", (els) => els.length), 0);
      assertStringIncludes(await page.textContent("#result") ?? "", `<img src=x onerror="alert('xss')">`);
      const rows = await page.$$eval("#table tbody tr", (trs) => trs.map((tr) => tr.children[0].textContent));
      assertEquals(rows, ["Warfarin", "bleeding"]);

      // An example button fills the box and runs: example 4 mentions warfarin, bleeding and aspirin.
      await page.click("button.example >> nth=3");
      await page.locator("#result mark.entity").nth(2).waitFor();
      assertStringIncludes(await page.inputValue("#text"), "Warfarin increases the risk of bleeding");
      const exampleMarks = await page.$$eval(
        "#result mark.entity",
        (els) => els.map((el) => el.firstChild?.textContent),
      );
      assertEquals(exampleMarks, ["Warfarin", "bleeding", "aspirin"]);
      assertEquals(dialogs, []);
      await saveScreenshot(page, "web_demo.png");
    } finally {
      await browser.close();
      await app.close();
    }
  },
});

Deno.test({
  name: "in chromium: a model of 16 types — heading, legend and marks in 16 distinct palette colours",
  ignore: !await hasChromium(),
  async fn() {
    // BioNLP13CG's 16 types, one capital letter (a token of the fixture vocab) each.
    const types = Object.keys(MENTIONS);
    const letters = types.map((_, i) => String.fromCharCode(65 + i));
    const keywords = Object.fromEntries(letters.map((letter, i) => [letter, `B-${types[i]}`]));
    const labels = ["O", ...types.flatMap((type) => [`B-${type}`, `I-${type}`])];
    const example = `found ${letters.join(" and ")} here`;
    const app = await startKeywordApp({ labels, keywords, examples: [example] });
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      assertEquals(await page.textContent("h1"), "Mentions of 16 entity types");
      assertEquals(await page.title(), "Mentions of 16 entity types · NER demo");
      const palette = paletteFor(types);
      const legend = await page.evaluate(
        `[...document.querySelectorAll("#legend .legend-entry")]
          .map((el) => [el.textContent, getComputedStyle(el).backgroundColor])`,
      ) as string[][];
      assertEquals(legend, types.map((type) => [type, cssRgb(palette[type].background)]));
      assertEquals(new Set(legend.map(([, color]) => color)).size, 16);

      await page.click("button.example");
      await page.locator("#result mark.entity").nth(15).waitFor();
      const marks = await page.evaluate(
        `[...document.querySelectorAll("#result mark.entity")]
          .map((el) => [el.dataset.type, getComputedStyle(el).backgroundColor])`,
      );
      assertEquals(marks, types.map((type) => [type, cssRgb(palette[type].background)]));
      const health = await (await fetch(`${app.url}/healthz`)).json();
      assertEquals(health.entityTypes, types);
      await saveScreenshot(page, "web_demo_16_types.png");
    } finally {
      await browser.close();
      await app.close();
    }
  },
});

/** The whole page as outputs/browser/NAME, for a person to look at. */
async function saveScreenshot(
  page: { screenshot(options: { path: string; fullPage: boolean }): Promise<unknown> },
  name: string,
) {
  const screenshots = projectPath("outputs", "browser");
  await Deno.mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}

/** `#rrggbb` as the browser reports a computed colour: `rgb(r, g, b)`. */
function cssRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
