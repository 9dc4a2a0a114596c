/**
 * seqeval-exact entity-level metrics for IOB-tagged sequences: default (conlleval-compatible) and strict
 * (IOB2 or IOBES scheme) modes, per-type and averaged precision / recall / F1, token accuracy, and the classification report
 * as a dictionary (seqeval's key names) or text (seqeval's layout).
 *
 * @example
 * ```ts
 * declare const goldTags: any, predictedTags: any; // the example's inputs
 * import { evaluateTags } from "./mod.ts";
 * const { report, text } = evaluateTags(goldTags, predictedTags, { mode: "strict" });
 * console.log(text, report["micro avg"]["f1-score"]);
 * ```
 *
 * @module
 */
export {
  type Chunk,
  type DefaultEntityOptions,
  getEntities,
  getStrictEntities,
  type Mode,
  type SentenceSpan,
  type SpanOptions,
  spansBySentence,
  type StrictEntity,
  type StrictEntityOptions,
} from "./entities.ts";
export {
  accuracyScore,
  type Average,
  type AveragedScores,
  countEntities,
  f1Score,
  numpySum,
  type PerformanceMeasure,
  performanceMeasure,
  type PerTypeScores,
  precisionRecallFscoreSupport,
  precisionScore,
  type PrfOptions,
  recallScore,
  type ScoreOptions,
  scoresFromCounts,
  type SingleScoreOptions,
  type TypeCounts,
  type WarnFor,
  type ZeroDivision,
} from "./scores.ts";
export {
  AVERAGE_ROWS,
  type ClassificationReport,
  classificationReport,
  evaluateTags,
  formatClassificationReport,
  formatFixed,
  type FormatOptions,
  type ReportRow,
  seqevalJson,
  type TagEvaluation,
} from "./report.ts";
export {
  checkSequences,
  looksLikeEntityTag,
  parseDefaultTag,
  type ParsedTag,
  parseStrictTag,
  type StrictScheme,
  type TagFormat,
  type TagSequences,
} from "./tags.ts";
export { containedMatchReport } from "./contained.ts";
export { type WarningSink, warnOnce } from "./warnings.ts";
