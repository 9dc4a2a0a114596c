/**
 * IOB2 ("BIO") tags ↔ typed spans over words. A span covers whole words: its start is some word's start and
 * its end some word's end. The round trip `spansFromBioTags(words, bioTagsFromSpans(words, spans))` gives
 * the spans back exactly (for non-overlapping spans that align with words).
 *
 * @module
 */
import type { Word } from "./types.ts";

/** A typed [start, end) character span (e.g. a mention or a predicted entity). */
export interface TypedSpan {
  start: number;
  end: number;
  type: string;
}

/** The outside tag. */
export const OUTSIDE = "O";

/**
 * One IOB2 tag per word: `B-<type>` on a span's first word, `I-<type>` on the others, `O` elsewhere.
 * Throws if a span does not align with word boundaries or two spans share a word.
 *
 * @example
 * ```ts
 * import { tokenizeWords } from "./words.ts";
 * const words = tokenizeWords("Naloxone reverses clonidine-induced hypotension");
 * bioTagsFromSpans(words, [{ start: 0, end: 8, type: "Chemical" }, { start: 36, end: 47, type: "Disease" }]);
 * // ["B-Chemical", "O", "O", "O", "O", "B-Disease"]
 * ```
 */
export function bioTagsFromSpans(words: readonly Word[], spans: readonly TypedSpan[]): string[] {
  const tags = words.map(() => OUTSIDE);
  const firstWord = new Map(words.map((w, i) => [w.start, i]));
  const lastWord = new Map(words.map((w, i) => [w.end, i]));
  for (const span of spans) {
    const first = firstWord.get(span.start), last = lastWord.get(span.end);
    if (first === undefined || last === undefined || last < first) {
      throw new Error(
        `span ${span.type} [${span.start}, ${span.end}) does not start and end at word boundaries`,
      );
    }
    for (let i = first; i <= last; i++) {
      if (tags[i] !== OUTSIDE) {
        throw new Error(
          `span ${span.type} [${span.start}, ${span.end}) overlaps another span at word "${words[i].text}"`,
        );
      }
      tags[i] = `${i === first ? "B" : "I"}-${span.type}`;
    }
  }
  return tags;
}

/**
 * Typed spans from IOB2 tags. A span starts at `B-X`, or at an `I-X` that does not continue a span of type
 * X (lenient, as conlleval/seqeval's default mode read it), and runs over the following `I-X` words.
 * Throws on a tag that is not `O`, `B-…` or `I-…`, or when tags and words differ in length.
 *
 * @example
 * ```ts
 * declare const words: any; // the example's inputs
 * spansFromBioTags(words, ["B-Chemical", "O", "O", "O", "O", "B-Disease"]);
 * // [{ start: 0, end: 8, type: "Chemical" }, { start: 36, end: 47, type: "Disease" }]
 * ```
 */
export function spansFromBioTags(words: readonly Word[], tags: readonly string[]): TypedSpan[] {
  if (words.length !== tags.length) throw new Error(`${tags.length} tags for ${words.length} words`);
  const spans: TypedSpan[] = [];
  let open: TypedSpan | undefined;
  tags.forEach((tag, i) => {
    if (tag === OUTSIDE) {
      open = undefined;
      return;
    }
    const match = /^([BI])-(.+)$/.exec(tag);
    if (!match) throw new Error(`invalid IOB2 tag ${JSON.stringify(tag)} at word ${i} ("${words[i].text}")`);
    const [, prefix, type] = match;
    if (prefix === "I" && open?.type === type) {
      open.end = words[i].end;
      return;
    }
    open = { start: words[i].start, end: words[i].end, type };
    spans.push(open);
  });
  return spans;
}
