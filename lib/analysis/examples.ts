/**
 * Renders error examples with their sentence context, as plain text and as HTML: one line with the gold
 * entities of the group marked, one with the predicted ones (both through the shared renderer,
 * lib/highlight/).
 *
 * @module
 */
import { escapeHtml } from "../util/escape_html.js";
import { markSpansHtml, markSpansText } from "../highlight/marks.js";
import type { MarkSpan } from "../highlight/marks.js";
import type { Palette } from "../highlight/palette.js";
import type { ErrorExample } from "./analyze.ts";
import { joinWordsWithOffsets, type Span } from "./spans.ts";

/** Options of the renderers. */
export interface ExampleRenderOptions {
  /** Words of context shown on each side of the group; the rest is elided with "…". Default 12. */
  context?: number;
  /**
   * HTML only: colours by entity type, the analysis's (`paletteFor(analysis.types)`), so that examples match
   * the figures; without it a type gets `entityColors`'s colour.
   */
  palette?: Palette;
}

/** An example's shown words as one string, and how to draw a line of its spans on it. */
interface ExampleWindow {
  text: string;
  /** Word spans → character spans in `text`. */
  marks(spans: readonly Span[]): MarkSpan[];
  /** "… " / " …" where words are elided. */
  open: string;
  close: string;
}

/** The words shown for an example: its spans with `context` words each side, joined as in the document. */
function exampleWindow(example: ErrorExample, context: number): ExampleWindow {
  const words = example.sentence.words;
  const spans = [...example.gold, ...example.predicted];
  const first = Math.min(...spans.map((s) => s.start)), last = Math.max(...spans.map((s) => s.end));
  const from = Math.max(0, first - context), to = Math.min(words.length, last + context);
  const { text, offsets } = joinWordsWithOffsets(words, from, to);
  return {
    text,
    marks: (line) =>
      line.map((s) => ({
        start: offsets[s.start - from].start,
        end: offsets[s.end - 1 - from].end,
        type: s.type,
      })),
    open: from > 0 ? "… " : "",
    close: to < words.length ? " …" : "",
  };
}

/**
 * The example as two text lines, entities as `[text](Type)`.
 *
 * @example
 * ```ts
 * declare const example: any; // the example's inputs
 * exampleText(example);
 * // gold: … induced [renal failure](Disease) in …
 * // pred: … induced renal [failure](Disease) in …
 * ```
 */
export function exampleText(example: ErrorExample, options: ExampleRenderOptions = {}): string {
  const shown = exampleWindow(example, options.context ?? 12);
  const line = (spans: Span[]) => shown.open + markSpansText(shown.text, shown.marks(spans)) + shown.close;
  return `gold: ${line(example.gold)}\npred: ${line(example.predicted)}`;
}

/**
 * The example as an HTML fragment (two lines, entities highlighted by type), text escaped.
 *
 * @example
 * ```ts
 * import { displayHtml } from "../notebook/display.ts";
 * import type { ErrorExample } from "./analyze.ts";
 * import { paletteFor } from "../highlight/palette.js";
 * declare const examples: ErrorExample[], types: string[]; // the example's inputs
 * const palette = paletteFor(types);
 * await displayHtml(examples.map((e) => exampleHtml(e, { palette })).join(""));
 * ```
 */
export function exampleHtml(example: ErrorExample, options: ExampleRenderOptions = {}): string {
  const shown = exampleWindow(example, options.context ?? 12);
  const marked = (spans: Span[]) =>
    markSpansHtml(shown.text, shown.marks(spans), { palette: options.palette });
  const line = (spans: Span[]) => shown.open + marked(spans) + shown.close;
  const where = escapeHtml(`${example.kind} · doc ${example.docId}, sentence ${example.index}`);
  return `<div style="margin:0.4em 0;line-height:1.8"><div style="color:#666;font-size:90%">${where}</div>` +
    `<div><b>gold</b> ${line(example.gold)}</div><div><b>pred</b> ${line(example.predicted)}</div></div>`;
}
