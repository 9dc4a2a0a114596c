/**
 * HTML view of an annotated document for notebooks and reports: mentions marked by the shared renderer
 * (lib/highlight/), every piece of corpus text escaped.
 *
 * @module
 */
import type { Document, Mention } from "../types.ts";
import { escapeHtml } from "../../util/escape_html.js";
import { markSpansHtml } from "../../highlight/marks.js";
import type { Palette } from "../../highlight/palette.js";

/** Escaped text of [start, end) with the mentions inside it marked (nested ones shown by the outer span). */
function markedText(
  text: string,
  start: number,
  end: number,
  mentions: readonly Mention[],
  palette: Palette | undefined,
): string {
  const spans = mentions.filter((m) => m.start >= start && m.end <= end).map((m) => ({
    start: m.start - start,
    end: m.end - start,
    type: m.type,
    title: `${m.type} ${m.ids.join("|") || "(no id)"}`,
  }));
  return markSpansHtml(text.slice(start, end), spans, { overlap: "outer", palette });
}

/** Options of {@link highlightMentionsHtml}. */
export interface HighlightDocumentOptions {
  /** The line above the text. Default `PMID <id>` (BC5CDR's documents are PubMed abstracts). */
  heading?: string;
  /** Show the title (the first line) in bold. Default true; false for documents without a title. */
  boldTitle?: boolean;
}

/**
 * The document as HTML: a heading (its PMID), title (bold) and abstract with their mentions highlighted — in
 * the corpus's colours when `options.palette` is given (`paletteFor` of its types), else each type in
 * `entityColors`'s.
 *
 * @example
 * ```ts
 * import { displayHtml } from "../../notebook/display.ts";
 * import { loadChosenCorpus } from "../load.ts";
 * const corpus = await loadChosenCorpus();
 * await displayHtml(highlightMentionsHtml(corpus.splits.train[0]));
 * ```
 */
export function highlightMentionsHtml(
  doc: Document,
  options: HighlightDocumentOptions & { palette?: Palette } = {},
): string {
  const marked = (start: number, end: number) =>
    markedText(doc.text, start, end, doc.mentions, options.palette);
  const heading = `<div><b>${escapeHtml(options.heading ?? `PMID ${doc.id}`)}</b></div>`;
  if (options.boldTitle === false) {
    return `<div style="line-height:1.8">${heading}` +
      `<div style="white-space:pre-line">${marked(0, doc.text.length)}</div></div>`;
  }
  const titleEnd = doc.title.length;
  return `<div style="line-height:1.8">${heading}` +
    `<div><b>${marked(0, titleEnd)}</b></div><div>${marked(titleEnd + 1, doc.text.length)}</div></div>`;
}
