/**
 * HTML view of an annotated document for notebooks and reports: mentions marked by the shared renderer
 * (lib/highlight/), every piece of corpus text escaped.
 *
 * @module
 */
import type { Document, Mention } from "./types.ts";
import { escapeHtml } from "../util/escape_html.js";
import { markSpansHtml } from "../highlight/marks.js";

/** Escaped text of [start, end) with the mentions inside it marked (nested ones shown by the outer span). */
function markedText(text: string, start: number, end: number, mentions: readonly Mention[]): string {
  const spans = mentions.filter((m) => m.start >= start && m.end <= end).map((m) => ({
    start: m.start - start,
    end: m.end - start,
    type: m.type,
    title: `${m.type} ${m.ids.join("|") || "(no id)"}`,
  }));
  return markSpansHtml(text.slice(start, end), spans, { overlap: "outer" });
}

/**
 * The document as HTML: PMID, title (bold) and abstract with their mentions highlighted.
 *
 * @example
 * ```ts
 * import { displayHtml } from "../notebook/display.ts";
 * import { loadCorpus } from "./load.ts";
 * const corpus = await loadCorpus();
 * await displayHtml(highlightMentionsHtml(corpus.splits.train[0]));
 * ```
 */
export function highlightMentionsHtml(doc: Document): string {
  const titleEnd = doc.title.length;
  return `<div style="line-height:1.8"><div><b>PMID ${escapeHtml(doc.id)}</b></div>` +
    `<div><b>${markedText(doc.text, 0, titleEnd, doc.mentions)}</b></div>` +
    `<div>${markedText(doc.text, titleEnd + 1, doc.text.length, doc.mentions)}</div></div>`;
}
