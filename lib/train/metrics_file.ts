/**
 * The shapes of a run's `train_log.jsonl` lines and of its final `metrics.json`.
 *
 * @module
 */
import type { UnifiedTypes } from "./profile.ts";

/** Strict-mode seqeval scores of one entity type. */
export interface TypeScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Strict-mode seqeval micro scores plus the per-type ones. */
export interface EvalScores {
  precision: number;
  recall: number;
  f1: number;
  perType: Record<string, TypeScores>;
  /**
   * A multi-corpus run's scores of each corpus (its own head and label set); the micro scores are then their
   * unweighted means and `perType` is keyed `corpus/type`.
   */
  perCorpus?: Record<string, EvalScores>;
}

/** A `train_log.jsonl` line written every `logEverySteps` optimizer steps. */
export interface StepLogLine {
  kind: "step";
  step: number;
  epoch: number;
  /** Mean training loss over the steps since the previous step line. */
  loss: number;
  lr: number;
  tokensPerSecond: number;
}

/** A `train_log.jsonl` line written after each epoch (and its dev evaluation, when dev is not trained on). */
export interface EpochLogLine {
  kind: "epoch";
  epoch: number;
  step: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Null when the profile trains on train+dev (dev is then training data, not evaluated). */
  dev: EvalScores | null;
  /** Seconds the epoch took (training and dev evaluation). */
  seconds: number;
}

/** Any line of `train_log.jsonl`. */
export type TrainLogLine = StepLogLine | EpochLogLine;

/** `outputs/<run>/metrics.json`: what the run did and how its best checkpoint scored. */
export interface RunMetrics {
  run: string;
  profile: string;
  isSmoke: boolean;
  backend: string;
  startedAt: string;
  finishedAt: string;
  /** Wall time of the whole run, evaluations included (resumed runs: summed over the sessions). */
  wallSeconds: number;
  /** Seconds spent in training steps only. */
  trainSeconds: number;
  steps: number;
  epochsCompleted: number;
  /** Why training ended: all epochs, early stopping, the time budget or the step limit. */
  stopReason: "epochs" | "early-stopping" | "time-budget" | "max-steps";
  /** Non-padding tokens seen in training steps (all sessions). */
  trainTokens: number;
  /** trainTokens / trainSeconds. */
  tokensPerSecond: number;
  /** Peak resident memory of the process (VmHWM), when the OS reports it. */
  peakRssBytes?: number;
  parameters: number;
  /** What the run trained on (profile `trainOn`). */
  trainOn?: "train" | "train+dev";
  /** What it trained on: the profile's `data` (a corpus name or path; absent in runs before corpora: BC5CDR). */
  corpus?: string;
  /** The label set, id = index. */
  labels?: string[];
  /** A multi-corpus run's label set of each corpus (head), id = index; `labels` is then their union. */
  corpusLabels?: Record<string, string[]>;
  /** A run of several corpora as one model over unified types: the profile's section (lib/train/profile.ts). */
  unifiedTypes?: UnifiedTypes;
  /** A corpus's run of a multi-corpus run (lib/train/corpus_views.ts): that run's name. */
  multiCorpusRun?: string;
  /**
   * A corpus's run of a unified run: the corpus (its key in the type mapping) in whose types the unified model
   * is judged there — gold and predicted tags alike keep only the types it annotates (lib/corpus/type_mapping.ts).
   */
  judgedAs?: string;
  /** The kept model: the best epoch on dev, or (trained on train+dev, `dev` null) the last. */
  best: { epoch: number; step: number; dev: EvalScores | null };
  /** Profiles averaging their last epochs: the epochs whose models' mean best/ holds (absent: none averaged). */
  averagedEpochs?: number[];
  test: EvalScores;
}

/**
 * A measured number as the log and metrics.json keep it: to three decimals.
 *
 * @example
 * ```ts
 * roundMetric(1.23456); // 1.235
 * ```
 */
export function roundMetric(value: number): number {
  return Math.round(value * 1000) / 1000;
}
