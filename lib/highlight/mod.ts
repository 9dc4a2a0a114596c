/**
 * Entity highlighting shared by Deno and the browser: one palette of entity types, one renderer that marks
 * spans in escaped text, and the views of a tagger's entities (marked text, entity table). The web app
 * serves these files to its page unchanged (they are plain JavaScript with JSDoc types).
 *
 * @example
 * ```ts
 * const html = markSpansHtml("Aspirin helps", [{ start: 0, end: 7, type: "Chemical" }]);
 * // '<mark class="entity" data-type="Chemical" …>Aspirin<sub>Chemical</sub></mark> helps'
 * ```
 *
 * @module
 */
export {
  distinctEntityColors,
  ENTITY_PALETTE,
  type EntityColors,
  entityColors,
  labelEntityTypes,
  type Palette,
  paletteFor,
} from "./palette.js";
export {
  entityBackgroundStyle,
  markHtml,
  type MarkOptions,
  type MarkSpan,
  markSpansHtml,
  markSpansText,
  type OverlapPolicy,
} from "./marks.js";
export {
  type HighlightEntity,
  mentionsHeading,
  renderEntityTableHtml,
  renderHighlightHtml,
  renderLegendHtml,
} from "./entities.js";
export { demoPageStyle } from "./page_style.ts";
