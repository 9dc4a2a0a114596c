/**
 * seqeval's classification report: as a dictionary with seqeval's `output_dict` key names, and as text in
 * seqeval's layout (right-aligned names, four columns, blank lines around the averages).
 *
 * One deliberate difference: seqeval's text report raises on input without any entity (it takes the maximum
 * of an empty list of names); here it prints the averages alone, with NaN macro averages shown as `nan`.
 *
 * @module
 */
import type { Mode } from "./entities.ts";
import { accuracyScore, countEntities, type ScoreOptions, scoresFromCounts } from "./scores.ts";
import type { TagSequences } from "./tags.ts";

/** One row of the report, keyed as seqeval's `output_dict`. */
export interface ReportRow {
  precision: number;
  recall: number;
  "f1-score": number;
  support: number;
}

/**
 * The report as seqeval's `classification_report(..., output_dict=True)` returns it: one row per entity type
 * (sorted), then `"micro avg"`, `"macro avg"` and `"weighted avg"`.
 */
export type ClassificationReport = Record<string, ReportRow>;

/** The three average rows, in seqeval's order. */
export const AVERAGE_ROWS = ["micro avg", "macro avg", "weighted avg"] as const;

/** Rows in report order; the caller decides between dictionary and text. */
/** Per-type rows and average rows, in report order. */
interface ReportRows {
  types: [string, ReportRow][];
  averages: [string, ReportRow][];
}

function reportRows(yTrue: TagSequences, yPred: TagSequences, options: ScoreOptions): ReportRows {
  const counts = countEntities(yTrue, yPred, options);
  const perType = scoresFromCounts(counts, { ...options, average: null });
  const types = perType.types.map((type, i): [string, ReportRow] => [type, {
    precision: perType.precision[i],
    recall: perType.recall[i],
    "f1-score": perType.fScore[i],
    support: perType.support[i],
  }]);
  const averages = (["micro", "macro", "weighted"] as const).map((average): [string, ReportRow] => {
    const scores = scoresFromCounts(counts, { ...options, average });
    return [`${average} avg`, {
      precision: scores.precision,
      recall: scores.recall,
      "f1-score": scores.fScore,
      support: scores.support,
    }];
  });
  return { types, averages };
}

/**
 * The classification report as a dictionary (seqeval's `output_dict=True`).
 *
 * @example
 * ```ts
 * const report = classificationReport([["B-PER", "O"]], [["B-PER", "O"]]);
 * report.PER.precision;            // 1
 * report["micro avg"]["f1-score"]; // 1
 * ```
 */
export function classificationReport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: ScoreOptions = {},
): ClassificationReport {
  const { types, averages } = reportRows(yTrue, yPred, options);
  return Object.fromEntries([...types, ...averages]);
}

/**
 * Formats a number as Python's `format(x, ".{digits}f")`: like `toFixed`, but exact ties round half to even
 * (Python gives "0.12" for 0.125 where `toFixed` gives "0.13"), and NaN prints as "nan".
 *
 * @example
 * ```ts
 * formatFixed(0.125, 2);     // "0.12"
 * formatFixed(0.375, 2);     // "0.38"
 * formatFixed(2 / 3, 2);     // "0.67"
 * ```
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const rounded = x.toFixed(digits);
  if (Math.abs(x) >= 1e15) return rounded; // no fractional bits left, so no ties
  // A tie is exactly representable with digits + 1 decimals; its longer exact expansion ends in 5000….
  const exact = Math.abs(x).toFixed(digits + 25);
  const firstDropped = exact.indexOf(".") + digits + 1;
  const isTie = exact[firstDropped] === "5" && /^0*$/.test(exact.slice(firstDropped + 1));
  if (!isTie) return rounded;
  const truncated = exact.slice(0, digits > 0 ? firstDropped : firstDropped - 1);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 === 1) return rounded; // toFixed rounded away from zero, onto the even neighbour
  return (x < 0 ? "-" : "") + truncated;
}

/** Right-aligns by code points, as Python's `format(s, ">N")`. */
function alignRight(text: string, width: number): string {
  const length = Array.from(text).length;
  return length >= width ? text : " ".repeat(width - length) + text;
}

/** Lays out report rows as seqeval's StringReporter does. */
function formatRows(rows: ReportRows, digits: number): string {
  const { types, averages } = rows;
  const nameWidth = Math.max(0, ...types.map(([name]) => Array.from(name).length));
  const width = Math.max(nameWidth, "weighted avg".length, digits);
  const header = alignRight("", width) + " " +
    ["precision", "recall", "f1-score", "support"].map((h) => " " + alignRight(h, 9)).join("");
  const score = (x: number) => " " + alignRight(formatFixed(x, digits), 9);
  const line = ([name, row]: [string, ReportRow]) =>
    alignRight(name, width) + " " + score(row.precision) + score(row.recall) + score(row["f1-score"]) + " " +
    alignRight(String(row.support), 9);
  const buffer = [...types.map(line), "", ...averages.map(line), ""];
  return header + "\n\n" + buffer.join("\n");
}

/** Options of {@link formatClassificationReport}. */
export interface FormatOptions extends ScoreOptions {
  /** Decimals of the scores. Default 2. */
  digits?: number;
}

/**
 * The classification report as text in seqeval's layout.
 *
 * @example
 * ```ts
 * const yTrue = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
 * const yPred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
 * console.log(formatClassificationReport(yTrue, yPred));
 * //               precision    recall  f1-score   support
 * //
 * //         MISC       0.00      0.00      0.00         1
 * //          PER       1.00      1.00      1.00         1
 * //
 * //    micro avg       0.50      0.50      0.50         2
 * //    macro avg       0.50      0.50      0.50         2
 * // weighted avg       0.50      0.50      0.50         2
 * ```
 */
export function formatClassificationReport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: FormatOptions = {},
): string {
  return formatRows(reportRows(yTrue, yPred, options), options.digits ?? 2);
}

/** A full evaluation of tag sequences in one mode. */
export interface TagEvaluation {
  mode: Mode;
  report: ClassificationReport;
  /** Token accuracy over all tags. */
  accuracy: number;
  /** The report in seqeval's text layout. */
  text: string;
}

/**
 * Evaluates predicted tags against true tags in one mode: the report (dictionary and text) and accuracy.
 *
 * @example
 * ```ts
 * const result = evaluateTags([["B-PER", "O"]], [["B-PER", "O"]], { mode: "strict" });
 * result.report["micro avg"]["f1-score"]; // 1
 * result.accuracy;                        // 1
 * ```
 */
export function evaluateTags(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: FormatOptions = {},
): TagEvaluation {
  const rows = reportRows(yTrue, yPred, options);
  return {
    mode: options.mode ?? "default",
    report: Object.fromEntries([...rows.types, ...rows.averages]),
    accuracy: accuracyScore(yTrue, yPred),
    text: formatRows(rows, options.digits ?? 2),
  };
}

/**
 * The JSON that `deno task seqeval` prints: the report's rows plus `"accuracy"` (NaN becomes null in JSON).
 *
 * @example
 * ```ts
 * const json = seqevalJson(evaluateTags([["B-PER"]], [["B-PER"]]));
 * // { PER: {…}, "micro avg": {…}, "macro avg": {…}, "weighted avg": {…}, accuracy: 1 }
 * ```
 */
export function seqevalJson(evaluation: TagEvaluation): Record<string, ReportRow | number> {
  return { ...evaluation.report, accuracy: evaluation.accuracy };
}
