// @ts-check
/**
 * Renders text with its entities as HTML: coloured, labelled spans and an entity table. Plain JavaScript
 * with JSDoc types so that the same file runs in the browser (the web app serves it as a module) and in
 * Deno (notebook 05 imports it). Every piece of user text is escaped: the output never contains markup
 * that came from the input.
 *
 * @module
 */

/**
 * @typedef {{ start: number, end: number, text: string, type: string, score: number }} HighlightEntity
 */

/** @type {Record<string, string>} */
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** @type {Record<string, string>} */
const TYPE_COLOURS = { Chemical: "#ffd6a5", Disease: "#a0c4ff" };

/**
 * @param {string} text
 * @returns {string}
 */
function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Background colour of an entity type (fixed for BC5CDR's two types, a stable pastel for others).
 *
 * @example
 * ```ts
 * typeColour("Chemical"); // "#ffd6a5"
 * ```
 * @param {string} type
 * @returns {string}
 */
export function typeColour(type) {
  if (TYPE_COLOURS[type]) return TYPE_COLOURS[type];
  let hash = 0;
  for (const c of type) hash = (hash * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return `hsl(${hash} 80% 85%)`;
}

/**
 * The text with each entity wrapped in `<mark class="entity" data-type=…>` followed by its type label.
 * Entities must not overlap (pipeline output never does); they are drawn in offset order.
 *
 * @example
 * ```ts
 * renderHighlightHtml("a <b> aspirin", [{ start: 6, end: 13, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * // 'a &lt;b&gt; <mark class="entity" …>aspirin<span class="entity-type">Chemical</span></mark>'
 * ```
 * @param {string} text
 * @param {HighlightEntity[]} entities
 * @returns {string}
 */
export function renderHighlightHtml(text, entities) {
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  let html = "", cursor = 0;
  for (const entity of sorted) {
    if (entity.start < cursor) throw new Error(`overlapping entities at offset ${entity.start}`);
    html += escape(text.slice(cursor, entity.start));
    const style = `background:${typeColour(entity.type)};padding:0 .2em;border-radius:.3em;line-height:2`;
    html += `<mark class="entity" data-type="${escape(entity.type)}" title="${escape(entity.type)} ` +
      `${entity.score.toFixed(3)}" style="${style}">${escape(text.slice(entity.start, entity.end))}` +
      `<span class="entity-type" style="font-size:.7em;font-weight:bold;margin-left:.3em">` +
      `${escape(entity.type)}</span></mark>`;
    cursor = entity.end;
  }
  return `<div class="highlighted" style="white-space:pre-wrap">${html}${escape(text.slice(cursor))}</div>`;
}

/**
 * A table of the entities: text, type, score and offsets.
 *
 * @example
 * ```ts
 * renderEntityTableHtml([{ start: 0, end: 7, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * ```
 * @param {HighlightEntity[]} entities
 * @returns {string}
 */
export function renderEntityTableHtml(entities) {
  const rows = entities.map((e) =>
    `<tr><td>${escape(e.text)}</td><td>${escape(e.type)}</td><td>${e.score.toFixed(3)}</td>` +
    `<td>${e.start}</td><td>${e.end}</td></tr>`
  );
  return `<table class="entities"><thead><tr><th>text</th><th>type</th><th>score</th><th>start</th>` +
    `<th>end</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
