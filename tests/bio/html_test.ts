import { assertEquals, assertStringIncludes } from "@std/assert";
import { bioSentenceHtml } from "../../lib/bio/html.ts";
import { sentencesFromText } from "../../lib/bio/convert.ts";

Deno.test("a tagged sentence renders as words over tags, escaped, entity cells coloured", () => {
  const [sentence] = sentencesFromText("<script> hurts");
  sentence.tags = ["O", "B-Chemical", "I-Chemical", "O"];
  const html = bioSentenceHtml(sentence);
  assertStringIncludes(html, "<td>&lt;</td>");
  assertStringIncludes(html, `<td style="background:#cce5ff">script</td>`);
  assertStringIncludes(html, `<code>B-Chemical</code>`);
  assertEquals(html.includes("<script>"), false);
});
