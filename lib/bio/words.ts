/**
 * Word tokenization with character offsets. A word is a run of letters/digits (with combining marks) or a
 * single other non-space character, the convention of the BC5CDR IOB releases and of BERT's basic
 * pre-tokenizer ("5-fluorouracil-induced" → `5`, `-`, `fluorouracil`, `-`, `induced`). Words are also cut at
 * given boundary offsets (mention starts and ends), so every mention covers whole words even when it
 * starts or ends inside a run of letters ("PDs" with the mention "PD").
 *
 * @module
 */
import type { Word } from "./types.ts";

const WORD = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/** Options of {@link tokenizeWords}. */
export interface TokenizeOptions {
  /** Tokenize only [start, end) of the text. Default the whole text. */
  start?: number;
  end?: number;
  /** Offsets where a word must end/start (e.g. mention boundaries), sorted or not. */
  boundaries?: Iterable<number>;
}

/**
 * Splits text into words with UTF-16 offsets into `text`.
 *
 * @example
 * ```ts
 * tokenizeWords("5-FU-induced", { boundaries: [4] }).map((w) => w.text); // ["5", "-", "FU", "-", "induced"]
 * tokenizeWords("PDs", { boundaries: [2] }).map((w) => w.text); // ["PD", "s"]
 * ```
 */
export function tokenizeWords(text: string, options: TokenizeOptions = {}): Word[] {
  const start = options.start ?? 0;
  const end = options.end ?? text.length;
  const cuts = [...new Set(options.boundaries ?? [])].filter((b) => b > start && b < end).sort((a, b) =>
    a - b
  );
  const words: Word[] = [];
  let cut = 0; // index of the first boundary not before the current word
  WORD.lastIndex = start;
  for (let match = WORD.exec(text); match && match.index < end; match = WORD.exec(text)) {
    let wordStart = match.index;
    const wordEnd = Math.min(wordStart + match[0].length, end);
    while (cut < cuts.length && cuts[cut] <= wordStart) cut++;
    for (let c = cut; c < cuts.length && cuts[c] < wordEnd; c++) {
      words.push({ text: text.slice(wordStart, cuts[c]), start: wordStart, end: cuts[c] });
      wordStart = cuts[c];
    }
    words.push({ text: text.slice(wordStart, wordEnd), start: wordStart, end: wordEnd });
  }
  return words;
}
