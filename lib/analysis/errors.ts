/**
 * The error taxonomy: every gold and predicted entity of a sentence falls into exactly one *group* of
 * overlapping spans, and each group gets one kind:
 *
 * | kind             | group                                                             |
 * |------------------|-------------------------------------------------------------------|
 * | `exact`          | one gold and one predicted span, same words, same type            |
 * | `type`           | one gold and one predicted span, same words, other type           |
 * | `boundary`       | overlapping spans of one type, words differ                       |
 * | `type+boundary`  | overlapping spans, words differ and types differ                  |
 * | `false positive` | a predicted span that overlaps no gold span                       |
 * | `false negative` | a gold span that overlaps no predicted span (missed)              |
 *
 * A group with one gold span and several predicted ones is a multi-word entity *split* into parts; one
 * predicted span over several gold ones *merges* them.
 *
 * @module
 */
import type { Span } from "./spans.ts";

/** What went right or wrong in one group of overlapping spans. */
export type ErrorKind = "exact" | "boundary" | "type" | "type+boundary" | "false positive" | "false negative";

/** Every kind, correct first. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "exact",
  "boundary",
  "type",
  "type+boundary",
  "false positive",
  "false negative",
];

/** One group of overlapping gold and predicted spans in a sentence, and its kind. */
export interface EntityGroup {
  kind: ErrorKind;
  /** Index of the sentence in the evaluated list. */
  sentence: number;
  gold: Span[];
  predicted: Span[];
  /** One gold span predicted as several parts. */
  split: boolean;
  /** Several gold spans predicted as one. */
  merged: boolean;
}

function kindOf(gold: readonly Span[], predicted: readonly Span[]): ErrorKind {
  if (predicted.length === 0) return "false negative";
  if (gold.length === 0) return "false positive";
  if (gold.length === 1 && predicted.length === 1) {
    const [g, p] = [gold[0], predicted[0]];
    if (g.start === p.start && g.end === p.end) return g.type === p.type ? "exact" : "type";
  }
  const types = new Set([...gold, ...predicted].map((span) => span.type));
  return types.size === 1 ? "boundary" : "type+boundary";
}

/**
 * Groups one sentence's gold and predicted spans by overlap and classifies each group.
 *
 * @example
 * ```ts
 * const gold = [{ type: "Disease", start: 0, end: 2, text: "renal failure" }];
 * const predicted = [{ type: "Disease", start: 1, end: 2, text: "failure" }];
 * classifySentence(gold, predicted, 0)[0].kind; // "boundary"
 * ```
 */
export function classifySentence(
  gold: readonly Span[],
  predicted: readonly Span[],
  sentence: number,
): EntityGroup[] {
  const all = [
    ...gold.map((span) => ({ span, isGold: true })),
    ...predicted.map((span) => ({ span, isGold: false })),
  ].sort((a, b) => a.span.start - b.span.start || Number(b.isGold) - Number(a.isGold));
  const groups: EntityGroup[] = [];
  let current: { gold: Span[]; predicted: Span[]; end: number } | undefined;
  const close = () => {
    if (!current) return;
    groups.push({
      kind: kindOf(current.gold, current.predicted),
      sentence,
      gold: current.gold,
      predicted: current.predicted,
      split: current.gold.length === 1 && current.predicted.length > 1,
      merged: current.gold.length > 1 && current.predicted.length > 0,
    });
  };
  // Sorted by start, a span overlaps the current group iff it starts before the group's furthest end.
  for (const { span, isGold } of all) {
    if (!current || span.start >= current.end) {
      close();
      current = { gold: [], predicted: [], end: span.end };
    }
    (isGold ? current.gold : current.predicted).push(span);
    current.end = Math.max(current.end, span.end);
  }
  close();
  return groups;
}
