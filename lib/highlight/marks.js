// @ts-check
/**
 * The one entity renderer: text cut at span offsets, each span wrapped in a `<mark>` coloured by its type
 * (lib/highlight/palette.js) with the type as a subscript, every piece of text escaped — the output never
 * holds markup that came from the input. Corpus documents, BIO sentence tables, error examples, the web page
 * and the notebooks all draw entities through it. Plain JavaScript with JSDoc types, so the web app serves
 * this same file to the browser.
 *
 * @module
 */
import { escapeHtml } from "../util/escape_html.js";
import { entityColors } from "./palette.js";

/** @typedef {import("./palette.js").Palette} Palette */

/**
 * A span to mark: offsets [start, end) into the text in UTF-16 code units (JavaScript string indices, as
 * corpus documents hold them; a tagger's entities, in code points, go through lib/util/code_points.js's
 * `spansToUtf16` first), its type, and an optional tooltip (default: the type).
 *
 * @typedef {{ start: number, end: number, type: string, title?: string }} MarkSpan
 */

/**
 * How spans that overlap an earlier one are handled: `"outer"` shows the earlier (on equal starts, the
 * longer) span and leaves out the ones that start inside it — corpus annotations nest; `"refuse"` throws —
 * a tagger's output never overlaps, so an overlap there is a bug to report.
 *
 * @typedef {"outer" | "refuse"} OverlapPolicy
 */

/**
 * Options of {@link markSpansHtml} and {@link markSpansText}: the overlap policy, and the colours of a
 * corpus's types (lib/highlight/palette.js's `paletteFor`; types not in it get {@link entityColors}'s).
 *
 * @typedef {{ overlap?: OverlapPolicy, palette?: Palette }} MarkOptions
 */

/**
 * The style of a mark's background in a type's colour; also used by views that colour whole cells (the BIO
 * table), so that they match the marks.
 *
 * @example
 * ```ts
 * `<td style="${entityBackgroundStyle("Chemical")}">aspirin</td>`;
 * ```
 * @param {string} type
 * @param {Palette} [palette] colours by type (e.g. `paletteFor(types)`)
 * @returns {string}
 */
export function entityBackgroundStyle(type, palette) {
  // Own keys only: a type named "toString" or "constructor" is a name, not an Object property.
  const colors = palette && Object.hasOwn(palette, type) ? palette[type] : entityColors(type);
  return `background:${colors.background}`;
}

/**
 * A `<mark>` around already-escaped HTML: coloured by type, `data-type` set, the type as a subscript and
 * `title` as tooltip.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "../util/escape_html.js";
 * markHtml(escapeHtml("clonidine"), "Chemical", "Chemical D003000");
 * // '<mark class="entity" data-type="Chemical" style="…" title="Chemical D003000">clonidine<sub>Chemical</sub></mark>'
 * ```
 * @param {string} innerHtml
 * @param {string} type
 * @param {string} [title]
 * @param {Palette} [palette] colours by type (e.g. `paletteFor(types)`)
 * @returns {string}
 */
export function markHtml(innerHtml, type, title = type, palette) {
  const style = `${entityBackgroundStyle(type, palette)};padding:0 .2em;border-radius:.3em`;
  return `<mark class="entity" data-type="${escapeHtml(type)}" style="${style}" title="${
    escapeHtml(title)
  }">` +
    `${innerHtml}<sub>${escapeHtml(type)}</sub></mark>`;
}

/**
 * The text cut into plain runs and spans, in offset order (see {@link OverlapPolicy} for overlaps).
 *
 * @param {string} text
 * @param {readonly MarkSpan[]} spans
 * @param {OverlapPolicy} overlap
 * @returns {{ text: string, span?: MarkSpan }[]}
 */
function segments(text, spans, overlap) {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  /** @type {{ text: string, span?: MarkSpan }[]} */
  const pieces = [];
  let cursor = 0;
  for (const span of sorted) {
    if (span.start < 0 || span.end > text.length || span.end < span.start) {
      throw new Error(`span [${span.start}, ${span.end}) lies outside the text of length ${text.length}`);
    }
    if (span.start < cursor) {
      if (overlap === "refuse") throw new Error(`overlapping entities at offset ${span.start}`);
      continue;
    }
    if (span.start > cursor) pieces.push({ text: text.slice(cursor, span.start) });
    pieces.push({ text: text.slice(span.start, span.end), span });
    cursor = span.end;
  }
  if (cursor < text.length) pieces.push({ text: text.slice(cursor) });
  return pieces;
}

/**
 * The text as escaped HTML with each span marked ({@link markHtml}).
 *
 * @example
 * ```ts
 * markSpansHtml("a <b> aspirin", [{ start: 6, end: 13, type: "Chemical" }]);
 * // 'a &lt;b&gt; <mark class="entity" data-type="Chemical" …>aspirin<sub>Chemical</sub></mark>'
 * ```
 * @param {string} text
 * @param {readonly MarkSpan[]} spans
 * @param {MarkOptions} [options]
 * @returns {string}
 */
export function markSpansHtml(text, spans, options = {}) {
  return segments(text, spans, options.overlap ?? "outer").map(({ text: piece, span }) =>
    span ? markHtml(escapeHtml(piece), span.type, span.title, options.palette) : escapeHtml(piece)
  ).join("");
}

/**
 * The plain-text counterpart of {@link markSpansHtml}: each span as `[text](Type)`.
 *
 * @example
 * ```ts
 * markSpansText("Aspirin helps", [{ start: 0, end: 7, type: "Chemical" }]); // "[Aspirin](Chemical) helps"
 * ```
 * @param {string} text
 * @param {readonly MarkSpan[]} spans
 * @param {MarkOptions} [options]
 * @returns {string}
 */
export function markSpansText(text, spans, options = {}) {
  return segments(text, spans, options.overlap ?? "outer").map(({ text: piece, span }) =>
    span ? `[${piece}](${span.type})` : piece
  ).join("");
}
