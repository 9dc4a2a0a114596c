/**
 * HTML views of IOB2-tagged sentences for notebooks: each word above its tag, entity words highlighted.
 *
 * @module
 */
import type { Sentence } from "./types.ts";
import { escapeHtml } from "../notebook/display.ts";
import { ENTITY_COLORS, FALLBACK_COLOR } from "../corpus/highlight.ts";

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
    const type = tag === "O" ? undefined : tag.slice(2);
    const style = type ? ` style="background:${ENTITY_COLORS[type] ?? FALLBACK_COLOR}"` : "";
    return {
      word: `<td${style}>${escapeHtml(word.text)}</td>`,
      tag: `<td${style}><code>${escapeHtml(tag)}</code></td>`,
    };
  });
  return `<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:90%">` +
    `<tr>${cells.map((c) => c.word).join("")}</tr><tr>${cells.map((c) => c.tag).join("")}</tr></table></div>`;
}
