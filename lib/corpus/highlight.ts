/**
 * HTML views of annotated documents for notebooks and reports: mentions highlighted by type, every piece of
 * corpus text escaped.
 *
 * @module
 */
import type { Document, Mention } from "./types.ts";
import { escapeHtml } from "../notebook/display.ts";

/** Background colours of entity types (other types get {@link FALLBACK_COLOR}). */
export const ENTITY_COLORS: Readonly<Record<string, string>> = { Chemical: "#cce5ff", Disease: "#ffd6cc" };
/** Background colour of entity types not in {@link ENTITY_COLORS}. */
export const FALLBACK_COLOR = "#e6e6e6";

/**
 * A `<mark>` around already-escaped HTML, coloured by type, with the type as a subscript and `title` as
 * tooltip.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "../util/escape_html.ts";
 * markHtml(escapeHtml("clonidine"), "Chemical", "Chemical D003000");
 * ```
 */
export function markHtml(innerHtml: string, type: string, title: string = type): string {
  const color = ENTITY_COLORS[type] ?? FALLBACK_COLOR;
  return `<mark style="background:${color};padding:0 2px;border-radius:3px" title="${escapeHtml(title)}">` +
    `${innerHtml}<sub style="font-size:60%;margin-left:2px">${escapeHtml(type)}</sub></mark>`;
}

/** Escaped text of [start, end) with the mentions inside it marked (nested ones shown by the outer span). */
function markedText(text: string, start: number, end: number, mentions: readonly Mention[]): string {
  const inside = mentions.filter((m) => m.start >= start && m.end <= end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let html = "", at = start;
  for (const m of inside) {
    if (m.start < at) continue;
    html += escapeHtml(text.slice(at, m.start));
    html += markHtml(
      escapeHtml(text.slice(m.start, m.end)),
      m.type,
      `${m.type} ${m.ids.join("|") || "(no id)"}`,
    );
    at = m.end;
  }
  return html + escapeHtml(text.slice(at, end));
}

/**
 * The document as HTML: PMID, title (bold) and abstract with their mentions highlighted.
 *
 * @example
 * ```ts
 * import { displayHtml } from "../notebook/display.ts";
 * declare const corpus: any; // the example's inputs
 * await displayHtml(highlightMentionsHtml(corpus.splits.train[0]));
 * ```
 */
export function highlightMentionsHtml(doc: Document): string {
  const titleEnd = doc.title.length;
  return `<div style="line-height:1.8"><div><b>PMID ${escapeHtml(doc.id)}</b></div>` +
    `<div><b>${markedText(doc.text, 0, titleEnd, doc.mentions)}</b></div>` +
    `<div>${markedText(doc.text, titleEnd + 1, doc.text.length, doc.mentions)}</div></div>`;
}
