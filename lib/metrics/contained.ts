/**
 * HunFlair's lenient matching (Weber et al. 2021, Bioinformatics 37(17); its comparison table is scored by
 * `partial_match` in hu-ner/hunflair-experiments' evaluate_ann.py), in word units: a predicted entity is right
 * when it lies inside a gold entity of its type not yet matched (that gold entity is then used up), and a gold
 * entity is missed when it lies inside no predicted entity of its type not yet matched. So a prediction that
 * is part of a longer gold mention counts as found (and the mention as missed), one wider than its mention
 * counts as wrong. The original allows either end to pass the gold span by one character; word spans have no
 * such slack here (a word is the smallest unit), so this is at most as lenient as the original.
 *
 * Entities are read in strict IOB2 (as the strict scores are); matching is within a sentence, as spans never
 * cross one.
 *
 * @module
 */
import { type SentenceSpan, spansBySentence } from "./entities.ts";
import type { ClassificationReport, ReportRow } from "./report.ts";
import { scoresFromCounts, type TypeCounts } from "./scores.ts";
import type { TagSequences } from "./tags.ts";

/** Whether `inner` lies inside `outer`, of the same type. */
function inside(inner: SentenceSpan, outer: SentenceSpan): boolean {
  return inner.type === outer.type && inner.start >= outer.start && inner.end <= outer.end;
}

/** Tells `count` for each of `entries` whether it lies inside an unused `candidates` entry (used up once). */
function matchInside(
  entries: SentenceSpan[],
  candidates: SentenceSpan[],
  count: (span: SentenceSpan, found: boolean) => void,
) {
  const left = [...candidates];
  for (const entry of entries) {
    const i = left.findIndex((candidate) => inside(entry, candidate));
    if (i >= 0) left.splice(i, 1);
    count(entry, i >= 0);
  }
}

/**
 * Scores per entity type (sorted) and their `"micro avg"` under HunFlair's matching; `support` is the number
 * of gold entities.
 *
 * @example
 * ```ts
 * const report = containedMatchReport(
 *   [["B-Chemical", "I-Chemical", "I-Chemical", "O"]],
 *   [["O", "B-Chemical", "I-Chemical", "O"]],
 * );
 * report.Chemical; // { precision: 1, recall: 0.5, "f1-score": 0.666…, support: 1 }
 * ```
 */
export function containedMatchReport(yTrue: TagSequences, yPred: TagSequences): ClassificationReport {
  const gold = spansBySentence(yTrue, { mode: "strict", name: "y_true" });
  const predicted = spansBySentence(yPred, { mode: "strict", name: "y_pred" });
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const of = (type: string) => {
    if (!counts.has(type)) counts.set(type, { tp: 0, fp: 0, fn: 0, support: 0 });
    return counts.get(type)!;
  };
  gold.forEach((goldSpans, s) => {
    for (const span of goldSpans) of(span.type).support++;
    matchInside(predicted[s], goldSpans, (span, found) => of(span.type)[found ? "tp" : "fp"]++);
    matchInside(goldSpans, predicted[s], (span, found) => {
      if (!found) of(span.type).fn++;
    });
  });
  // Precision tp / (tp + fp) and recall tp / (tp + fn), as seqeval computes them from counts (0 where
  // undefined); a mention both found and missed counts in both, so support is the gold count itself.
  const types = [...counts.keys()].sort();
  const rowsOf = types.map((type) => counts.get(type)!);
  const typeCounts: TypeCounts = {
    types,
    truePositives: rowsOf.map((c) => c.tp),
    predicted: rowsOf.map((c) => c.tp + c.fp),
    actual: rowsOf.map((c) => c.tp + c.fn),
  };
  const perType = scoresFromCounts(typeCounts, { average: null, zeroDivision: 0 });
  const micro = scoresFromCounts(typeCounts, { average: "micro", zeroDivision: 0 });
  const row = (precision: number, recall: number, f1: number, support: number): ReportRow => ({
    precision,
    recall,
    "f1-score": f1,
    support,
  });
  return Object.fromEntries([
    ...types.map((type, i) => [
      type,
      row(perType.precision[i], perType.recall[i], perType.fScore[i], rowsOf[i].support),
    ]),
    [
      "micro avg",
      row(micro.precision, micro.recall, micro.fScore, rowsOf.reduce((n, c) => n + c.support, 0)),
    ],
  ]);
}
