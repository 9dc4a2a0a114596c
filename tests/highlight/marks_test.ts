/** The span-marking renderer: escaping, nested and overlapping spans, spans outside the text. */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  entityBackgroundStyle,
  entityColors,
  markSpansHtml,
  markSpansText,
  paletteFor,
} from "../../lib/highlight/mod.ts";

Deno.test("nested spans are shown by the outer one; an overlap is dropped or refused as asked", () => {
  const text = "5-fluorouracil and folinic acid";
  const spans = [
    { start: 2, end: 14, type: "Chemical" }, // nested inside the next
    { start: 0, end: 14, type: "Chemical" },
    { start: 10, end: 18, type: "Disease" }, // starts inside the outer one
    { start: 19, end: 31, type: "Chemical" },
  ];
  assertEquals(markSpansText(text, spans), "[5-fluorouracil](Chemical) and [folinic acid](Chemical)");
  assertEquals([...markSpansHtml(text, spans).matchAll(/<mark /g)].length, 2);
  assertThrows(
    () => markSpansHtml(text, spans, { overlap: "refuse" }),
    Error,
    "overlapping entities at offset 2",
  );
});

Deno.test("text, type and title are escaped; spans outside the text are refused", () => {
  const html = markSpansHtml(`<i>"x"</i>`, [{ start: 3, end: 6, type: `<T>`, title: `a"b` }]);
  assertEquals(html.includes("<i>"), false);
  assertStringIncludes(html, `data-type="&lt;T&gt;"`);
  assertStringIncludes(html, `title="a&quot;b">&quot;x&quot;<sub>&lt;T&gt;</sub></mark>&lt;/i&gt;`);
  assertThrows(
    () => markSpansHtml("abc", [{ start: 1, end: 5, type: "X" }]),
    Error,
    "span [1, 5) lies outside the text of length 3",
  );
});

Deno.test("a type named like an Object property (toString, constructor) gets its own colour, not undefined", () => {
  const palette = paletteFor(["Chemical", "Gene"]);
  for (const type of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    assertEquals(entityBackgroundStyle(type, palette), `background:${entityColors(type).background}`);
  }
});
