/**
 * What each cell must display (from the Jupyter stub's log) against an executed notebook's outputs: a lost
 * display, a stray Out[n] and a display outside any cell are all reported.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { compareOutputs, executedOutputs, expectedOutputs } from "../../lib/notebook/outputs.ts";
import type { Notebook } from "../../lib/notebook/extract.ts";

const log = [
  `{"cell":1,"mimeTypes":["text/html","text/plain"]}`,
  `{"cell":1,"mimeTypes":["application/vnd.plotly.v1+json","image/png","text/html","text/plain"]}`,
  `{"cell":3,"mimeTypes":["text/plain"]}`,
].join("\n");

Deno.test("expectedOutputs groups the stub's displays by cell; a display outside any cell is an error", () => {
  assertEquals(expectedOutputs(4, log), [
    [],
    [
      "display_data text/html,text/plain",
      "display_data application/vnd.plotly.v1+json,image/png,text/html,text/plain",
    ],
    [],
    ["display_data text/plain"],
  ]);
  assertThrows(() => expectedOutputs(2, `{"mimeTypes":["text/plain"]}`), Error, "display log line 1");
});

Deno.test("compareOutputs reports lost displays and stray results; streams are not compared", () => {
  const display = (mimes: string[]) => ({
    output_type: "display_data",
    data: Object.fromEntries(mimes.map((m) => [m, ""])),
  });
  const executed: Notebook = {
    cells: [
      { cell_type: "markdown", source: "" },
      {
        cell_type: "code",
        source: "",
        outputs: [
          { output_type: "stream", name: "stderr", text: "log" },
          display(["text/plain", "text/html"]),
        ],
      },
      { cell_type: "markdown", source: "" },
      {
        cell_type: "code",
        source: "",
        outputs: [display(["text/plain"]), { output_type: "execute_result", data: { "text/plain": "[]" } }],
      },
    ],
  };
  const expected = expectedOutputs(4, log);
  assertEquals(compareOutputs(expected, executedOutputs(executed)), [
    { cell: 1, expected: expected[1], actual: ["display_data text/html,text/plain"] },
    { cell: 3, expected: expected[3], actual: ["display_data text/plain", "execute_result text/plain"] },
  ]);
});
