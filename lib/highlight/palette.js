// @ts-check
/**
 * The one palette of entity types: every highlight (corpus documents, BIO tables, error examples, the web
 * page, notebook 05) and every figure that colours by type takes its colours from here, so Chemical looks
 * the same in every notebook, report and page. Plain JavaScript with JSDoc types: the browser page imports
 * this file as Deno does.
 *
 * @module
 */

/**
 * Colours of one entity type: a light `background` for marked text (dark text stays readable on it) and a
 * saturated `line` of the same hue for bars and lines in figures.
 *
 * @typedef {{ background: string, line: string }} EntityColors
 */

/**
 * Colours of BC5CDR's two types; other types get a stable colour derived from their name
 * ({@link entityColors}).
 *
 * @type {Readonly<Record<string, EntityColors>>}
 */
export const ENTITY_PALETTE = Object.freeze({
  Chemical: Object.freeze({ background: "#cce5ff", line: "#1f78b4" }),
  Disease: Object.freeze({ background: "#ffd6cc", line: "#e6550d" }),
});

/**
 * The colours of an entity type: from {@link ENTITY_PALETTE}, else a hue hashed from the name (the same
 * type always gets the same colour, in Deno and in the browser).
 *
 * @example
 * ```ts
 * entityColors("Chemical"); // { background: "#cce5ff", line: "#1f78b4" }
 * entityColors("Gene").background; // "hsl(…, 80%, 88%)"
 * ```
 * @param {string} type
 * @returns {EntityColors}
 */
export function entityColors(type) {
  if (Object.hasOwn(ENTITY_PALETTE, type)) return ENTITY_PALETTE[type];
  let hue = 0;
  for (const c of type) hue = (hue * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return { background: `hsl(${hue}, 80%, 88%)`, line: `hsl(${hue}, 60%, 40%)` };
}
