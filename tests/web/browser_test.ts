/**
 * The web app end to end in a real browser (Debian chromium driven by playwright-core): type a text, click,
 * see the highlighted entities (in the palette's colours) and the table; click an example; user markup stays
 * text; astral characters before entities (offsets in code points); hostile label names stay data in every
 * context of the page. A screenshot goes to outputs/browser/web_demo.png for a person to look at.
 * Skipped when /usr/bin/chromium is missing (`deno task setup` installs it as root).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { entityColors, labelEntityTypes, paletteFor } from "../../lib/highlight/mod.ts";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { fixtureModel } from "../onnx/fixture_model.ts";
import { spawnServe, startKeywordApp } from "./helpers.ts";

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

Deno.test({
  name:
    "in chromium: astral characters (emoji, 𝛼) before entities — marks on the right words, offsets in code points",
  ignore: !await hasChromium(),
  async fn() {
    const app = await startKeywordApp();
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      const text = "😀 𝛼 warfarin and 😀 aspirin; bleeding again.";
      await page.fill("#text", text);
      await page.click("#run");
      await page.locator("#result mark.entity").nth(2).waitFor();
      const marks = await page.$$eval(
        "#result mark.entity",
        (els) => els.map((el) => el.firstChild?.textContent),
      );
      assertEquals(marks, ["warfarin", "aspirin", "bleeding"]);
      assertEquals((await page.textContent("#result"))?.replace(/Chemical|Disease/g, ""), text);
      // The table shows the API's offsets: code points, as Python counts (text.index("aspirin") == 19).
      const rows = await page.$$eval(
        "#table tbody tr",
        (trs) =>
          trs.map((
            tr,
          ) => [tr.children[0].textContent, tr.children[3].textContent, tr.children[4].textContent]),
      );
      assertEquals(rows, [["warfarin", "4", "12"], ["aspirin", "19", "26"], ["bleeding", "28", "36"]]);
    } finally {
      await browser.close();
      await app.close();
    }
  },
});

/**
 * Label names a hostile corpus gives a model: a placeholder of the page's template, and an attribute breakout
 * that runs when focused (issue 27: the legend filled before `__ENTITY_TYPES__` put the types JSON into a
 * `data-type="…"` and Chromium ran the handler).
 */
const HOSTILE_TYPES = ["__ENTITY_TYPES__", " onfocus=document.body.append(31337) autofocus tabindex=1 x=`"];

/** More of them: every placeholder, markup for each context, line separators. */
const MORE_HOSTILE_TYPES = [
  ...HOSTILE_TYPES,
  "__LEGEND__",
  "__HEADING__",
  "__EXAMPLES__",
  "</script><script>document.body.append(31338)</script>",
  "<img src=x onerror=document.body.append(31339)>",
  "<!--",
  "a\u2028b\u2029c",
  `"'&amp;<>`,
];

/**
 * What a hostile label must never do in the page: add an element attribute beyond the renderer's own, or a
 * node appended to the body by a handler (`document.body.append(3133x)`).
 */
async function assertNoInjection(page: { evaluate(script: string): Promise<unknown> }): Promise<void> {
  const injected = await page.evaluate(`({
    attributes: [...document.querySelectorAll("body *")].flatMap((el) => [...el.attributes].map((a) => a.name))
      .filter((name) => !["id", "class", "style", "title", "data-type", "type", "for", "placeholder", "role",
        "value", "disabled"].includes(name)),
    appended: [...document.body.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
      .map((n) => n.textContent),
    scripts: document.scripts.length,
  })`);
  assertEquals(injected, { attributes: [], appended: [], scripts: 1 });
}

Deno.test({
  name:
    "in chromium: label names are data — a model folder with hostile labels gets no script into `serve`'s page",
  ignore: !await hasChromium(),
  async fn() {
    const labels = ["O", ...HOSTILE_TYPES.flatMap((type) => [`B-${type}`, `I-${type}`])];
    await using folder = await fixtureModel({ exported: false, labels });
    const serve = await spawnServe(["--model", folder.dir]);
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss();
      });
      await page.goto(serve.url);
      // Focus every element (the breakout's autofocus would have): no handler runs, no attribute is added.
      await page.evaluate(`document.querySelectorAll("*").forEach((el) => el.focus?.())`);
      await assertNoInjection(page);
      const types = labelEntityTypes(labels);
      // The heading names both types (the underscores read as spaces), as text.
      assertEquals(
        await page.textContent("h1"),
        `${types[0].replaceAll("_", " ")} and ${types[1]} mentions`.replace(
          "__ENTITY_TYPES__",
          "  ENTITY TYPES  ",
        ),
      );
      const legend = await page.$$eval(
        "#legend .legend-entry",
        (els) => els.map((el) => [el.textContent, el.getAttribute("data-type")]),
      );
      assertEquals(legend, types.map((type) => [type, type]));
      // The page's script runs and draws entities of the hostile types.
      await page.fill("#text", "Naloxone reverses the antihypertensive effect of clonidine in rats.");
      await page.click("#run");
      await page.locator("#result mark.entity").first().waitFor();
      const markTypes = await page.$$eval("#result mark.entity", (els) => els.map((el) => el.dataset.type));
      assertEquals(markTypes.every((type) => types.includes(type!)), true, JSON.stringify(markTypes));
      await assertNoInjection(page);
      assertEquals(dialogs, []);
    } finally {
      await browser.close();
      serve.child.kill("SIGTERM");
      await serve.child.status;
      await serve.stderr;
    }
  },
});

Deno.test({
  name: "in chromium: hostile type names and examples in every context of the page (text, attribute, script)",
  ignore: !await hasChromium(),
  async fn() {
    const types = MORE_HOSTILE_TYPES;
    const letters = types.map((_, i) => String.fromCharCode(65 + i));
    const keywords = Object.fromEntries(letters.map((letter, i) => [letter, `B-${types[i]}`]));
    const labels = ["O", ...types.flatMap((type) => [`B-${type}`, `I-${type}`])];
    const examples = [
      `found ${letters.join(" and ")} here`,
      "</script><script>append(31340)</script> __EXAMPLES__ \u2028 <!-- A",
    ];
    const app = await startKeywordApp({ labels, keywords, examples });
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      const sorted = labelEntityTypes(labels);
      assertEquals(await page.textContent("h1"), `Mentions of ${types.length} entity types`);
      const legend = await page.$$eval(
        "#legend .legend-entry",
        (els) => els.map((el) => [el.textContent, el.getAttribute("data-type")]),
      );
      assertEquals(legend, sorted.map((type) => [type, type]));
      assertEquals(await page.$$eval("button.example", (els) => els.map((el) => el.textContent)), examples);
      await page.click("button.example >> nth=0");
      await page.locator("#result mark.entity").nth(types.length - 1).waitFor();
      const marks = await page.$$eval(
        "#result mark.entity",
        (els) => els.map((el) => [el.dataset.type, el.querySelector("sub")?.textContent]),
      );
      assertEquals(marks, types.map((type) => [type, type]));
      await page.click("button.example >> nth=1");
      // "EXAMPLES" holds the keyword E, and A is the last word: two marks, the rest shown as text.
      await page.waitForFunction(`document.querySelectorAll("#result mark.entity").length === 2`);
      const shown = await page.evaluate(`[...document.querySelectorAll("#result")].map((result) => {
        result.querySelectorAll("sub").forEach((sub) => sub.remove());
        return result.textContent;
      })[0]`);
      assertEquals(shown, examples[1]);
      await page.evaluate(`document.querySelectorAll("*").forEach((el) => el.focus?.())`);
      await assertNoInjection(page);
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
