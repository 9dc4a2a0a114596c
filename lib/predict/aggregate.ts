/**
 * From per-token probabilities to entities: the five aggregation strategies of transformers'
 * `TokenClassificationPipeline` (see {@link AggregationStrategy} for their meanings), on one sentence's
 * merged token stream. Pure arithmetic, no model: the tests drive it with hand-made probabilities.
 *
 * @module
 */
import { OUTSIDE, parseTag } from "../bio/tags.ts";
import type { AggregationStrategy, Entity, ScoredToken } from "./types.ts";

/** A token or a word with the label it was given. */
interface LabelledSpan {
  label: string;
  score: number;
  start: number;
  end: number;
}

/** Index of the largest value (the first one on ties, like numpy's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Softmax of each row of `logits` (`rows × numLabels`, row-major), computed stably (max subtracted).
 *
 * @example
 * ```ts
 * const [p] = softmaxRows(new Float32Array([0, 0]), 2); // Float32Array [0.5, 0.5]
 * ```
 */
export function softmaxRows(logits: ArrayLike<number>, numLabels: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let offset = 0; offset < logits.length; offset += numLabels) {
    const row = new Float32Array(numLabels);
    let max = -Infinity, sum = 0;
    for (let j = 0; j < numLabels; j++) max = Math.max(max, logits[offset + j]);
    for (let j = 0; j < numLabels; j++) sum += row[j] = Math.exp(logits[offset + j] - max);
    for (let j = 0; j < numLabels; j++) row[j] /= sum;
    rows.push(row);
  }
  return rows;
}

/**
 * Splits an IOB label into its prefix and type as transformers' pipeline does: a label without `B-`/`I-`
 * (e.g. `O`) counts as `I` of a type named by the whole label.
 */
export function splitLabel(label: string): { prefix: "B" | "I"; type: string } {
  const parsed = parseTag(label);
  if (parsed?.prefix === "B" || parsed?.prefix === "I") return { prefix: parsed.prefix, type: parsed.type };
  return { prefix: "I", type: label };
}

/** A token's label id: the one its model decoded for the sentence, else the argmax of its scores. */
function labelIdOf(token: ScoredToken): number {
  return token.labelId ?? argmax(token.scores);
}

function labelToken(token: ScoredToken, labels: readonly string[]): LabelledSpan {
  const id = labelIdOf(token);
  return { label: labels[id], score: token.scores[id], start: token.start, end: token.end };
}

/** One word's subwords → one labelled span, by the `first`, `average` or `max` rule. */
function labelWord(
  subwords: ScoredToken[],
  labels: readonly string[],
  strategy: "first" | "average" | "max",
): LabelledSpan {
  // A word-level model gives one token per word, with its decoded label: every strategy reads that.
  if (subwords[0].labelId !== undefined) return labelToken(subwords[0], labels);
  let scores: ArrayLike<number>;
  if (strategy === "first") scores = subwords[0].scores;
  else if (strategy === "max") {
    scores =
      subwords.reduce((best, t) => (Math.max(...t.scores) > Math.max(...best.scores) ? t : best)).scores;
  } else {
    const mean = new Float64Array(labels.length);
    for (const t of subwords) t.scores.forEach((p, j) => mean[j] += p / subwords.length);
    scores = mean;
  }
  const id = argmax(scores);
  return { label: labels[id], score: scores[id], start: subwords[0].start, end: subwords.at(-1)!.end };
}

/** Consecutive tokens with the same word id form a word (the tokenizer knows the words exactly). */
function wordsOf(tokens: ScoredToken[]): ScoredToken[][] {
  const words: ScoredToken[][] = [];
  for (const token of tokens) {
    const last = words.at(-1);
    if (last && last[0].wordId === token.wordId) last.push(token);
    else words.push([token]);
  }
  return words;
}

/**
 * Groups adjacent spans of the same type unless a span starts with `B-` (transformers' `group_entities`);
 * a group's score is the mean of its members'. Groups of `O` are formed too and dropped by the caller.
 */
function groupSpans(spans: LabelledSpan[]): { type: string; score: number; start: number; end: number }[] {
  const groups: LabelledSpan[][] = [];
  for (const span of spans) {
    const current = groups.at(-1);
    const { prefix, type } = splitLabel(span.label);
    if (current && prefix !== "B" && splitLabel(current.at(-1)!.label).type === type) current.push(span);
    else groups.push([span]);
  }
  return groups.map((group) => ({
    type: splitLabel(group[0].label).type,
    score: group.reduce((sum, s) => sum + s.score, 0) / group.length,
    start: group[0].start,
    end: group.at(-1)!.end,
  }));
}

/** Options of {@link aggregateTokens}. */
export interface AggregateOptions {
  /** Label names by id (the model's `id2label` as an array). */
  labels: readonly string[];
  /** The original text the tokens' offsets point into. */
  text: string;
  strategy: AggregationStrategy;
  /** Labels that are not entities. Default `["O"]`, as in transformers. */
  ignoreLabels?: readonly string[];
}

/**
 * Turns one sentence's tokens (in order, windows already merged) into entities.
 *
 * @example
 * ```ts
 * const labels = ["O", "B-Chemical", "I-Chemical"];
 * const text = "aspirin";
 * const tokens = [
 *   { token: "as", wordId: 0, start: 0, end: 2, scores: new Float32Array([0.1, 0.8, 0.1]) },
 *   { token: "##pirin", wordId: 0, start: 2, end: 7, scores: new Float32Array([0.6, 0.1, 0.3]) },
 * ];
 * aggregateTokens(tokens, { labels, text, strategy: "first" });
 * // → [{ start: 0, end: 7, text: "aspirin", type: "Chemical", score: 0.8 }]
 * ```
 */
export function aggregateTokens(tokens: ScoredToken[], options: AggregateOptions): Entity[] {
  const { labels, text, strategy, ignoreLabels = [OUTSIDE] } = options;
  const entity = (span: { start: number; end: number; type: string; score: number }): Entity => ({
    start: span.start,
    end: span.end,
    text: text.slice(span.start, span.end),
    type: span.type,
    score: span.score,
  });
  if (strategy === "none") {
    return tokens.map((t) => labelToken(t, labels)).filter((s) => !ignoreLabels.includes(s.label))
      .map((s) => ({ ...entity({ ...s, type: splitLabel(s.label).type }), tag: s.label }));
  }
  const spans = strategy === "simple"
    ? tokens.map((t) => labelToken(t, labels))
    : wordsOf(tokens).map((subwords) => labelWord(subwords, labels, strategy));
  return groupSpans(spans).filter((g) => !ignoreLabels.includes(g.type)).map(entity);
}

/**
 * One IOB2 tag per word by the first-subword rule (the label of each word's first subword; `O` for a word
 * that produced no token, e.g. one made only of characters the tokenizer drops). Tags are the raw argmax
 * labels, as transformers' run_ner reports them (a word-level model's decoded labels); an `I-` after `O` is
 * left for the evaluation to judge.
 *
 * @example
 * ```ts
 * declare const tokens: any; // the example's inputs
 * firstSubwordTags(tokens, 1, ["O", "B-Chemical", "I-Chemical"]); // ["B-Chemical"]
 * ```
 */
export function firstSubwordTags(
  tokens: ScoredToken[],
  wordCount: number,
  labels: readonly string[],
): string[] {
  const tags: string[] = new Array(wordCount).fill(OUTSIDE);
  let previousWord = -1;
  for (const token of tokens) {
    if (token.wordId !== previousWord) tags[token.wordId] = labels[labelIdOf(token)];
    previousWord = token.wordId;
  }
  return tags;
}
