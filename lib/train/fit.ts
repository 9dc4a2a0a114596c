/**
 * The training loop of one session of a run (a resumed run is a second session):
 *
 *     for each epoch until shouldStop("epoch"):
 *       for each batch until shouldStop("step"): step → log interval → progress → checkpoint every N steps
 *       evaluate on dev → keep the best → log the epoch → checkpoint
 *       (trainOn "train+dev": dev is training data, so no evaluation; every epoch's model is kept as the last,
 *       and those of the epochs the profile averages also in epochs/<n>/: the caller averages them)
 *
 * Everything it has to say goes out as events (progress/events.ts); the checkpoint is the caller's.
 *
 * @module
 */
import { killPoint } from "../util/kill_point.ts";
import { SeededRandom } from "../util/random.ts";
import type { TrainerState } from "./run/checkpoint.ts";
import { type RunClock, stopwatch } from "./progress/clock.ts";
import { scoreCorpora } from "./evaluate.ts";
import type { TrainEvents, TrainProgress } from "./progress/events.ts";
import { type EvalScores, roundMetric, type RunMetrics } from "./metrics_file.ts";
import type { AdamW } from "./optimizer.ts";
import type { TrainProfile } from "./profile.ts";
import { optimizerStep } from "./step.ts";
import { averagedEpochs } from "./average_weights.ts";
import { epochSnapshot, type RunLayout } from "./run_layout.ts";
import type { LabelledCorpus, TrainableModel } from "../model/trainable.ts";

/** Why training stopped. */
export type StopReason = RunMetrics["stopReason"];

/** What {@link fit} trains with. `state` is updated in place. */
export interface FitOptions {
  profile: TrainProfile;
  layout: RunLayout;
  /** The model, with its training data encoded. */
  model: TrainableModel;
  optimizer: AdamW;
  /**
   * Selection data: each corpus's dev split, scored after each epoch (several: each with its own head, their
   * mean selects) — unless the profile trains on train+dev.
   */
  dev: readonly LabelledCorpus[];
  state: TrainerState;
  lrAt: (step: number) => number;
  clock: RunClock;
  events: TrainEvents;
  /** Writes a checkpoint of the model, the optimizer and `state`. */
  checkpoint: () => Promise<void>;
  /** Aborting stops the loop before its next step (as a kill would). */
  signal?: AbortSignal;
}

/** What {@link fit} returns: why it stopped, and where the run stands (for the test phase's progress). */
export interface FitResult {
  stopReason: StopReason;
  progress: (phase: TrainProgress["phase"]) => TrainProgress;
}

/**
 * Trains until the epochs are done or a stop condition hits, evaluating on dev after each epoch (and where
 * training stopped) and saving the best model to `layout.best`.
 *
 * @example
 * ```ts
 * import { RunClock } from "./progress/clock.ts";
 * import { TrainEvents } from "./progress/events.ts";
 * import { AdamW } from "./optimizer.ts";
 * import { prepareRun } from "./prepare.ts";
 * import { withLabels } from "./load_split.ts";
 * import { loadProfile } from "./profile.ts";
 * import { startOrResume } from "./run/resume.ts";
 * import { runLayout } from "./run_layout.ts";
 * const outputsDir = await Deno.makeTempDir();
 * const profile = await withLabels(await loadProfile("smoke", { epochs: 1 }));
 * const layout = runLayout(outputsDir, "smoke");
 * const log = console.error;
 * const { model, dev } = await prepareRun({ profile, layout, outputsDir, log });
 * const optimizer = new AdamW(model.parameters);
 * const state = await startOrResume({ resume: false, profile, layout, optimizer, totalSteps: 10, log });
 * const { stopReason } = await fit({
 *   ...{ profile, layout, model, optimizer, dev, state },
 *   ...{ lrAt: () => 1e-3, clock: new RunClock(), events: new TrainEvents(), checkpoint: async () => {} },
 * });
 * console.log(stopReason, state.globalStep); // epochs 10
 * ```
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { profile, model, state, lrAt, clock, events } = options;
  const selectsOnDev = profile.trainOn !== "train+dev";
  const averaged = averagedEpochs(profile);
  const latest = { loss: NaN, tokensPerSecond: 0, dev: undefined as EvalScores | undefined };

  const progress = (phase: TrainProgress["phase"]): TrainProgress => ({
    phase,
    epoch: Math.min(state.epoch + 1, profile.epochs),
    epochs: profile.epochs,
    step: state.globalStep,
    totalSteps: state.totalSteps,
    loss: latest.loss,
    lr: lrAt(state.globalStep),
    tokensPerSecond: latest.tokensPerSecond,
    elapsedSeconds: clock.runSeconds(state),
    etaSeconds: (state.trainSeconds / Math.max(1, state.globalStep)) * (state.totalSteps - state.globalStep),
    dev: latest.dev,
  });

  /**
   * Why training must stop now, if it must: between epochs (`"epoch"`) or before a step (`"step"`).
   * Patience and the epoch count are checked before an epoch, not after it: a run resumed from the
   * checkpoint of the epoch that ran out of patience stops too. At max-steps a run stops between epochs only
   * once every step is evaluated: one resumed from a checkpoint at its last step, before that epoch's
   * evaluation, goes on to evaluate it.
   */
  const shouldStop = (at: "epoch" | "step"): StopReason | undefined => {
    const patience = profile.earlyStoppingPatience;
    if (at === "epoch") {
      if (patience !== null && state.epochsWithoutImprovement >= patience) return "early-stopping";
      if (state.epoch >= profile.epochs) return "epochs";
      if (state.globalStep >= state.totalSteps && state.epochLoss.steps === 0) return "max-steps";
      return undefined;
    }
    if (state.globalStep >= state.totalSteps) return "max-steps";
    if (clock.overBudget(state, profile.timeBudgetMinutes)) return "time-budget";
    return undefined;
  };

  /** Emits the mean loss of the steps since the last interval line, and starts a new interval. */
  const logInterval = async () => {
    const interval = state.intervalLoss;
    if (interval.steps === 0) return;
    await events.emit({
      kind: "interval",
      line: {
        kind: "step",
        step: state.globalStep,
        epoch: state.epoch + 1,
        loss: interval.sum / interval.steps,
        lr: lrAt(state.globalStep),
        tokensPerSecond: roundMetric(interval.tokens / Math.max(interval.seconds, 1e-9)),
      },
    });
    state.intervalLoss = { sum: 0, steps: 0, tokens: 0, seconds: 0 };
  };

  for (;;) {
    const finished = shouldStop("epoch");
    if (finished) return { stopReason: finished, progress };
    const rng = new SeededRandom(state.epochRngState);
    const batches = model.epochBatches({ batchSize: profile.batchSize, seed: rng.nextInt(2 ** 31) });
    await events.emit({
      kind: "epoch-start",
      stage: "fine-tuning",
      epoch: state.epoch + 1,
      epochs: profile.epochs,
      batches: batches.length,
    });
    const epochSeconds = stopwatch(state.epochSeconds);
    let stopped: StopReason | undefined;
    while (state.stepInEpoch < batches.length && !(stopped = shouldStop("step"))) {
      options.signal?.throwIfAborted();
      const stepSeconds = stopwatch();
      const batch = batches[state.stepInEpoch];
      const dropoutSeed = profile.seed * 1_000_003 + state.globalStep;
      const { loss } = await optimizerStep({
        parameters: model.batchParameters?.(batch) ?? model.parameters,
        optimizer: options.optimizer,
        loss: () => model.loss(batch, { dropoutSeed }),
        learningRate: lrAt(state.globalStep),
        maxGradNorm: profile.maxGradNorm,
      });
      const tokens = model.batchTokens(batch);
      const seconds = stepSeconds();
      countStep(state, { loss, tokens, seconds });
      latest.loss = loss;
      latest.tokensPerSecond = tokens / seconds;
      killPoint("train-step");
      state.stepInEpoch++;
      state.epochSeconds = epochSeconds();
      if (state.globalStep % profile.logEverySteps === 0) await logInterval();
      await events.emit({ kind: "progress", progress: progress("train"), batch: state.stepInEpoch });
      if (profile.checkpointEverySteps && state.globalStep % profile.checkpointEverySteps === 0) {
        await options.checkpoint();
      }
    }
    if (!stopped) await events.emit({ kind: "epoch-trained", batches: batches.length, loss: latest.loss });

    // Evaluate on dev at the end of the epoch (or where training stopped) — unless nothing was trained since
    // the last evaluation (and there was one).
    if (state.epochLoss.steps > 0 || state.best === null) {
      await events.emit({ kind: "progress", progress: progress("dev") });
      const evalSeconds = stopwatch();
      const dev = selectsOnDev ? await scoreCorpora(model, options.dev) : null;
      killPoint("evaluate");
      latest.dev = dev ?? undefined;
      // Keep the best (on dev), or the last (trained on dev: nothing to select on).
      const improved = dev === null || state.best?.dev == null || dev.f1 > state.best.dev.f1;
      if (improved) {
        state.best = { epoch: state.epoch + 1, step: state.globalStep, dev };
        state.epochsWithoutImprovement = 0;
        await model.save(options.layout.best);
      } else state.epochsWithoutImprovement++;
      // An epoch whose model is averaged into the kept one (train+dev only) is kept on its own too.
      const epochDone = state.stepInEpoch >= batches.length;
      if (epochDone && averaged.includes(state.epoch + 1)) {
        await model.save(epochSnapshot(options.layout, state.epoch + 1));
      }
      await logInterval();
      const line = {
        kind: "epoch" as const,
        epoch: state.epoch + 1,
        step: state.globalStep,
        loss: state.epochLoss.sum / Math.max(1, state.epochLoss.steps),
        dev,
        seconds: roundMetric(state.epochSeconds + evalSeconds()),
      };
      await events.emit({ kind: "epoch", line, improved });
      await events.emit({ kind: "progress", progress: progress("dev") });
      // An epoch cut short by a stop is not done: a resumed run would continue it.
      if (epochDone) {
        state.epoch++;
        state.stepInEpoch = 0;
        state.epochRngState = rng.state;
      }
      state.epochLoss = { sum: 0, steps: 0 };
      state.epochSeconds = 0;
      await options.checkpoint();
    }
    if (stopped) return { stopReason: stopped, progress };
  }
}

/** Adds a step to the state's counters: steps, tokens, seconds, and the epoch's and interval's loss sums. */
function countStep(state: TrainerState, step: { loss: number; tokens: number; seconds: number }): void {
  const { loss, tokens, seconds } = step;
  state.globalStep++;
  state.trainTokens += tokens;
  state.trainSeconds += seconds;
  state.epochLoss.sum += loss;
  state.epochLoss.steps++;
  const interval = state.intervalLoss;
  interval.sum += loss;
  interval.steps++;
  interval.tokens += tokens;
  interval.seconds += seconds;
}
