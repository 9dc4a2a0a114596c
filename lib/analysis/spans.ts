/**
 * Gold and predicted entity spans of sentences, with their surface text.
 *
 * @module
 */
import type { Sentence, Word } from "../bio/types.ts";
import { type Mode, spansBySentence } from "../metrics/mod.ts";

/** An entity in a sentence: words `[start, end)`, its type and its surface text. */
export interface Span {
  type: string;
  start: number;
  end: number;
  text: string;
}

/**
 * The text of words `[start, end)`: a space between two words only where the document had a gap
 * (so "Na" + "+" reads "Na+", "5" "-" "FU" reads "5-FU").
 *
 * @example
 * ```ts
 * joinWords([{ text: "5", start: 0, end: 1 }, { text: "-", start: 1, end: 2 }, { text: "FU", start: 2, end: 4 }]);
 * // "5-FU"
 * ```
 */
export function joinWords(words: readonly Word[], start = 0, end = words.length): string {
  return joinWordsWithOffsets(words, start, end).text;
}

/**
 * {@link joinWords} with the offsets of each joined word in the text (`offsets[i - start]` for word `i`).
 *
 * @example
 * ```ts
 * joinWordsWithOffsets([{ text: "5", start: 0, end: 1 }, { text: "FU", start: 2, end: 4 }]);
 * // { text: "5 FU", offsets: [{ start: 0, end: 1 }, { start: 2, end: 4 }] }
 * ```
 */
export function joinWordsWithOffsets(
  words: readonly Word[],
  start = 0,
  end = words.length,
): { text: string; offsets: { start: number; end: number }[] } {
  let text = "";
  const offsets: { start: number; end: number }[] = [];
  for (let i = start; i < end; i++) {
    if (i > start && words[i].start > words[i - 1].end) text += " ";
    offsets.push({ start: text.length, end: text.length + words[i].text.length });
    text += words[i].text;
  }
  return { text, offsets };
}

/** Options of {@link sentenceSpans}. */
export interface SentenceSpanOptions {
  /** seqeval mode used to read the tags. Default "default". */
  mode?: Mode;
  /** Names the tags in error messages, e.g. "predicted". */
  name?: string;
}

/**
 * The entity spans of each sentence, read from its tags in the given seqeval mode.
 *
 * @example
 * ```ts
 * declare const sentence: any; // the example's inputs
 * const [spans] = sentenceSpans([sentence]);
 * spans.map((s) => `${s.type}: ${s.text}`); // ["Chemical: cisplatin", …]
 * ```
 */
export function sentenceSpans(sentences: readonly Sentence[], options: SentenceSpanOptions = {}): Span[][] {
  const tagSpans = spansBySentence(sentences.map((s) => s.tags), { ...options, onWarning: () => {} });
  return tagSpans.map((spans, i) =>
    spans.map((span) => ({ ...span, text: joinWords(sentences[i].words, span.start, span.end) }))
  );
}
