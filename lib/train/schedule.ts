/**
 * Learning-rate schedule: linear warmup from 0, then linear decay to 0 (Hugging Face's
 * `get_linear_schedule_with_warmup`, the schedule BERT and BioBERT were fine-tuned with).
 *
 * @module
 */

/** Options of {@link linearWarmupDecay}. */
export interface LinearScheduleOptions {
  /** Peak learning rate, reached at the end of warmup. */
  learningRate: number;
  /** Optimizer steps of warmup. */
  warmupSteps: number;
  /** Optimizer steps of the whole run. */
  totalSteps: number;
}

/**
 * The learning rate for optimizer step `step` (0-based, the number of steps already taken).
 *
 * @example
 * ```ts
 * const lrAt = linearWarmupDecay({ learningRate: 5e-4, warmupSteps: 10, totalSteps: 100 });
 * lrAt(5); // 2.5e-4
 * lrAt(55); // 2.5e-4
 * ```
 */
export function linearWarmupDecay(options: LinearScheduleOptions): (step: number) => number {
  const { learningRate, warmupSteps, totalSteps } = options;
  if (!(totalSteps > 0)) throw new Error(`schedule: totalSteps must be > 0, got ${totalSteps}`);
  if (!(warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw new Error(`schedule: warmupSteps must be in [0, ${totalSteps}], got ${warmupSteps}`);
  }
  return (step) => {
    if (step < warmupSteps) return learningRate * step / Math.max(1, warmupSteps);
    return learningRate * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
}
