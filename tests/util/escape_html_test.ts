import { assertEquals } from "@std/assert";
import { escapeHtml, scriptJson } from "../../lib/util/escape_html.js";

Deno.test("escapeHtml escapes the five HTML-special characters", () => {
  assertEquals(
    escapeHtml(`<b class='x'>"5-FU" & co</b>`),
    "&lt;b class=&#39;x&#39;&gt;&quot;5-FU&quot; &amp; co&lt;/b&gt;",
  );
});

Deno.test("scriptJson: no string can end the script element or break a string literal", () => {
  const value = { label: "</script><!--", separators: "a\u2028b\u2029c" };
  const json = scriptJson(value);
  assertEquals(json, String.raw`{"label":"\u003c/script>\u003c!--","separators":"a\u2028b\u2029c"}`);
  assertEquals(/[<\u2028\u2029]/.test(json), false);
  assertEquals(JSON.parse(json), value);
});
