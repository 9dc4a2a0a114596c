/**
 * Training checkpoints: a Hugging Face layout model folder plus what `--resume` needs to continue exactly —
 * the optimizer's moments (`optimizer.safetensors`) and the trainer state (`trainer_state.json`: step,
 * position in the epoch, the data-order RNG state, best score so far, counters). Written atomically: a
 * killed process leaves the previous complete checkpoint, never a half-written one.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "../../model/formats/safetensors.ts";
import type { StateDict } from "../../model/types.ts";
import { recoverDirAtomic, writeDirAtomic } from "../../util/atomic.ts";
import { killPoint } from "../../util/kill_point.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import type { EvalScores } from "../metrics_file.ts";
import type { AdamW, AdamWState } from "../optimizer.ts";

/** File names inside a checkpoint folder, next to the model files. */
export const OPTIMIZER_FILE = "optimizer.safetensors";
export const TRAINER_STATE_FILE = "trainer_state.json";

/** Everything about the run's progress that is not a tensor. */
export interface TrainerState {
  /** Profile name the run uses (resuming with another profile is refused). */
  profile: string;
  /** Epoch in progress (0-based) and how many of its batches are done. */
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps taken. */
  globalStep: number;
  totalSteps: number;
  /** State of the data-order RNG at the start of `epoch` (the epoch's shuffle seed is drawn from it). */
  epochRngState: number;
  best: { epoch: number; step: number; dev: EvalScores | null } | null;
  epochsWithoutImprovement: number;
  /** Training-loss sums of the current epoch and of the current log interval. */
  epochLoss: { sum: number; steps: number };
  intervalLoss: { sum: number; steps: number; tokens: number; seconds: number };
  trainTokens: number;
  trainSeconds: number;
  /** Wall seconds of the run so far (summed over sessions), and of the current epoch. */
  wallSeconds: number;
  epochSeconds: number;
  startedAt: string;
  /** Length of train_log.jsonl when the checkpoint was written: a resumed run cuts the log back to it. */
  logBytes?: number;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  dir: string;
  /**
   * Writes the model's Hugging Face layout folder at the given path (which exists, empty; replacing it is
   * fine — the optimizer and trainer-state files are added afterwards).
   */
  writeModel: (dir: string) => Promise<void>;
  optimizer: AdamW;
  state: TrainerState;
}

/**
 * Writes a checkpoint folder atomically (replacing the previous one in one rename).
 *
 * @example
 * ```ts
 * declare const layout: any, saveModel: any, model: any, optimizer: any, state: any; // the example's inputs
 * await saveCheckpoint({ dir: layout.checkpoint, writeModel: (d) => saveModel(model, d), optimizer, state });
 * ```
 */
export async function saveCheckpoint(options: SaveCheckpointOptions): Promise<void> {
  const moments = await momentsStateDict(options.optimizer.getState());
  await writeDirAtomic(options.dir, async (tmp) => {
    await options.writeModel(tmp);
    killPoint("checkpoint-fill");
    await writeSafetensors(join(tmp, OPTIMIZER_FILE), moments);
    await Deno.writeTextFile(
      join(tmp, TRAINER_STATE_FILE),
      JSON.stringify({ ...options.state, optimizerStep: options.optimizer.step }, null, 2),
    );
  });
}

/**
 * Reads a checkpoint's trainer state, or null when `dir` holds no complete checkpoint (a checkpoint write
 * killed between its renames is recovered first).
 *
 * @example
 * ```ts
 * const state = await readTrainerState("outputs/cpu-small/checkpoint");
 * ```
 */
export async function readTrainerState(
  dir: string,
): Promise<(TrainerState & { optimizerStep: number }) | null> {
  await recoverDirAtomic(dir);
  const text = await readTextFileBounded(join(dir, TRAINER_STATE_FILE), { kind: "JSON settings file" })
    .catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${join(dir, TRAINER_STATE_FILE)}: not valid JSON`);
  }
}

/**
 * Restores the optimizer moments and step saved in checkpoint `dir`.
 *
 * @example
 * ```ts
 * declare const optimizer: any, state: any; // the example's inputs
 * await restoreOptimizer("outputs/cpu-small/checkpoint", optimizer, state.optimizerStep);
 * ```
 */
export async function restoreOptimizer(dir: string, optimizer: AdamW, step: number): Promise<void> {
  const saved = await readSafetensors(join(dir, OPTIMIZER_FILE));
  const firstMoments = new Map<string, tf.Tensor>();
  const secondMoments = new Map<string, tf.Tensor>();
  for (const [key, tensor] of saved) {
    const [kind, ...rest] = key.split(".");
    const target = kind === "m" ? firstMoments : kind === "v" ? secondMoments : null;
    if (!target) throw new Error(`${join(dir, OPTIMIZER_FILE)}: unexpected tensor "${key}"`);
    target.set(rest.join("."), tf.tensor(tensor.data, tensor.shape, "float32"));
  }
  try {
    optimizer.setState({ step, firstMoments, secondMoments });
  } finally {
    for (const t of [...firstMoments.values(), ...secondMoments.values()]) t.dispose();
  }
}

/** Moments as a state dict: `m.<param>` and `v.<param>`, in the model's own layout. */
async function momentsStateDict(state: AdamWState): Promise<StateDict> {
  const dict: StateDict = new Map();
  for (const [prefix, moments] of [["m", state.firstMoments], ["v", state.secondMoments]] as const) {
    for (const [name, tensor] of moments) {
      dict.set(`${prefix}.${name}`, {
        shape: tensor.shape,
        data: await tensor.data<"float32">(),
        storedAs: "F32",
      });
    }
  }
  return dict;
}
