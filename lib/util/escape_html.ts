/**
 * HTML escaping shared by every module that writes HTML (notebook displays, figure pages, highlights).
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Entity → character, for the five escapes {@link escapeHtml} writes. */
export const HTML_UNESCAPES: Record<string, string> = Object.fromEntries(
  Object.entries(HTML_ESCAPES).map(([c, entity]) => [entity, c]),
);

/**
 * Escapes `&`, `<`, `>`, `"` and `'` so any text can be put inside HTML elements and attributes.
 *
 * @example
 * ```ts
 * escapeHtml(`<b>"5-FU" & co</b>`); // "&lt;b&gt;&quot;5-FU&quot; &amp; co&lt;/b&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a `<script>` element: every `<` becomes `\u003c`, so no string inside (say an entity text
 * `</script>` or `<!--`) can end the element or change how the HTML parser reads it.
 *
 * @example
 * ```ts
 * scriptJson({ text: "</script>" }); // '{"text":"\\u003c/script>"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
