/**
 * What a training run tells as it goes. The trainer emits {@link TrainEvent}s and does not print or write
 * progress itself: the run's `train_log.jsonl` (run/train_log.ts), the terminal progress bar
 * (terminal.ts) and a notebook's live display (`onProgress`, live_display.ts) subscribe.
 *
 * @module
 */
import type { EpochLogLine, EvalScores, StepLogLine } from "../metrics_file.ts";

/** Where the run stands (for notebook displays and the terminal bar). */
export interface TrainProgress {
  phase: "train" | "dev" | "test";
  epoch: number;
  epochs: number;
  /** Optimizer steps done / planned. */
  step: number;
  totalSteps: number;
  /** Loss of the latest step, and the current learning rate. */
  loss: number;
  lr: number;
  tokensPerSecond: number;
  elapsedSeconds: number;
  /** Estimated seconds of training left (dev/test evaluation not included). */
  etaSeconds: number;
  /** The latest dev scores, once an epoch has been evaluated. */
  dev?: EvalScores;
}

/** One thing that happened in a run. */
export type TrainEvent =
  /** A line for the person running it (setup, resume, the final score). */
  | { kind: "message"; text: string }
  /**
   * An epoch's training starts, or continues in a resumed run (`epoch` counts from 1), in fine-tuning or in
   * the MLM pretraining before it (pretraining/mlm.ts).
   */
  | { kind: "epoch-start"; stage: "fine-tuning" | "mlm"; epoch: number; epochs: number; batches: number }
  /** After each MLM pretraining step (`batch`: batches of the epoch done). */
  | { kind: "mlm-step"; batch: number; loss: number }
  /** After each optimizer step (`batch`: batches of the epoch done) and before and after each evaluation. */
  | { kind: "progress"; progress: TrainProgress; batch?: number }
  /** Every batch of the epoch (of either stage) is trained (not sent when training stopped midway). */
  | { kind: "epoch-trained"; batches: number; loss: number }
  /** The mean training loss of the latest log interval (a `train_log.jsonl` line). */
  | { kind: "interval"; line: StepLogLine }
  /** An epoch evaluated on dev (a `train_log.jsonl` line); `improved`: its model is the new best. */
  | { kind: "epoch"; line: EpochLogLine; improved: boolean };

/** A subscriber; a returned promise is awaited before the next subscriber hears of the event. */
export type TrainListener = (event: TrainEvent) => void | Promise<void>;

/**
 * The run's subscribers, told of each event in the order they subscribed.
 *
 * @example
 * ```ts
 * const events = new TrainEvents();
 * events.on((event) => {
 *   if (event.kind === "message") console.error(event.text);
 * });
 * await events.emit({ kind: "message", text: "backend cpu" });
 * ```
 */
export class TrainEvents {
  #listeners: TrainListener[] = [];

  /** Adds a subscriber. */
  on(listener: TrainListener): void {
    this.#listeners.push(listener);
  }

  /** Tells every subscriber; synchronous subscribers are told synchronously. */
  async emit(event: TrainEvent): Promise<void> {
    for (const listener of this.#listeners) {
      const done = listener(event);
      if (done) await done;
    }
  }
}
