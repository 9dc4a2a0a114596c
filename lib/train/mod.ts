/**
 * The training stage: profiles (lib/train/profiles/*.json), the training loop with AdamW, warmup/decay,
 * clipping, per-epoch dev evaluation, atomic checkpoints and `--resume`, and {@link findBestModel} for the
 * stages that need a trained model. The loop reads top down on top: trainer.ts → prepare.ts (data, the model
 * from its type, lib/model/registry.ts) → fit.ts → step.ts, evaluate.ts; its parts are sub-folders: run/ (a
 * run's files: checkpoint, resume, lock, log, best model, summary), progress/ (events, clock, terminal and
 * notebook displays, following a log), profiles/ (the JSON profiles and the default choice), pretraining/
 * (MLM).
 *
 * @example
 * ```ts
 * import { findBestModel, trainProfile } from "./mod.ts";
 * const { metrics } = await trainProfile({ profile: "smoke" });
 * const { dir, isSmoke } = await findBestModel();
 * ```
 *
 * @module
 */
export {
  type BestModel,
  findBestModel,
  type FindBestModelOptions,
  listTrainedModels,
} from "./run/find_best.ts";
export { chooseModel, type ChooseModelOptions, type ChosenModel } from "./run/choose_model.ts";
export { DEFAULT_OUTPUTS_DIR, type RunLayout, runLayout } from "./run_layout.ts";
export type {
  EpochLogLine,
  EvalScores,
  RunMetrics,
  StepLogLine,
  TrainLogLine,
  TypeScores,
} from "./metrics_file.ts";
export { readTrainLog } from "./run/train_log.ts";
export {
  applyOverrides,
  loadProfile,
  type MlmOptions,
  PROFILE_NAMES,
  PROFILES_DIR,
  type ScratchModelConfig,
  type TrainProfile,
  validateProfile,
} from "./profile.ts";
export { peakRssBytes, type TrainOptions, trainProfile, type TrainResult } from "./trainer.ts";
export type { TrainProgress } from "./progress/events.ts";
export { AdamW, type AdamWOptions, excludedFromWeightDecay, globalNormScale } from "./optimizer.ts";
export { linearWarmupDecay } from "./schedule.ts";
export {
  chooseProfile,
  type ChooseProfileOptions,
  type DefaultProfile,
  defaultProfile,
  type ProfileChoice,
} from "./profiles/choose.ts";
export { liveTrainingDisplay, progressLine } from "./progress/live_display.ts";
export { type ModelSummary, summarizeModel } from "./run/summary.ts";
export { frequentTokens, maskWindows, pretrainEncoder } from "./pretraining/mlm.ts";
export { evaluateSentences, scoreCorpora } from "./evaluate.ts";
export { type PreparedRun, prepareRun } from "./prepare.ts";
