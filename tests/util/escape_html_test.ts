import { assertEquals } from "@std/assert";
import { escapeHtml } from "../../lib/util/escape_html.js";

Deno.test("escapeHtml escapes the five HTML-special characters", () => {
  assertEquals(
    escapeHtml(`<b class='x'>"5-FU" & co</b>`),
    "&lt;b class=&#39;x&#39;&gt;&quot;5-FU&quot; &amp; co&lt;/b&gt;",
  );
});
