/**
 * The web app end to end in a real browser (Debian chromium driven by playwright-core): type a text, click,
 * see the highlighted entities (in the palette's colours) and the table; click an example; user markup stays
 * text. A screenshot goes to outputs/browser/web_demo.png for a person to look at.
 * Skipped when /usr/bin/chromium is missing (`deno task setup` installs it as root).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { entityColors } from "../../lib/highlight/mod.ts";
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
      const screenshots = projectPath("outputs", "browser");
      await Deno.mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, "web_demo.png"), fullPage: true });
    } finally {
      await browser.close();
      await app.close();
    }
  },
});

/** `#rrggbb` as the browser reports a computed colour: `rgb(r, g, b)`. */
function cssRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
