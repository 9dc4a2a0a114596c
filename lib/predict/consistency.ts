/**
 * Document-level consistency of predicted tags, as measured options (README Results has the on/off table):
 *
 * - **abbreviations**: long form / short form pairs defined in the document, "tumor necrosis factor (TNF)",
 *   found with Schwartz & Hearst's (2003) rule (each short-form character, last to first, found in the long
 *   form in order; the short form's first character starts a long-form word). A short form takes the type of
 *   its long form wherever it occurs when the long form was tagged as an entity, and loses its tags where
 *   the long form was not (the parentheses define a non-entity: "mean arterial pressure (MAP)").
 * - **propagation**: a word sequence tagged as an entity of one type somewhere in a document is tagged so at
 *   its other occurrences in that document that overlap no entity.
 *
 * Both work on sentences of one document (their words in order) and their IOB2 tags, and return new tags.
 *
 * @module
 */
import type { Sentence, Word } from "../bio/types.ts";
import type { ScoredToken } from "./types.ts";

/** Which consistency rules to apply. */
export interface ConsistencyOptions {
  abbreviations?: boolean;
  propagation?: boolean;
}

/** A short form and the words of its long form, as word-text sequences. */
export interface AbbreviationPair {
  shortForm: string;
  /** The long form's words. */
  longForm: string[];
}

const ALNUM = /[\p{L}\p{N}]/u;

/**
 * Long form / short form pairs in a document's word sequence: `… long form ( SF )` where SF is one word of
 * 2–10 characters with a letter, and the long form is the shortest run of at most min(|SF| + 5, 2·|SF|) words
 * before "(" that Schwartz & Hearst's matching accepts.
 *
 * @example
 * ```ts
 * abbreviationPairs(["mean", "arterial", "pressure", "(", "MAP", ")"]);
 * // [{ shortForm: "MAP", longForm: ["mean", "arterial", "pressure"] }]
 * ```
 */
export function abbreviationPairs(words: readonly string[]): AbbreviationPair[] {
  const pairs: AbbreviationPair[] = [];
  for (let i = 1; i + 2 < words.length; i++) {
    if (words[i] !== "(" || words[i + 2] !== ")") continue;
    const shortForm = words[i + 1];
    if (shortForm.length < 2 || shortForm.length > 10 || !/\p{L}/u.test(shortForm)) continue;
    if (!ALNUM.test(shortForm[0])) continue;
    const most = Math.min(shortForm.length + 5, 2 * shortForm.length);
    for (let n = 1; n <= most && i - n >= 0; n++) {
      const longForm = words.slice(i - n, i);
      if (longForm.includes("(") || longForm.includes(")") || longForm.includes(".")) break;
      if (matchesShortForm(shortForm, longForm.join(" "))) {
        pairs.push({ shortForm, longForm });
        break;
      }
    }
  }
  return pairs;
}

/** Schwartz & Hearst: SF's characters, right to left, found in LF in order; the first at a word start. */
function matchesShortForm(shortForm: string, longForm: string): boolean {
  const sf = shortForm.toLowerCase(), lf = longForm.toLowerCase();
  let l = lf.length - 1;
  for (let s = sf.length - 1; s >= 0; s--) {
    const char = sf[s];
    if (!ALNUM.test(char)) continue;
    while (l >= 0 && (lf[l] !== char || (s === 0 && l > 0 && ALNUM.test(lf[l - 1])))) l--;
    if (l < 0) return false;
    l--;
  }
  return lf.split(" ")[0][0] === sf[0];
}

interface Span {
  sentence: number;
  start: number;
  end: number;
  type: string;
}

function entitySpans(tags: readonly (readonly string[])[]): Span[] {
  const spans: Span[] = [];
  tags.forEach((row, sentence) => {
    for (let t = 0; t < row.length; t++) {
      if (!row[t].startsWith("B-")) continue;
      const type = row[t].slice(2);
      let end = t + 1;
      while (end < row.length && row[end] === `I-${type}`) end++;
      spans.push({ sentence, start: t, end, type });
    }
  });
  return spans;
}

/** Every occurrence of a word sequence in the document: [sentence, start]. */
function occurrences(sentences: readonly Sentence[], sequence: readonly string[]): [number, number][] {
  const found: [number, number][] = [];
  sentences.forEach((sentence, s) => {
    const words = sentence.words;
    for (let t = 0; t + sequence.length <= words.length; t++) {
      if (sequence.every((word, k) => words[t + k].text === word)) found.push([s, t]);
    }
  });
  return found;
}

function isFree(tags: readonly string[], start: number, end: number): boolean {
  for (let t = start; t < end; t++) if (tags[t] !== "O") return false;
  // Tagging here must not cut an entity that continues right after.
  return end >= tags.length || !tags[end].startsWith("I-");
}

function tagSpan(tags: string[], start: number, end: number, type: string): void {
  for (let t = start; t < end; t++) tags[t] = `${t === start ? "B" : "I"}-${type}`;
}

/**
 * Tags of one document's sentences after the chosen consistency rules.
 *
 * @example
 * ```ts
 * declare const docSentences: any, predicted: string[][]; // the example's inputs
 * const tags = consistentTags(docSentences, predicted, { abbreviations: true, propagation: true });
 * ```
 */
export function consistentTags(
  sentences: readonly Sentence[],
  predicted: readonly (readonly string[])[],
  options: ConsistencyOptions,
): string[][] {
  const tags = predicted.map((row) => [...row]);
  if (options.abbreviations) {
    const words = sentences.flatMap((s) => s.words.map((w) => w.text));
    const spans = entitySpans(tags);
    for (const { shortForm, longForm } of abbreviationPairs(words)) {
      const long = occurrences(sentences, longForm);
      const types = long.map(([s, t]) =>
        spans.find((span) => span.sentence === s && span.start === t && span.end === t + longForm.length)
          ?.type
      );
      const type = types.find((found) => found !== undefined);
      for (const [s, t] of occurrences(sentences, [shortForm])) {
        const row = tags[s];
        if (type !== undefined) {
          if (row[t] === "O" && isFree(row, t, t + 1)) tagSpan(row, t, t + 1, type);
        } else if (row[t].startsWith("B-") && (t + 1 >= row.length || !row[t + 1].startsWith("I-"))) {
          row[t] = "O";
        }
      }
    }
  }
  if (options.propagation) {
    const byText = new Map<string, Map<string, number>>();
    for (const span of entitySpans(tags)) {
      const key = sentences[span.sentence].words.slice(span.start, span.end).map((w) => w.text).join(" ");
      const counts = byText.get(key) ?? new Map<string, number>();
      counts.set(span.type, (counts.get(span.type) ?? 0) + 1);
      byText.set(key, counts);
    }
    for (const [key, counts] of byText) {
      // One-character strings ("A", "%") are too ambiguous to propagate.
      if (key.length < 2 || !/\p{L}/u.test(key)) continue;
      const type = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      const sequence = key.split(" ");
      for (const [s, t] of occurrences(sentences, sequence)) {
        if (isFree(tags[s], t, t + sequence.length)) tagSpan(tags[s], t, t + sequence.length, type);
      }
    }
  }
  return tags;
}

/**
 * {@link consistentTags} over many documents' sentences (grouped by `docId`, each document in `index` order).
 *
 * @example
 * ```ts
 * declare const devSentences: any, predicted: string[][]; // the example's inputs
 * const tags = consistentCorpusTags(devSentences, predicted, { propagation: true });
 * ```
 */
export function consistentCorpusTags(
  sentences: readonly Sentence[],
  predicted: readonly (readonly string[])[],
  options: ConsistencyOptions,
): string[][] {
  const byDoc = new Map<string, number[]>();
  sentences.forEach((sentence, i) => {
    const list = byDoc.get(sentence.docId) ?? [];
    list.push(i);
    byDoc.set(sentence.docId, list);
  });
  const result: string[][] = predicted.map((row) => [...row]);
  for (const indices of byDoc.values()) {
    // A document reads in sentence order (callers may have sorted sentences by length).
    indices.sort((a, b) => sentences[a].index - sentences[b].index);
    const tags = consistentTags(indices.map((i) => sentences[i]), indices.map((i) => predicted[i]), options);
    indices.forEach((i, k) => result[i] = tags[k]);
  }
  return result;
}

/**
 * The scored words of one document's sentences (a word-level model: one token per word, with its decoded
 * `labelId`) with their labels after the consistency rules — for the pipeline, which then groups them into
 * entities as usual (a changed word's score is its new label's probability).
 *
 * @example
 * ```ts
 * declare const words: any, tokens: any; // the example's inputs
 * const consistent = consistentTokens(words, tokens, ["O", "B-Chemical", "I-Chemical"], { propagation: true });
 * ```
 */
export function consistentTokens(
  words: readonly (readonly Word[])[],
  tokens: readonly (readonly ScoredToken[])[],
  labels: readonly string[],
  options: ConsistencyOptions,
): ScoredToken[][] {
  const sentences = words.map((w, index) => ({
    docId: "",
    index,
    start: 0,
    end: 0,
    words: [...w],
    tags: [],
  }));
  const predicted = tokens.map((row) => row.map((token) => labels[token.labelId!]));
  const tags = consistentTags(sentences, predicted, options);
  return tokens.map((row, s) => row.map((token, t) => ({ ...token, labelId: labels.indexOf(tags[s][t]) })));
}
