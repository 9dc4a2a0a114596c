// @ts-check
/**
 * HTML escaping shared by every module that writes HTML (notebook displays, figure pages, entity highlights).
 * Plain JavaScript with JSDoc types, so that the browser page imports the same file that Deno does (the web
 * app serves it next to the entity renderer, lib/highlight/).
 *
 * @module
 */

/** @type {Readonly<Record<string, string>>} */
const HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Entity → character, for the five escapes {@link escapeHtml} writes.
 *
 * @type {Readonly<Record<string, string>>}
 */
export const HTML_UNESCAPES = Object.fromEntries(
  Object.entries(HTML_ESCAPES).map(([c, entity]) => [entity, c]),
);

/**
 * Escapes `&`, `<`, `>`, `"` and `'` so any text can be put inside HTML elements and attributes.
 *
 * @example
 * ```ts
 * escapeHtml(`<b>"5-FU" & co</b>`); // "&lt;b&gt;&quot;5-FU&quot; &amp; co&lt;/b&gt;"
 * ```
 * @param {string} text
 * @returns {string}
 */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** @type {Readonly<Record<string, string>>} */
const SCRIPT_JSON_ESCAPES = { "<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/**
 * JSON for a `<script>` element: every `<` becomes `\u003c`, so no string inside (say an entity text or a
 * label `</script>` or `<!--`) can end the element or change how the HTML parser reads it; U+2028 and U+2029
 * become `\u2028` and `\u2029`, which older JavaScript parsers read as line ends inside a string.
 *
 * @example
 * ```ts
 * scriptJson({ text: "</script>" }); // '{"text":"\\u003c/script>"}'
 * ```
 * @param {unknown} value
 * @returns {string}
 */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => SCRIPT_JSON_ESCAPES[c]);
}
