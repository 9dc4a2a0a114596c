// @ts-check
/**
 * Recognized entities (a tagger's output, with scores) as HTML: the text with its entities marked by the
 * shared renderer (./marks.js), and an entity table. The web page and notebook 05 show results through
 * these; plain JavaScript with JSDoc types so that the browser runs the same file as Deno.
 *
 * @module
 */
import { spansToUtf16 } from "../util/code_points.js";
import { escapeHtml } from "../util/escape_html.js";
import { entityBackgroundStyle, markSpansHtml } from "./marks.js";

/** @typedef {import("./palette.js").Palette} Palette */

/**
 * An entity as a tagger gives it (lib/predict's `Entity`): offsets in Unicode code points of the text.
 *
 * @typedef {{ start: number, end: number, text: string, type: string, score: number }} HighlightEntity
 */

/**
 * The text with each entity marked (tooltip: type and score), in a block that keeps the text's line breaks.
 * Entities must not overlap (a tagger's output never does): an overlap throws. Their offsets are code points
 * (as the pipeline and the API give them), converted here for the renderer, which slices UTF-16.
 *
 * @example
 * ```ts
 * renderHighlightHtml("a <b> aspirin", [{ start: 6, end: 13, text: "aspirin", type: "Chemical", score: 0.9 }]);
 * // '<div …>a &lt;b&gt; <mark class="entity" data-type="Chemical" …>aspirin<sub>Chemical</sub></mark></div>'
 * ```
 * @param {string} text
 * @param {readonly HighlightEntity[]} entities
 * @param {{ palette?: Palette }} [options] the colours of the model's types
 *   (`paletteFor(labelEntityTypes(labels))`); types not in it get `entityColors`'s
 * @returns {string}
 */
export function renderHighlightHtml(text, entities, options = {}) {
  const spans = spansToUtf16(text, entities).map((e) => ({ ...e, title: `${e.type} ${e.score.toFixed(3)}` }));
  return `<div class="highlighted" style="white-space:pre-wrap;line-height:2">` +
    `${markSpansHtml(text, spans, { overlap: "refuse", palette: options.palette })}</div>`;
}

/**
 * A legend of entity types: one chip per type of the palette, in its background colour, in the palette's
 * order.
 *
 * @example
 * ```ts
 * import { paletteFor } from "./palette.js";
 * renderLegendHtml(paletteFor(["Chemical", "Disease"]));
 * // '<div class="legend"><span class="legend-entry" data-type="Chemical" style="background:#cce5ff;…">Chemical</span> …</div>'
 * ```
 * @param {Palette} palette
 * @returns {string}
 */
export function renderLegendHtml(palette) {
  const entries = Object.keys(palette).map((type) =>
    `<span class="legend-entry" data-type="${escapeHtml(type)}" ` +
    `style="${entityBackgroundStyle(type, palette)};padding:0 .3em;border-radius:.3em;white-space:nowrap">` +
    `${escapeHtml(type)}</span>`
  );
  return `<div class="legend" style="line-height:2">${entries.join(" ")}</div>`;
}

/**
 * A heading for a tagger of these entity types: "Chemical and disease mentions" for BC5CDR's two, "GENE
 * mentions" for one, "Mentions of 16 entity types" for many. A type's name is lower-cased after the first
 * only when it is a capitalised word (an acronym such as GENE stays); underscores read as spaces.
 *
 * @example
 * ```ts
 * mentionsHeading(["Chemical", "Disease"]); // "Chemical and disease mentions"
 * mentionsHeading(["Species"]);             // "Species mentions"
 * ```
 * @param {readonly string[]} types
 * @returns {string}
 */
export function mentionsHeading(types) {
  if (types.length === 0) return "Entity mentions";
  if (types.length > 3) return `Mentions of ${types.length} entity types`;
  /** @param {string} type @param {number} i */
  const word = (type, i) => {
    const spaced = type.replaceAll("_", " ");
    return i > 0 && /^[A-Z][a-z]/.test(spaced) && !/[A-Z]/.test(spaced.slice(1))
      ? spaced.toLowerCase()
      : spaced;
  };
  const words = types.map(word);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `${list} mentions`;
}

/**
 * A table of the entities: text, type, score and offsets (as given: code points for a tagger's entities).
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
