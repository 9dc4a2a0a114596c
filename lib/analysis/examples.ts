/**
 * Renders error examples with their sentence context, as plain text and as HTML: one line with the gold
 * entities of the group marked, one with the predicted ones.
 *
 * @module
 */
import { escapeHtml } from "../notebook/display.ts";
import type { ErrorExample } from "./analyze.ts";
import { joinWords, type Span } from "./spans.ts";

/** Options of the renderers. */
export interface ExampleRenderOptions {
  /** Words of context shown on each side of the group; the rest is elided with "…". Default 12. */
  context?: number;
}

/** Background colours of entity types in HTML (others get a grey). */
export const TYPE_COLORS: Record<string, string> = { Chemical: "#b3e2cd", Disease: "#fdcdac" };

/** The word window shown for an example. */
function window(example: ErrorExample, context: number): { from: number; to: number } {
  const spans = [...example.gold, ...example.predicted];
  const first = Math.min(...spans.map((s) => s.start)), last = Math.max(...spans.map((s) => s.end));
  return { from: Math.max(0, first - context), to: Math.min(example.sentence.words.length, last + context) };
}

/** Lays out words [from, to) with `mark(span, text)` applied to each span; spans must not overlap. */
function layout(
  example: ErrorExample,
  spans: readonly Span[],
  range: { from: number; to: number },
  plain: (text: string) => string,
  mark: (span: Span, text: string) => string,
): string {
  const words = example.sentence.words;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let i = range.from;
  const gapBefore = (k: number) => (k > range.from && words[k].start > words[k - 1].end ? " " : "");
  for (const span of sorted) {
    if (span.start > i) pieces.push(gapBefore(i) + plain(joinWords(words, i, span.start)));
    pieces.push(gapBefore(span.start) + mark(span, joinWords(words, span.start, span.end)));
    i = span.end;
  }
  if (i < range.to) pieces.push(gapBefore(i) + plain(joinWords(words, i, range.to)));
  const open = range.from > 0 ? "… " : "", close = range.to < words.length ? " …" : "";
  return open + pieces.join("") + close;
}

/**
 * The example as two text lines, entities in brackets followed by their type.
 *
 * @example
 * ```ts
 * declare const example: any; // the example's inputs
 * exampleText(example);
 * // gold: … induced [renal failure]Disease in …
 * // pred: … induced renal [failure]Disease in …
 * ```
 */
export function exampleText(example: ErrorExample, options: ExampleRenderOptions = {}): string {
  const range = window(example, options.context ?? 12);
  const line = (spans: Span[]) => layout(example, spans, range, (t) => t, (s, t) => `[${t}]${s.type}`);
  return `gold: ${line(example.gold)}\npred: ${line(example.predicted)}`;
}

/**
 * The example as an HTML fragment (two lines, entities highlighted by type), text escaped.
 *
 * @example
 * ```ts
 * import { displayHtml } from "../notebook/display.ts";
 * import type { ErrorExample } from "./analyze.ts";
 * declare const examples: ErrorExample[]; // the example's inputs
 * await displayHtml(examples.map((e) => exampleHtml(e)).join(""));
 * ```
 */
export function exampleHtml(example: ErrorExample, options: ExampleRenderOptions = {}): string {
  const range = window(example, options.context ?? 12);
  const line = (spans: Span[]) =>
    layout(example, spans, range, escapeHtml, (span, text) => {
      const color = TYPE_COLORS[span.type] ?? "#e0e0e0";
      return `<mark style="background:${color};padding:0 2px">${escapeHtml(text)}<sub>${
        escapeHtml(span.type)
      }</sub></mark>`;
    });
  const where = escapeHtml(`${example.kind} · doc ${example.docId}, sentence ${example.index}`);
  return `<div style="margin:0.4em 0"><div style="color:#666;font-size:90%">${where}</div>` +
    `<div><b>gold</b> ${line(example.gold)}</div><div><b>pred</b> ${line(example.predicted)}</div></div>`;
}
