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
 * The text cut into pieces: plain runs and entities, in offset order. Entities must not overlap (pipeline
 * output never does).
 *
 * @param {string} text
 * @param {HighlightEntity[]} entities
 * @returns {{ text: string, entity?: HighlightEntity }[]}
 */
function segments(text, entities) {
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  /** @type {{ text: string, entity?: HighlightEntity }[]} */
  const pieces = [];
  let cursor = 0;
  for (const entity of sorted) {
    if (entity.start < cursor) throw new Error(`overlapping entities at offset ${entity.start}`);
    pieces.push({ text: text.slice(cursor, entity.start) }, {
      text: text.slice(entity.start, entity.end),
      entity,
    });
    cursor = entity.end;
  }
  pieces.push({ text: text.slice(cursor) });
  return pieces;
}

/**
 * The text with each entity wrapped in `<mark class="entity" data-type=…>` followed by its type label.
 *
 * @example
 * ```ts
 * renderHighlightHtml("a <b> aspirin", [{ start: 6, end: 13, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * // '<div …>a &lt;b&gt; <mark class="entity" data-type="Chemical" …>aspirin<span …>Chemical</span></mark></div>'
 * ```
 * @param {string} text
 * @param {HighlightEntity[]} entities
 * @returns {string}
 */
export function renderHighlightHtml(text, entities) {
  const html = segments(text, entities).map(({ text: piece, entity }) => {
    if (!entity) return escape(piece);
    const style = `background:${typeColour(entity.type)};padding:0 .2em;border-radius:.3em;line-height:2`;
    return `<mark class="entity" data-type="${escape(entity.type)}" title="${escape(entity.type)} ` +
      `${entity.score.toFixed(3)}" style="${style}">${escape(piece)}` +
      `<span class="entity-type" style="font-size:.7em;font-weight:bold;margin-left:.3em">` +
      `${escape(entity.type)}</span></mark>`;
  });
  return `<div class="highlighted" style="white-space:pre-wrap">${html.join("")}</div>`;
}

/**
 * The plain-text counterpart of {@link renderHighlightHtml}: each entity as `[text](Type)`.
 *
 * @example
 * ```ts
 * renderHighlightText("Aspirin helps", [{ start: 0, end: 7, text: "Aspirin", type: "Chemical", score: 0.9 }]);
 * // "[Aspirin](Chemical) helps"
 * ```
 * @param {string} text
 * @param {HighlightEntity[]} entities
 * @returns {string}
 */
export function renderHighlightText(text, entities) {
  return segments(text, entities).map(({ text: piece, entity }) =>
    entity ? `[${piece}](${entity.type})` : piece
  )
    .join("");
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
