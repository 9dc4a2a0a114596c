// @ts-check
/**
 * Recognized entities (a tagger's output, with scores) as HTML: the text with its entities marked by the
 * shared renderer (./marks.js), and an entity table. The web page and notebook 05 show results through
 * these; plain JavaScript with JSDoc types so that the browser runs the same file as Deno.
 *
 * @module
 */
import { escapeHtml } from "../util/escape_html.js";
import { markSpansHtml } from "./marks.js";

/**
 * @typedef {{ start: number, end: number, text: string, type: string, score: number }} HighlightEntity
 */

/**
 * The text with each entity marked (tooltip: type and score), in a block that keeps the text's line breaks.
 * Entities must not overlap (a tagger's output never does): an overlap throws.
 *
 * @example
 * ```ts
 * renderHighlightHtml("a <b> aspirin", [{ start: 6, end: 13, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * // '<div …>a &lt;b&gt; <mark class="entity" data-type="Chemical" …>aspirin<sub>Chemical</sub></mark></div>'
 * ```
 * @param {string} text
 * @param {readonly HighlightEntity[]} entities
 * @returns {string}
 */
export function renderHighlightHtml(text, entities) {
  const spans = entities.map((e) => ({ ...e, title: `${e.type} ${e.score.toFixed(3)}` }));
  return `<div class="highlighted" style="white-space:pre-wrap;line-height:2">` +
    `${markSpansHtml(text, spans, { overlap: "refuse" })}</div>`;
}

/**
 * A table of the entities: text, type, score and offsets.
 *
 * @example
 * ```ts
 * renderEntityTableHtml([{ start: 0, end: 7, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * ```
 * @param {readonly HighlightEntity[]} entities
 * @returns {string}
 */
export function renderEntityTableHtml(entities) {
  const rows = entities.map((e) =>
    `<tr><td>${escapeHtml(e.text)}</td><td>${escapeHtml(e.type)}</td><td>${e.score.toFixed(3)}</td>` +
    `<td>${e.start}</td><td>${e.end}</td></tr>`
  );
  return `<table class="entities"><thead><tr><th>text</th><th>type</th><th>score</th><th>start</th>` +
    `<th>end</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
