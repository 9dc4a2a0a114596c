/**
 * Document-level consistency of predicted tags, as measured options (docs/results.md has the on/off table):
 *
 * - **abbreviations**: long form / short form pairs defined in the document, "tumor necrosis factor (TNF)",
 *   found with Schwartz & Hearst's (2003) rule (each short-form character, last to first, found in the long
 *   form in order; the short form's first character starts a long-form word). A short form takes the type of
 *   its long form wherever it occurs when the long form was tagged as an entity — the entity that ends just
 *   before the "(" and covers the long form (a chemical name often starts before the part the rule matches:
 *   "7,12-dimethylbenz[a]anthracene (DMBA)" matches from "dimethylbenz"), else the long form's words tagged
 *   as one entity elsewhere in the document — and loses its tags where the long form was not (the
 *   parentheses define a non-entity: "mean arterial pressure (MAP)").
 * - **propagation**: a word sequence tagged as an entity of one type somewhere in a document is tagged so at
 *   its other occurrences in that document that overlap no entity.
 *
 * Both work on sentences of one document (their words in order) and their IOB2 tags, and return new tags.
 * Entities are read by lib/bio/tags.ts's one rule (a stray `I-X` starts one) and written back with their
 * `B-`. Cost: linear in the document's words, plus the occurrences of its entity strings (each a match of
 * a whole entity string, found by one Aho–Corasick pass over the document), times log(words).
 *
 * @module
 */
import { MarkCounts, occurrencesOf } from "./phrases.ts";
import { entitySpans, entityTag, OUTSIDE, parseTag, tagsFromSpans, type TokenSpan } from "./tags.ts";
import type { Sentence } from "./types.ts";

/** Which consistency rules to apply (a model's config.json `consistency`, a profile's `model.consistency`). */
export interface ConsistencyOptions {
  abbreviations?: boolean;
  propagation?: boolean;
}

const RULES: readonly string[] = ["abbreviations", "propagation"] satisfies (keyof ConsistencyOptions)[];

/**
 * What is wrong with `value` as {@link ConsistencyOptions} (undefined is fine: no rules), named `name`.
 *
 * @example
 * ```ts
 * consistencyOptionsProblems({ propagation: "yes" }, "model.consistency");
 * // ["model.consistency must be an object of booleans: abbreviations, propagation"]
 * ```
 */
export function consistencyOptionsProblems(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  const valid = typeof value === "object" && value !== null &&
    Object.entries(value).every(([key, flag]) => RULES.includes(key) && typeof flag === "boolean");
  return valid ? [] : [`${name} must be an object of booleans: ${RULES.join(", ")}`];
}

/** A short form and the words of its long form, as word-text sequences. */
export interface AbbreviationPair {
  shortForm: string;
  /** The long form's words. */
  longForm: string[];
  /** Where the "(" after the long form is in the words. */
  open: number;
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
 * // [{ shortForm: "MAP", longForm: ["mean", "arterial", "pressure"], open: 3 }]
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
        pairs.push({ shortForm, longForm, open: i });
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

/** Where each sentence starts in the document's words (all sentences in order), and how many words there are. */
function wordOffsets(rows: readonly { length: number }[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const row of rows) offsets.push(total), total += row.length;
  return { offsets, total };
}

/** An entity of sentence `sentence` over its words `[start, end)`. */
interface Span extends TokenSpan {
  sentence: number;
}

/** The entities of a document's tags, in document order. */
function documentSpans(tags: readonly (readonly string[])[]): Span[] {
  return tags.flatMap((row, sentence) => entitySpans(row).map((span) => ({ ...span, sentence })));
}

/** A word sequence as one exact key (words may hold any character). */
function sequenceKey(words: readonly string[]): string {
  return JSON.stringify(words);
}

function wordTexts(sentence: Sentence, start: number, end: number): string[] {
  return sentence.words.slice(start, end).map((word) => word.text);
}

function tagSpan(tags: string[], start: number, end: number, type: string): void {
  for (let t = start; t < end; t++) tags[t] = entityTag(t === start ? "B" : "I", type);
}

/**
 * The abbreviation rule (module doc), in place. The pairs act in document order, each on every occurrence of
 * its short form; per short form that sequence of actions collapses (an occurrence's tag depends only on its
 * own tag and whether an `I-` follows, which no action changes): "tag as X if O" twice is the first, a
 * "clear" undoes earlier tagging — so each occurrence is visited once, whatever the number of pairs. With every
 * entity written with its `B-`, an O is never followed by an `I-`: tagging O words cuts no entity.
 */
function applyAbbreviations(sentences: readonly Sentence[], tags: string[][]): void {
  const firstTypeOf = new Map<string, string>();
  // The entity ending at each document position (sentences in order, as abbreviationPairs reads them).
  const endingAt = new Map<number, Span>();
  const { offsets } = wordOffsets(tags);
  for (const span of documentSpans(tags)) {
    const key = sequenceKey(wordTexts(sentences[span.sentence], span.start, span.end));
    if (!firstTypeOf.has(key)) firstTypeOf.set(key, span.type);
    endingAt.set(offsets[span.sentence] + span.end, span);
  }
  // Per short form: whether some pair clears it, and the type it ends up tagged with (if any).
  const actions = new Map<string, { cleared: boolean; type?: string }>();
  for (
    const { shortForm, longForm, open } of abbreviationPairs(
      sentences.flatMap((s) => s.words.map((w) => w.text)),
    )
  ) {
    const before = endingAt.get(open);
    const covering = before && offsets[before.sentence] + before.start <= open - longForm.length;
    const type = covering ? before.type : firstTypeOf.get(sequenceKey(longForm));
    const action = actions.get(shortForm) ?? { cleared: false };
    if (type === undefined) actions.set(shortForm, { cleared: true });
    else actions.set(shortForm, { cleared: action.cleared, type: action.type ?? type });
  }
  sentences.forEach((sentence, s) => {
    const row = tags[s];
    sentence.words.forEach((word, t) => {
      const action = actions.get(word.text);
      if (!action) return;
      // A one-word entity (no I- continues it) is cleared; a longer one starting here is not this short form.
      const oneWord = parseTag(row[t])?.prefix === "B" && parseTag(row[t + 1] ?? OUTSIDE)?.prefix !== "I";
      if (action.cleared && oneWord) row[t] = OUTSIDE;
      if (action.type !== undefined && row[t] === OUTSIDE) tagSpan(row, t, t + 1, action.type);
    });
  });
}

/** The propagation rule (module doc), in place. */
function applyPropagation(sentences: readonly Sentence[], tags: string[][]): void {
  const byText = new Map<string, { words: string[]; counts: Map<string, number> }>();
  for (const span of documentSpans(tags)) {
    const words = wordTexts(sentences[span.sentence], span.start, span.end);
    const key = sequenceKey(words);
    const entry = byText.get(key) ?? { words, counts: new Map<string, number>() };
    entry.counts.set(span.type, (entry.counts.get(span.type) ?? 0) + 1);
    byText.set(key, entry);
  }
  // One-character strings ("A", "%") are too ambiguous to propagate.
  const entries = [...byText.values()].filter(({ words }) => {
    const text = words.join(" ");
    return text.length >= 2 && /\p{L}/u.test(text);
  });
  const ids = new Map<string, number>();
  const idOf = (word: string) => ids.get(word) ?? ids.set(word, ids.size).get(word)!;
  const sentenceIds = sentences.map((sentence) => Int32Array.from(sentence.words, (word) => idOf(word.text)));
  // Position p of the document (all sentences, in order) is offsets[s] + t; runs of O end at p.
  const { offsets, total } = wordOffsets(tags);
  const outsideRun = new Int32Array(total);
  tags.forEach((row, s) =>
    row.forEach((tag, t) => {
      const p = offsets[s] + t;
      outsideRun[p] = tag !== OUTSIDE ? 0 : t > 0 ? outsideRun[p - 1] + 1 : 1;
    })
  );
  // Only occurrences over O now can ever be tagged: tagging only turns O into entities.
  const occurrences = occurrencesOf(
    entries.map(({ words }) => words.map(idOf)),
    sentenceIds,
    ids.size,
    (s, start, length) => outsideRun[offsets[s] + start + length - 1] >= length,
  );
  const tagged = new MarkCounts(total);
  entries.forEach(({ counts }, k) => {
    const type = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    for (const [s, start] of occurrences[k]) {
      const end = start + entries[k].words.length, p = offsets[s];
      if (tagged.before(p + end) !== tagged.before(p + start)) continue; // an entity tagged here meanwhile
      tagSpan(tags[s], start, end, type);
      for (let t = start; t < end; t++) tagged.mark(p + t);
    }
  });
}

/**
 * Tags of one document's sentences after the chosen consistency rules (the module doc). With a rule on, every
 * entity comes back written with its `B-` (a stray `I-X` that started one is read and written as `B-X`).
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
  if (!options.abbreviations && !options.propagation) return predicted.map((row) => [...row]);
  const tags = predicted.map((row) => tagsFromSpans(entitySpans(row), row.length, "IOB2"));
  if (options.abbreviations) applyAbbreviations(sentences, tags);
  if (options.propagation) applyPropagation(sentences, tags);
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
