/**
 * HTML view of IOB2-tagged sentences for notebooks: each word above its tag, entity words coloured like the
 * shared renderer's marks (lib/highlight/).
 *
 * @module
 */
import { tagType } from "./tags.ts";
import type { Sentence } from "./types.ts";
import { escapeHtml } from "../util/escape_html.js";
import { entityBackgroundStyle } from "../highlight/marks.js";

/**
 * A two-row table: the sentence's words, and under each its tag (entity words coloured by type).
 *
 * @example
 * ```ts
 * import { displayHtml } from "../notebook/display.ts";
 * import { sentencesFromDocument } from "./convert.ts";
 * declare const doc: any; // the example's inputs
 * await displayHtml(bioSentenceHtml(sentencesFromDocument(doc)[0]));
 * ```
 */
export function bioSentenceHtml(sentence: Sentence): string {
  const cells = sentence.words.map((word, i) => {
    const tag = sentence.tags[i];
    const type = tagType(tag);
    const style = type === undefined ? "" : ` style="${entityBackgroundStyle(type)}"`;
    return {
      word: `<td${style}>${escapeHtml(word.text)}</td>`,
      tag: `<td${style}><code>${escapeHtml(tag)}</code></td>`,
    };
  });
  return `<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:90%;white-space:nowrap">` +
    `<tr>${cells.map((c) => c.word).join("")}</tr><tr>${cells.map((c) => c.tag).join("")}</tr></table></div>`;
}
