/**
 * Where a training run keeps its files under `outputs/<run>/`:
 *
 * ```
 * outputs/<run>/
 *   profile.json        the resolved profile the run used
 *   train_log.jsonl     one JSON line per logged step and per epoch (learning curves read it)
 *   best/               the best-on-dev model, a Hugging Face layout folder (config.json, model.safetensors, vocab.txt, …)
 *   checkpoint/         the last complete checkpoint: model folder + optimizer.safetensors + trainer_state.json
 *   pretrained/         (MLM-pretrained profiles) the encoder after pretraining, where fine-tuning starts
 *   epochs/<n>/         (profiles averaging their last epochs) the model after epoch n, one of those averaged into best/
 *   metrics.json        the final report: best dev scores and the test evaluation of best/
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";

/** Paths of one run's files. */
export interface RunLayout {
  dir: string;
  profile: string;
  log: string;
  best: string;
  checkpoint: string;
  /** From-scratch runs with MLM pretraining: the fine-tuning starting point (pretrained encoder, new head). */
  pretrained: string;
  /** Profiles with `averageLastEpochs`: `epochs/<n>/` holds the model after epoch n (see {@link epochSnapshot}). */
  epochs: string;
  metrics: string;
}

/** The default outputs folder: the project's outputs/ (notebooks run with their own folder as working directory). */
export const DEFAULT_OUTPUTS_DIR: string = join(PROJECT_ROOT, "outputs");

/**
 * The layout of run `run` under `outputsDir`.
 *
 * @example
 * ```ts
 * runLayout("outputs", "cpu-small").best; // "outputs/cpu-small/best"
 * ```
 */
export function runLayout(outputsDir: string, run: string): RunLayout {
  if (!/^[\w.-]+$/.test(run) || run === "." || run === "..") {
    throw new Error(`run name "${run}" must be letters, digits, '.', '_' or '-'`);
  }
  const dir = join(outputsDir, run);
  return {
    dir,
    profile: join(dir, "profile.json"),
    log: join(dir, "train_log.jsonl"),
    best: join(dir, "best"),
    checkpoint: join(dir, "checkpoint"),
    pretrained: join(dir, "pretrained"),
    epochs: join(dir, "epochs"),
    metrics: join(dir, "metrics.json"),
  };
}

/**
 * The folder of the model saved after epoch `epoch` (1-based) of a run that averages its last epochs.
 *
 * @example
 * ```ts
 * epochSnapshot(runLayout("outputs", "bilstm-crf-all"), 10); // "outputs/bilstm-crf-all/epochs/10"
 * ```
 */
export function epochSnapshot(layout: RunLayout, epoch: number): string {
  return join(layout.epochs, String(epoch));
}
