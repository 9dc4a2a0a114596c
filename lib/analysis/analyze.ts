// Over 300 lines: one pass over the sentences fills every count; split up, each part would re-walk them.
/**
 * Error analysis of predicted tags against gold tags, sentence by sentence: the error taxonomy of
 * {@link classifySentence} counted per type, entity-type and token-label confusions, split entities, recall
 * for entity strings seen / unseen in training, recall by entity length, the most frequent false-positive and
 * false-negative strings, and concrete examples of every kind with their sentence.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { type Mode, parseDefaultTag } from "../metrics/mod.ts";
import { compareCodePoints } from "../util/code_points.ts";
import { classifySentence, type EntityGroup, ERROR_KINDS, type ErrorKind } from "./errors.ts";
import { sentenceSpans, type Span } from "./spans.ts";

/** Found / total for one slice of gold entities; `recall` is null when there are none. */
export interface RecallBucket {
  total: number;
  found: number;
  recall: number | null;
}

/** A square count matrix: `matrix[i][j]` counts gold label `labels[i]` predicted as `labels[j]`. */
export interface Confusion {
  labels: string[];
  matrix: number[][];
}

/** One group of overlapping spans with the sentence it comes from, for display. */
export interface ErrorExample {
  kind: ErrorKind;
  docId: string;
  /** Index of the sentence in its document. */
  index: number;
  sentence: Sentence;
  gold: Span[];
  predicted: Span[];
}

/** A surface string with its type and how often it was a false positive (or false negative). */
export interface StringCount {
  text: string;
  type: string;
  count: number;
}

/** Entity length buckets, in words. */
export const LENGTH_BUCKETS = ["1", "2", "3", "4", "5+"] as const;
export type LengthBucket = typeof LENGTH_BUCKETS[number];

/** Everything {@link analyzeErrors} finds. Per-type records also have an `all` entry. */
export interface ErrorAnalysis {
  mode: Mode;
  sentences: number;
  /** Entity types in gold or predictions, sorted. */
  types: string[];
  /** Every group of overlapping spans, in sentence order. */
  groups: EntityGroup[];
  /** Groups per kind, per type (the gold type; the predicted type for false positives). */
  counts: Record<string, Record<ErrorKind, number>>;
  /** Entity level: each gold span → the type of the predicted span overlapping it most ("O": missed); the
   * "O" row counts false positives. */
  typeConfusion: Confusion;
  /** The off-diagonal cells of {@link typeConfusion} between two entity types (e.g. Chemical→Disease). */
  typeConfusions: { gold: string; predicted: string; count: number }[];
  /** Token level: gold tag → predicted tag. */
  tokenConfusion: Confusion;
  /** Gold entities predicted in several parts. */
  split: { count: number; byType: Record<string, number>; examples: ErrorExample[] };
  /** Predicted entities that cover several gold entities. */
  merged: { count: number; byType: Record<string, number>; examples: ErrorExample[] };
  /** Recall of gold entities whose (lower-cased) text is / is not a gold entity text of the training split;
   * null when no training sentences were given. */
  seenUnseen: Record<string, { seen: RecallBucket; unseen: RecallBucket }> | null;
  /** Recall by entity length in words. */
  recallByLength: Record<string, Record<LengthBucket, RecallBucket>>;
  topFalsePositives: StringCount[];
  topFalseNegatives: StringCount[];
  /** A few groups of each kind, spread over the data. */
  examples: Record<ErrorKind, ErrorExample[]>;
}

/** Input and options of {@link analyzeErrors}. */
export interface AnalyzeOptions {
  /** Sentences with gold tags. */
  gold: readonly Sentence[];
  /** The same sentences (same order, same words) with predicted tags. */
  predicted: readonly Sentence[];
  /** Training sentences (gold tags), for seen/unseen recall. */
  train?: readonly Sentence[];
  /** seqeval mode used to read tags into entities. Default "default". */
  mode?: Mode;
  /** Examples per kind. Default 5. */
  examplesPerKind?: number;
  /** Length of the top false-positive / false-negative lists. Default 15. */
  top?: number;
}

/** Checks that predictions line up with the gold sentences; names the first mismatch. */
function checkAligned(gold: readonly Sentence[], predicted: readonly Sentence[]): void {
  if (gold.length !== predicted.length) {
    throw new Error(`${gold.length} gold sentences but ${predicted.length} predicted ones`);
  }
  gold.forEach((g, i) => {
    const p = predicted[i];
    const where = `sentence ${i} (doc ${g.docId}, #${g.index})`;
    if (p.docId !== g.docId || p.index !== g.index) {
      throw new Error(
        `${where}: the prediction is for doc ${p.docId}, #${p.index}; inputs must be in the same order`,
      );
    }
    if (p.words.length !== g.words.length) {
      throw new Error(`${where}: ${g.words.length} gold words but ${p.words.length} predicted`);
    }
    if (g.tags.length !== g.words.length) {
      throw new Error(`${where}: ${g.tags.length} gold tags for ${g.words.length} words`);
    }
    if (p.tags.length !== p.words.length) {
      throw new Error(`${where}: ${p.tags.length} predicted tags for ${p.words.length} words`);
    }
  });
}

function bucket(): RecallBucket {
  return { total: 0, found: 0, recall: null };
}

function finishBuckets(buckets: RecallBucket[]): void {
  for (const b of buckets) b.recall = b.total === 0 ? null : b.found / b.total;
}

/** Picks `n` items spread evenly over the list (deterministic). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * items.length / n)]);
}

function lengthBucket(words: number): LengthBucket {
  return words >= 5 ? "5+" : String(words) as LengthBucket;
}

/** Orders tags as O, then by type, B before I (then other prefixes). */
function compareTags(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "O") return -1;
  if (b === "O") return 1;
  const x = parseDefaultTag(a), y = parseDefaultTag(b);
  const order = (prefix: string) => "BIES".indexOf(prefix) >>> 0;
  return compareCodePoints(x.type, y.type) || order(x.prefix) - order(y.prefix) || compareCodePoints(a, b);
}

function confusion(labels: string[], pairs: Iterable<[string, string]>): Confusion {
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const [gold, predicted] of pairs) matrix[index.get(gold)!][index.get(predicted)!]++;
  return { labels, matrix };
}

/** Token-level confusion of gold and predicted tags, counted without building 100k+ pairs. */
function tagConfusion(gold: readonly Sentence[], predicted: readonly Sentence[]): Confusion {
  const counts = new Map<string, Map<string, number>>();
  gold.forEach((g, i) => {
    const p = predicted[i].tags;
    g.tags.forEach((tag, j) => {
      let row = counts.get(tag);
      if (!row) counts.set(tag, row = new Map());
      row.set(p[j], (row.get(p[j]) ?? 0) + 1);
    });
  });
  const labels = new Set(counts.keys());
  for (const row of counts.values()) for (const tag of row.keys()) labels.add(tag);
  const sorted = [...labels].sort(compareTags);
  return { labels: sorted, matrix: sorted.map((g) => sorted.map((p) => counts.get(g)?.get(p) ?? 0)) };
}

function topStrings(spans: Span[], n: number): StringCount[] {
  const counts = new Map<string, StringCount>();
  for (const span of spans) {
    const key = `${span.type}\u0000${span.text}`;
    const entry = counts.get(key) ?? { text: span.text, type: span.type, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .sort((a, b) =>
      b.count - a.count || compareCodePoints(a.text, b.text) || compareCodePoints(a.type, b.type)
    )
    .slice(0, n);
}

/** Length of the overlap of two spans in words. */
function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/**
 * Analyses predicted tags against gold tags (see {@link ErrorAnalysis} for what comes back).
 *
 * @example
 * ```ts
 * declare const testSentences: any, predictedSentences: any, trainSentences: any; // the example's inputs
 * const analysis = analyzeErrors({ gold: testSentences, predicted: predictedSentences, train: trainSentences });
 * analysis.counts.all.boundary;      // number of boundary errors
 * analysis.seenUnseen?.all.unseen;   // { total, found, recall }
 * ```
 */
export function analyzeErrors(options: AnalyzeOptions): ErrorAnalysis {
  const { gold, predicted } = options;
  const mode = options.mode ?? "default";
  const examplesPerKind = options.examplesPerKind ?? 5;
  checkAligned(gold, predicted);

  const goldSpans = sentenceSpans(gold, { mode, name: "gold" });
  const predictedSpans = sentenceSpans(predicted, { mode, name: "predicted" });
  const groups = goldSpans.flatMap((spans, i) => classifySentence(spans, predictedSpans[i], i));
  const types = [...new Set([...goldSpans, ...predictedSpans].flat().map((span) => span.type))].sort(
    compareCodePoints,
  );
  const perType = <T>(make: () => T): Record<string, T> =>
    Object.fromEntries(["all", ...types].map((type) => [type, make()]));

  const counts = perType(() =>
    Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<ErrorKind, number>
  );
  const groupType = (group: EntityGroup) => (group.gold[0] ?? group.predicted[0]).type;
  for (const group of groups) {
    counts.all[group.kind]++;
    counts[groupType(group)][group.kind]++;
  }

  // Entity-level type confusion: each gold span against the predicted span overlapping it most.
  const typePairs: [string, string][] = [];
  for (const group of groups) {
    for (const g of group.gold) {
      let best: Span | undefined;
      for (const p of group.predicted) if (overlap(g, p) > (best ? overlap(g, best) : 0)) best = p;
      typePairs.push([g.type, best?.type ?? "O"]);
    }
    if (group.gold.length === 0) { for (const p of group.predicted) typePairs.push(["O", p.type]); }
  }
  const typeConfusion = confusion([...types, "O"], typePairs);
  const typeConfusions = types.flatMap((g, i) =>
    types.flatMap((p, j) =>
      (i !== j && typeConfusion.matrix[i][j] > 0)
        ? [{ gold: g, predicted: p, count: typeConfusion.matrix[i][j] }]
        : []
    )
  );

  const tokenConfusion = tagConfusion(gold, predicted);

  const example = (group: EntityGroup): ErrorExample => ({
    kind: group.kind,
    docId: gold[group.sentence].docId,
    index: gold[group.sentence].index,
    sentence: gold[group.sentence],
    gold: group.gold,
    predicted: group.predicted,
  });
  const partGroups = (flag: "split" | "merged") => {
    const flagged = groups.filter((group) => group[flag]);
    const byType = perType(() => 0);
    for (const group of flagged) {
      byType.all++;
      byType[groupType(group)]++;
    }
    return { count: flagged.length, byType, examples: spread(flagged, examplesPerKind).map(example) };
  };

  // Recall of gold spans: found means predicted exactly (the group is "exact").
  const foundGold = groups.flatMap((group) =>
    group.gold.map((span) => ({ span, found: group.kind === "exact" }))
  );
  const trainTexts = options.train
    ? new Set(
      sentenceSpans(options.train, { mode, name: "train" }).flat().map((span) => span.text.toLowerCase()),
    )
    : undefined;
  const seenUnseen = trainTexts ? perType(() => ({ seen: bucket(), unseen: bucket() })) : null;
  const recallByLength = perType(() =>
    Object.fromEntries(LENGTH_BUCKETS.map((b) => [b, bucket()])) as Record<LengthBucket, RecallBucket>
  );
  for (const { span, found } of foundGold) {
    const slices = [
      recallByLength.all[lengthBucket(span.end - span.start)],
      recallByLength[span.type][lengthBucket(span.end - span.start)],
    ];
    if (seenUnseen && trainTexts) {
      const seen = trainTexts.has(span.text.toLowerCase()) ? "seen" : "unseen";
      slices.push(seenUnseen.all[seen], seenUnseen[span.type][seen]);
    }
    for (const slice of slices) {
      slice.total++;
      if (found) slice.found++;
    }
  }
  finishBuckets(Object.values(recallByLength).flatMap((byLength) => Object.values(byLength)));
  if (seenUnseen) finishBuckets(Object.values(seenUnseen).flatMap(({ seen, unseen }) => [seen, unseen]));

  const top = options.top ?? 15;
  const ofKind = (kind: ErrorKind) => groups.filter((group) => group.kind === kind);
  return {
    mode,
    sentences: gold.length,
    types,
    groups,
    counts,
    typeConfusion,
    typeConfusions,
    tokenConfusion,
    split: partGroups("split"),
    merged: partGroups("merged"),
    seenUnseen,
    recallByLength,
    topFalsePositives: topStrings(ofKind("false positive").flatMap((group) => group.predicted), top),
    topFalseNegatives: topStrings(ofKind("false negative").flatMap((group) => group.gold), top),
    examples: Object.fromEntries(
      ERROR_KINDS.map((kind) => [kind, spread(ofKind(kind), examplesPerKind).map(example)]),
    ) as Record<ErrorKind, ErrorExample[]>,
  };
}
