/**
 * Standalone HTML pages: plotly.js next to the page (or inlined), the figure embedded safely, nothing online.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { PLOTLY_JS_PATH, writeFigureHtml } from "../../lib/plot/mod.ts";

const FIGURE = {
  data: [{ type: "bar", x: ["Chemical", "Disease"], y: [1, 2] }],
  // A title that would end the script element if it were not escaped.
  layout: { title: { text: "A </script><b>title</b>" } },
};

Deno.test("writeFigureHtml copies plotly.js next to the page and embeds the figure", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const page = join(dir, "figures", "prf.html");
    await writeFigureHtml(page, FIGURE);
    const html = await Deno.readTextFile(page);
    assertStringIncludes(html, `<script src="plotly.min.js"></script>`);
    assertEquals(
      (await Deno.stat(join(dir, "figures", "plotly.min.js"))).size,
      (await Deno.stat(PLOTLY_JS_PATH)).size,
    );
    // Offline: no script or stylesheet from the network.
    assert(!/src="https?:/.test(html) && !/href="https?:/.test(html));
    assertStringIncludes(html, "<title>A &lt;/script&gt;&lt;b&gt;title&lt;/b&gt;</title>");
    assert(!html.includes("A </script>"), "the figure JSON must not close the script element");
    const json = html.slice(html.indexOf("const figure = ") + 15, html.indexOf(";\nPlotly.newPlot"));
    assertEquals(JSON.parse(json), FIGURE);
    // A second page in the same folder reuses the copy.
    await writeFigureHtml(join(dir, "figures", "other.html"), FIGURE);
    assertEquals((await Array.fromAsync(Deno.readDir(join(dir, "figures")))).length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFigureHtml can inline plotly.js into one self-contained page", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeFigureHtml(join(dir, "f.html"), FIGURE, { plotlyJs: "inline", title: "inline" });
    const html = await Deno.readTextFile(join(dir, "f.html"));
    assert(!html.includes("<script src="));
    assert(html.length > (await Deno.stat(PLOTLY_JS_PATH)).size);
    assertEquals((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["f.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
