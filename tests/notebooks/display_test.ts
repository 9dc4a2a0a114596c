import { assertEquals, assertStringIncludes } from "@std/assert";
import { displayFigure, displayHtml, displayTable } from "../../lib/notebook/display.ts";
import { escapeHtml } from "../../lib/util/escape_html.js";

/** Runs `fn` with console.log captured; outside Jupyter the display functions print their text fallback. */
async function printed(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

Deno.test("displayHtml prints the text of the HTML outside Jupyter", async () => {
  const out = await printed(() => displayHtml(`<p>${escapeHtml("a < b & c")}</p><p>next</p>`));
  assertEquals(out, "a < b & c\nnext");
  const marked = await printed(() =>
    displayHtml(`<p>took <mark title="x">aspirin<sub>Chemical</sub></mark>.</p>`)
  );
  assertEquals(marked, "took [aspirin/Chemical].");
});

Deno.test("displayTable prints an aligned table with numbers right-aligned", async () => {
  const out = await printed(() =>
    displayTable([{ split: "train", docs: 500 }, { split: "dev", docs: 50, note: { a: 1 } }])
  );
  assertEquals(out.split("\n"), [
    "split  docs  note",
    "-----  ----  -------",
    "train   500",
    'dev      50  {"a":1}',
  ]);
});

Deno.test("displayFigure prints a summary of the traces", async () => {
  const out = await printed(() =>
    displayFigure({ data: [{ type: "bar", name: "Chemical", x: ["a", "b"], y: [1, 2] }] }, {
      title: "Counts",
    })
  );
  assertStringIncludes(out, "[figure: Counts]");
  assertStringIncludes(out, `bar "Chemical": 2 points`);
});
