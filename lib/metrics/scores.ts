// Over 300 lines: seqeval's scoring functions and overloads mirror its one module, to read side by side.
/**
 * Entity-level precision, recall, F-score and support per type, with micro / macro / weighted averages and
 * token accuracy — seqeval 1.2.2's `precision_recall_fscore_support` and friends, by behaviour:
 *
 * - an entity counts as correct only when type, start and end all match;
 * - `zeroDivision: "warn"` (the default) sets an undefined ratio to 0 and warns, `0` sets it to 0 silently,
 *   `1` sets it to 1;
 * - the macro average of no types is NaN (numpy's mean of an empty array), the weighted average of types
 *   with no support is 0 (or `zeroDivision`), as in seqeval;
 * - averages sum in numpy's pairwise order, so results match seqeval to the last bit.
 *
 * @module
 */
import { compareCodePoints } from "../util/code_points.ts";
import { getEntities, getStrictEntities, type Mode } from "./entities.ts";
import { checkSequences, type StrictScheme, type TagFormat, type TagSequences } from "./tags.ts";
import { type WarningSink, warnOnce } from "./warnings.ts";

/** What to return for an undefined precision/recall: 0 with a warning ("warn"), 0 or 1. */
export type ZeroDivision = "warn" | 0 | 1;

/** How per-type scores are averaged; `null` keeps them per type. */
export type Average = "micro" | "macro" | "weighted" | null;

/** Which metrics a caller reports, so only their warnings are raised (seqeval's `warn_for`). */
export type WarnFor = readonly ("precision" | "recall" | "f-score")[];

/** Options shared by all scores. */
export interface ScoreOptions extends TagFormat {
  /** `default` (conlleval-compatible, the default) or `strict`. */
  mode?: Mode;
  /** Strict mode's scheme: IOB2 (the default) or IOBES (seqeval's `scheme=IOBES`). */
  scheme?: StrictScheme;
  zeroDivision?: ZeroDivision;
  /** Receives warnings about ill-defined scores. Default: print each message once to stderr. */
  onWarning?: WarningSink;
}

/** Options of {@link precisionRecallFscoreSupport}. */
export interface PrfOptions extends ScoreOptions {
  average?: Average;
  /** Weight of recall against precision in the F-score; `Infinity` gives recall. Default 1. */
  beta?: number;
  warnFor?: WarnFor;
}

/** Entity counts per type: true positives, predicted and true entities, types sorted as seqeval sorts. */
export interface TypeCounts {
  types: string[];
  truePositives: number[];
  predicted: number[];
  actual: number[];
}

/**
 * Counts true positive, predicted and true entities per type after checking the input.
 *
 * @example
 * ```ts
 * countEntities([["B-A", "B-B", "O", "B-A"]], [["O", "B-B", "B-C", "B-A"]], { mode: "strict" });
 * // { types: ["A", "B", "C"], truePositives: [1, 1, 0], predicted: [1, 1, 1], actual: [2, 1, 0] }
 * ```
 */
export function countEntities(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: ScoreOptions = {},
): TypeCounts {
  checkSequences(yTrue, yPred);
  // Each entity becomes a key "type\u0000position" so that sets compare them by value.
  const keysByType = (sequences: TagSequences, name: string): Map<string, Set<string>> => {
    const byType = new Map<string, Set<string>>();
    const add = (type: string, key: string) => {
      let keys = byType.get(type);
      if (!keys) byType.set(type, keys = new Set());
      keys.add(key);
    };
    if (options.mode === "strict") {
      for (const e of getStrictEntities(sequences, { ...options, name })) {
        add(e.type, `${e.sentence},${e.start},${e.end}`);
      }
    } else {
      for (const [type, start, end] of getEntities(sequences, options)) add(type, `${start},${end}`);
    }
    return byType;
  };
  const truth = keysByType(yTrue, "y_true"), predicted = keysByType(yPred, "y_pred");
  const types = [...new Set([...truth.keys(), ...predicted.keys()])].sort(compareCodePoints);
  const counts: TypeCounts = { types, truePositives: [], predicted: [], actual: [] };
  for (const type of types) {
    const t = truth.get(type) ?? new Set<string>(), p = predicted.get(type) ?? new Set<string>();
    let hits = 0;
    for (const key of p) if (t.has(key)) hits++;
    counts.truePositives.push(hits);
    counts.predicted.push(p.size);
    counts.actual.push(t.size);
  }
  return counts;
}

/**
 * Sums like numpy's `add.reduce` on a contiguous float64 array (pairwise, 8-way unrolled, blocks of 128),
 * so that averages round exactly as seqeval's do.
 */
export function numpySum(values: readonly number[], start = 0, n = values.length): number {
  if (n < 8) {
    let sum = -0;
    for (let i = start; i < start + n; i++) sum += values[i];
    return sum;
  }
  if (n <= 128) {
    const r = values.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += values[start + i + k];
    let sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, start, half) + numpySum(values, start + half, n - half);
}

function warnIllDefined(
  sink: WarningSink,
  metric: "precision" | "recall" | "f-score",
  modifier: string,
  warnFor: WarnFor,
  resultSize: number,
): void {
  const title = metric === "f-score" ? "F-score" : metric[0].toUpperCase() + metric.slice(1);
  const start = metric !== "f-score" && warnFor.includes("f-score")
    ? `${title} and F-score are`
    : `${title} is`;
  const where = resultSize === 1 ? "due to" : "in labels with";
  sink(
    `${start} ill-defined and being set to 0.0 ${where} no ${modifier} samples. ` +
      "Use `zero_division` parameter to control this behavior.",
  );
}

/** numerator / denominator elementwise; where the denominator is 0 the result is `zeroDivision` (and a warning). */
function divide(
  numerator: number[],
  denominator: number[],
  metric: "precision" | "recall",
  modifier: string,
  options: Required<Pick<PrfOptions, "zeroDivision" | "warnFor" | "onWarning">>,
): number[] {
  let undefinedSomewhere = false;
  const result = numerator.map((value, i) => {
    if (denominator[i] !== 0) return value / denominator[i];
    undefinedSomewhere = true;
    return options.zeroDivision === 1 ? 1 : 0;
  });
  if (undefinedSomewhere && options.zeroDivision === "warn" && options.warnFor.includes(metric)) {
    warnIllDefined(options.onWarning, metric, modifier, options.warnFor, result.length);
  }
  return result;
}

/** Per-type scores (`average: null`): one entry per type, in {@link TypeCounts.types} order. */
export interface PerTypeScores {
  types: string[];
  precision: number[];
  recall: number[];
  fScore: number[];
  support: number[];
}

/** Averaged scores; `support` is the number of true entities. */
export interface AveragedScores {
  precision: number;
  recall: number;
  fScore: number;
  support: number;
}

/**
 * Scores from entity counts (the arithmetic half of {@link precisionRecallFscoreSupport}).
 *
 * @example
 * ```ts
 * const counts = { types: ["A"], truePositives: [1], predicted: [2], actual: [1] };
 * scoresFromCounts(counts, { average: "micro" }); // { precision: 0.5, recall: 1, fScore: 0.666…, support: 1 }
 * ```
 */
export function scoresFromCounts(counts: TypeCounts, options: PrfOptions & { average: null }): PerTypeScores;
export function scoresFromCounts(
  counts: TypeCounts,
  options: PrfOptions & { average: "micro" | "macro" | "weighted" },
): AveragedScores;
export function scoresFromCounts(counts: TypeCounts, options?: PrfOptions): PerTypeScores | AveragedScores;
export function scoresFromCounts(
  counts: TypeCounts,
  options: PrfOptions = {},
): PerTypeScores | AveragedScores {
  const average = options.average ?? null;
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`beta should be >= 0 in the F-beta score, got ${beta}`);
  if (![null, "micro", "macro", "weighted"].includes(average)) {
    throw new Error(
      `average has to be one of null, "micro", "macro", "weighted"; got ${JSON.stringify(average)}`,
    );
  }
  const zeroDivision = options.zeroDivision ?? "warn";
  if (!["warn", 0, 1].includes(zeroDivision)) {
    throw new Error(`zeroDivision has to be "warn", 0 or 1; got ${JSON.stringify(zeroDivision)}`);
  }
  const warnFor = options.warnFor ?? ["precision", "recall", "f-score"];
  const onWarning = options.onWarning ?? warnOnce;
  const settings = { zeroDivision, warnFor, onWarning };

  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  let { truePositives: tp, predicted, actual } = counts;
  if (average === "micro") [tp, predicted, actual] = [[total(tp)], [total(predicted)], [total(actual)]];
  const precision = divide(tp, predicted, "precision", "predicted", settings);
  const recall = divide(tp, actual, "recall", "true", settings);
  // Only f1_score() alone (warnFor exactly ["f-score"]) warns when both precision and recall are undefined.
  if (zeroDivision === "warn" && warnFor.length === 1 && warnFor[0] === "f-score") {
    if (actual.some((n, i) => n === 0 && predicted[i] === 0)) {
      onWarning(
        `F-score is ill-defined and being set to 0.0 ${actual.length === 1 ? "due to" : "in labels with"} ` +
          "no true nor predicted samples. Use `zero_division` parameter to control this behavior.",
      );
    }
  }
  const beta2 = beta * beta;
  const fScore = beta === Infinity ? recall : precision.map((p, i) => {
    const denominator = beta2 * p + recall[i];
    return (1 + beta2) * p * recall[i] / (denominator === 0 ? 1 : denominator);
  });
  const support = total(actual);

  if (average === null) return { types: counts.types, precision, recall, fScore, support: [...actual] };
  if (average === "weighted") {
    if (support === 0) {
      // No true entities at all: seqeval returns zero_division for recall, and for precision and F only
      // when nothing was predicted either.
      const value = zeroDivision === 1 ? 1 : 0;
      const nothingPredicted = total(predicted) === 0;
      return {
        precision: nothingPredicted ? value : 0,
        recall: value,
        fScore: nothingPredicted ? value : 0,
        support,
      };
    }
    const weighted = (xs: number[]) => numpySum(xs.map((x, i) => x * actual[i])) / support;
    return { precision: weighted(precision), recall: weighted(recall), fScore: weighted(fScore), support };
  }
  if (precision.length === 0) onWarning("Mean of empty slice.");
  const mean = (xs: number[]) => numpySum(xs) / xs.length;
  return { precision: mean(precision), recall: mean(recall), fScore: mean(fScore), support };
}

/**
 * Precision, recall, F-score and support, per type or averaged (seqeval's `precision_recall_fscore_support`).
 *
 * @example
 * ```ts
 * const yTrue = [["O", "O", "B-MISC", "I-MISC", "B-MISC", "O", "O"], ["B-PER", "I-PER", "O"]];
 * const yPred = [["O", "O", "B-MISC", "I-MISC", "B-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
 * precisionRecallFscoreSupport(yTrue, yPred, { average: "macro" }).fScore; // 0.75
 * ```
 */
export function precisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: PrfOptions & { average: null },
): PerTypeScores;
export function precisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: PrfOptions & { average: "micro" | "macro" | "weighted" },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options?: PrfOptions,
): PerTypeScores | AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: PrfOptions = {},
): PerTypeScores | AveragedScores {
  return scoresFromCounts(countEntities(yTrue, yPred, options), options);
}

/** Options of the single-number scores: micro average unless told otherwise. */
export interface SingleScoreOptions extends ScoreOptions {
  average?: "micro" | "macro" | "weighted";
}

/**
 * Entity-level precision (micro average by default), as seqeval's `precision_score`.
 *
 * @example
 * ```ts
 * precisionScore([["B-PER", "I-PER"]], [["B-PER", "O"]]); // 0
 * ```
 */
export function precisionScore(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SingleScoreOptions = {},
): number {
  return precisionRecallFscoreSupport(yTrue, yPred, {
    ...options,
    average: options.average ?? "micro",
    warnFor: ["precision"],
  }).precision;
}

/**
 * Entity-level recall (micro average by default), as seqeval's `recall_score`.
 *
 * @example
 * ```ts
 * recallScore([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "O"]]); // 0.5
 * ```
 */
export function recallScore(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SingleScoreOptions = {},
): number {
  return precisionRecallFscoreSupport(yTrue, yPred, {
    ...options,
    average: options.average ?? "micro",
    warnFor: ["recall"],
  }).recall;
}

/**
 * Entity-level F1 (micro average by default), as seqeval's `f1_score`.
 *
 * @example
 * ```ts
 * f1Score([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "O"]]); // 0.666…
 * ```
 */
export function f1Score(yTrue: TagSequences, yPred: TagSequences, options: SingleScoreOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, {
    ...options,
    average: options.average ?? "micro",
    warnFor: ["f-score"],
    beta: 1,
  }).fScore;
}

/**
 * Token accuracy: the share of tags predicted exactly (seqeval's `accuracy_score`). Throws on input with
 * no tokens, where accuracy is undefined.
 *
 * @example
 * ```ts
 * accuracyScore([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]]); // 0.666…
 * ```
 */
export function accuracyScore(yTrue: TagSequences, yPred: TagSequences): number {
  checkSequences(yTrue, yPred);
  let correct = 0, total = 0;
  yTrue.forEach((sentence, i) =>
    sentence.forEach((tag, j) => {
      total++;
      if (tag === yPred[i][j]) correct++;
    })
  );
  if (total === 0) throw new Error("accuracy is undefined: the input holds no tokens");
  return correct / total;
}

/** Token-level counts of seqeval's `performance_measure`. */
export interface PerformanceMeasure {
  TP: number;
  FP: number;
  FN: number;
  TN: number;
}

/**
 * Token-level TP/FP/FN/TN counts, as seqeval's `performance_measure` (TP counts equal non-O pairs; FP a
 * non-O prediction that differs; FN an O prediction for a non-O tag; TN O for O).
 *
 * @example
 * ```ts
 * performanceMeasure([["B-PER", "O"]], [["B-PER", "B-LOC"]]); // { TP: 1, FP: 1, FN: 0, TN: 0 }
 * ```
 */
export function performanceMeasure(yTrue: TagSequences, yPred: TagSequences): PerformanceMeasure {
  checkSequences(yTrue, yPred);
  const counts: PerformanceMeasure = { TP: 0, FP: 0, FN: 0, TN: 0 };
  yTrue.forEach((sentence, i) =>
    sentence.forEach((t, j) => {
      const p = yPred[i][j];
      if (t === p && (t !== "O" || p !== "O")) counts.TP++;
      if (t !== p && p !== "O") counts.FP++;
      if (t !== "O" && p === "O") counts.FN++;
      if (t === "O" && p === "O") counts.TN++;
    })
  );
  return counts;
}
