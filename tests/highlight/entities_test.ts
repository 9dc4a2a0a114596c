/** The shared renderer of the page and the notebooks: entities marked, every piece of user text escaped. */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { markSpansText, renderEntityTableHtml, renderHighlightHtml } from "../../lib/highlight/mod.ts";

const text = `<b onclick="x">Aspirin</b> & fever`;
const at = (word: string, type: string, score: number) => {
  const start = text.indexOf(word);
  return { start, end: start + word.length, text: word, type, score };
};
const entities = [at("fever", "Disease", 0.5), at("Aspirin", "Chemical", 0.9)]; // not in offset order

Deno.test("renderHighlightHtml: marks entities in offset order and escapes everything else", () => {
  const html = renderHighlightHtml(text, entities);
  assertStringIncludes(html, "&lt;b onclick=&quot;x&quot;&gt;<mark");
  assertStringIncludes(html, 'data-type="Chemical"');
  assertStringIncludes(html, "&lt;/b&gt; &amp; <mark");
  assertEquals(html.includes("<b"), false);
  assertEquals([...html.matchAll(/<mark /g)].length, 2);
});

Deno.test("markSpansText: [text](Type) for a plain-text view", () => {
  assertEquals(
    markSpansText(text, entities),
    `<b onclick="x">[Aspirin](Chemical)</b> & [fever](Disease)`,
  );
});

Deno.test("overlapping entities are refused; the table escapes entity text", () => {
  assertThrows(
    () =>
      renderHighlightHtml("abcdef", [
        { start: 0, end: 4, text: "abcd", type: "X", score: 1 },
        { start: 2, end: 6, text: "cdef", type: "X", score: 1 },
      ]),
    Error,
    "overlapping entities at offset 2",
  );
  const table = renderEntityTableHtml([{ start: 0, end: 3, text: "<i>", type: "X", score: 0.12345 }]);
  assertStringIncludes(table, "<td>&lt;i&gt;</td><td>X</td><td>0.123</td><td>0</td><td>3</td>");
});
