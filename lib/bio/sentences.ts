/**
 * A rule-based sentence splitter for PubMed titles and abstracts.
 *
 * A sentence ends at `.`, `?` or `!` (plus any closing quotes/brackets) followed by whitespace and a word
 * that can start a sentence (an uppercase letter, a digit, an opening bracket/quote, or a lowercase word
 * with capitals or digits such as `mRNA`, `beta4`), except:
 * - after a known abbreviation (`e.g.`, `vs.`, `Fig.`, `Dr.`, `U.S.`, …); after a route or dosing abbreviation
 *   or `et al.` (`i.v.`, `p.o.`, `b.i.d.`) only a capitalised word starts a new sentence;
 * - inside parentheses or brackets that close later in the same text;
 * - inside a protected span (a mention): a sentence never splits a mention.
 * Decimals (`12.5`), lowercase continuations (`i.v. injection`) and species names (`E. coli`) never look like
 * boundaries.
 *
 * @module
 */

/** A [start, end) range of UTF-16 offsets. */
export type Span = readonly [number, number];

/** Options of {@link splitSentences}. */
export interface SplitSentencesOptions {
  /** Only split inside [start, end) of the text. Default the whole text. */
  start?: number;
  end?: number;
  /** Spans that must not be split (mentions). */
  protect?: readonly Span[];
}

/**
 * Abbreviations (lowercased, with their final period) after which a period never ends a sentence.
 * Multi-part ones (`e.g.`) are matched as the whole token before the whitespace.
 */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  "e.g.",
  "i.e.",
  "vs.",
  "cf.",
  "approx.",
  "ca.",
  "resp.",
  "fig.",
  "figs.",
  "ref.",
  "refs.",
  "no.",
  "nos.",
  "vol.",
  "dr.",
  "drs.",
  "mr.",
  "mrs.",
  "ms.",
  "prof.",
  "st.",
  "sp.",
  "spp.",
  "var.",
  "subsp.",
  "u.s.",
  "u.k.",
  "inc.",
  "ltd.",
  "corp.",
  "jr.",
  "dept.",
  "univ.",
]);

/**
 * Abbreviations that often end a sentence too (routes of administration, dosing, "et al."): after them a
 * period ends a sentence only when a capitalised word follows ("… 5 mg p.o. Together these …"), not an
 * acronym, digit, bracket or lowercase word ("i.v. MP", "i.v. (5 mg/kg)", "i.v. injection").
 */
export const SENTENCE_FINAL_ABBREVIATIONS: ReadonlySet<string> = new Set([
  "al.",
  "i.v.",
  "i.p.",
  "i.m.",
  "i.c.v.",
  "s.c.",
  "p.o.",
  "p.i.",
  "b.i.d.",
  "t.i.d.",
  "q.i.d.",
  "q.d.",
]);

const CLOSERS = new Set([")", "]", "}", '"', "'"]);
const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/**
 * Offsets where an opening bracket is still open and closes later (boundaries there are skipped).
 * Unbalanced brackets (no closer later) do not suppress anything.
 */
function insideBrackets(text: string, start: number, end: number): Uint8Array {
  const inside = new Uint8Array(end - start);
  const stack: { close: string; at: number }[] = [];
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c in OPENERS) stack.push({ close: OPENERS[c], at: i });
    else if (stack.length && c === stack.at(-1)!.close) {
      const open = stack.pop()!;
      inside.fill(1, open.at + 1 - start, i - start);
    }
  }
  return inside;
}

/**
 * Whether the text at `at` can start a sentence: an uppercase letter, a digit, an opening bracket or quote,
 * or a lowercase word with capitals or digits in it (gene/chemical names: "mRNA", "nAChRs", "beta4").
 */
function canStartSentence(text: string, at: number): boolean {
  const c = text[at];
  if (/[\p{Lu}\p{N}]/u.test(c) || c in OPENERS || c === '"' || c === "'") return true;
  return /^\p{Ll}[\p{L}\p{N}-]*[\p{Lu}\p{N}]/u.test(text.slice(at, at + 40));
}

/** The whitespace-delimited token ending at `end` (exclusive), lowercased. */
function tokenBefore(text: string, from: number, end: number): string {
  let i = end;
  while (i > from && !/\s/.test(text[i - 1])) i--;
  return text.slice(i, end).toLowerCase().replace(/^[("[]+/, "");
}

/** Whether a period ending `token` (lowercased) does not end a sentence before the text at `next`. */
function isAbbreviation(token: string, text: string, next: number): boolean {
  if (ABBREVIATIONS.has(token)) return true;
  // A capitalised word, or an all-caps section heading ("RESULTS:").
  const startsSentence = /^(\p{Lu}\p{Ll}|\p{Lu}+:)/u.test(text.slice(next, next + 40));
  return SENTENCE_FINAL_ABBREVIATIONS.has(token) && !startsSentence;
}

/**
 * Splits `text` (or its [start, end) part) into sentence spans, trimmed of surrounding whitespace.
 *
 * @example
 * ```ts
 * const text = "Rats got clonidine i.v. (5 mg/kg) vs. saline. E. coli grew. Blood pressure fell by 12.5 mm.";
 * splitSentences(text).map(([s, e]) => text.slice(s, e));
 * // ["Rats got clonidine i.v. (5 mg/kg) vs. saline.", "E. coli grew.", "Blood pressure fell by 12.5 mm."]
 * ```
 */
export function splitSentences(text: string, options: SplitSentencesOptions = {}): Span[] {
  const start = options.start ?? 0;
  const end = options.end ?? text.length;
  const inside = insideBrackets(text, start, end);
  // crossed[k - start] = 1 when a protected span has text on both sides of offset k (s < k < e).
  const crossed = new Uint8Array(end - start + 1);
  for (const [s, e] of options.protect ?? []) {
    if (e > start && s < end) crossed.fill(1, Math.max(s + 1, start) - start, Math.min(e, end) - start);
  }

  const sentences: Span[] = [];
  let sentenceStart = start;
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) sentences.push([s, e]);
  };
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c !== "." && c !== "?" && c !== "!") continue;
    let close = i + 1; // the boundary goes after closing quotes/brackets
    while (close < end && CLOSERS.has(text[close]) && !inside[close - start]) close++;
    if (close >= end || !/\s/.test(text[close])) continue;
    let next = close;
    while (next < end && /\s/.test(text[next])) next++;
    if (next >= end || !canStartSentence(text, next)) continue;
    if (inside[i - start] || crossed[close - start]) continue;
    if (c === "." && isAbbreviation(tokenBefore(text, sentenceStart, i + 1), text, next)) continue;
    push(sentenceStart, close);
    sentenceStart = close;
  }
  push(sentenceStart, end);
  return sentences;
}
