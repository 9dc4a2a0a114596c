/**
 * The training loop: a profile in, a trained model folder, a log and a test report out.
 *
 * Per optimizer step: forward with dropout → token cross-entropy → gradients → global-norm clipping →
 * AdamW at the scheduled learning rate. Per epoch: strict seqeval F1 on dev; the best epoch's model is saved
 * to `best/`, and a checkpoint (model + optimizer + trainer state) to `checkpoint/`. At the end the best
 * model is loaded back from `best/` and evaluated on test — the first and only time test text is read.
 *
 * Same profile and seed on the same backend → the same losses: data order comes from a seeded RNG whose
 * state is checkpointed, dropout masks from a generator seeded by (seed, step).
 *
 * @module
 */
import { join } from "node:path";
import { initBackend } from "../backend/mod.ts";
import type { Sentence } from "../bio/types.ts";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import { type BertTokenizer, makeBatches, type WindowBatch } from "../tokenizer/mod.ts";
import { recoverDirAtomic, writeFileAtomic } from "../util/atomic.ts";
import { killPoint } from "../util/kill_point.ts";
import { ProgressBar } from "../util/progress.ts";
import { readTrainerState, restoreOptimizer, saveCheckpoint, type TrainerState } from "./checkpoint.ts";
import { checkSentences, type EncodedSplit, encodeSentences, splitPath } from "./data.ts";
import { evaluateSentences } from "./evaluate.ts";
import { loadSplit } from "./load_split.ts";
import type { EpochLogLine, EvalScores, RunMetrics } from "./metrics_file.ts";
import { loadModelFolder, loadPretrained, resolveVocab, saveModelFolder } from "./model_io.ts";
import { AdamW } from "./optimizer.ts";
import { applyOverrides, loadProfile, type TrainProfile, validateProfile } from "./profile.ts";
import { SeededRandom } from "../util/random.ts";
import { DEFAULT_OUTPUTS_DIR, type RunLayout, runLayout } from "./run_layout.ts";
import { pretrainEncoder } from "./mlm.ts";
import { withRunLock } from "./run_lock.ts";
import { formatSeconds } from "./live_display.ts";
import { linearWarmupDecay } from "./schedule.ts";
import { trainStep } from "./step.ts";
import { TrainLog } from "./train_log.ts";

/** What the trainer reports as it goes (for notebook displays; the terminal gets a progress bar). */
export interface TrainProgress {
  phase: "train" | "dev" | "test";
  epoch: number;
  epochs: number;
  /** Optimizer steps done / planned. */
  step: number;
  totalSteps: number;
  /** Mean loss of the latest log interval, and the current learning rate. */
  loss: number;
  lr: number;
  tokensPerSecond: number;
  elapsedSeconds: number;
  /** Estimated seconds of training left (dev/test evaluation not included). */
  etaSeconds: number;
  /** The latest dev scores, once an epoch has been evaluated. */
  dev?: EvalScores;
}

/** Options of {@link trainProfile}. */
export interface TrainOptions {
  /** A profile name (lib/train/profiles/), a path to a profile .json, or a profile object. */
  profile: string | TrainProfile;
  /** Dotted-key overrides of profile values, e.g. `{ epochs: 1, "model.source": "/models/biobert" }`. */
  overrides?: Record<string, unknown>;
  /** Run name (folder under outputsDir). Default: the profile's name. */
  run?: string;
  /** Default: the project's outputs/. */
  outputsDir?: string;
  /**
   * Continue from the run's last complete checkpoint instead of starting afresh. `true`: a checkpoint made
   * with other profile values is an error; `"if-compatible"` (notebooks): then the run starts afresh.
   * Without a checkpoint, both start afresh.
   */
  resume?: boolean | "if-compatible";
  /** No terminal progress bar (logs still go to train_log.jsonl). */
  quiet?: boolean;
  /** Called after every optimizer step and evaluation. */
  onProgress?: (progress: TrainProgress) => void;
  /** Aborting stops the run at once (as a kill would): nothing more is written. */
  signal?: AbortSignal;
}

/** What {@link trainProfile} returns. */
export interface TrainResult {
  run: string;
  layout: RunLayout;
  profile: TrainProfile;
  metrics: RunMetrics;
}

/**
 * Trains a profile end to end: validates everything first (profile, labels, splits), trains with per-epoch
 * dev evaluation and checkpoints, evaluates the best model on test, and writes `metrics.json`.
 *
 * @example
 * ```ts
 * const { metrics, layout } = await trainProfile({ profile: "smoke" });
 * console.log(metrics.test.f1, layout.best);
 * ```
 */
export async function trainProfile(options: TrainOptions): Promise<TrainResult> {
  const profile = typeof options.profile === "string"
    ? await loadProfile(options.profile, options.overrides)
    : profileWithOverrides(options.profile, options.overrides);
  const run = options.run ?? profile.name;
  const outputsDir = options.outputsDir ?? DEFAULT_OUTPUTS_DIR;
  const layout = runLayout(outputsDir, run);
  return await withRunLock(layout.dir, () => trainLocked({ options, profile, run, outputsDir, layout }));
}

/** {@link trainProfile} once the run's lock is held. */
async function trainLocked(args: {
  options: TrainOptions;
  profile: TrainProfile;
  run: string;
  outputsDir: string;
  layout: RunLayout;
}): Promise<TrainResult> {
  const { options, profile, run, outputsDir, layout } = args;
  const log = (message: string) => options.quiet || console.error(`[train ${run}] ${message}`);
  const sessionStart = performance.now();

  const backend = await initBackend();
  log(`backend ${backend.name}`);

  // Everything that can be wrong with the input is checked before the first step.
  const labels = profile.labels;
  const label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
  const pretrained = profile.model.init === "pretrained"
    ? await loadPretrained(profile.model.source, {
      labels,
      vocab: profile.vocab,
      seed: profile.seed,
      overrides: {
        hidden_dropout_prob: profile.model.hidden_dropout_prob,
        attention_probs_dropout_prob: profile.model.attention_probs_dropout_prob,
      },
      log,
    })
    : undefined;
  const tokenizer = pretrained?.tokenizer ?? await resolveVocab(profile.vocab!, log);
  let model = pretrained?.model;
  try {
    const splits = {} as Record<"train" | "dev", Sentence[]>;
    for (const split of ["train", "dev"] as const) {
      const { sentences, source } = await loadSplit(profile.data, split, { outputsDir, log });
      checkSentences(sentences, { split, labels, source });
      splits[split] = sentences;
    }
    // The test split is only read at the very end; that it exists is checked now.
    const testPath = splitPath(profile.data, "test", outputsDir);
    if (profile.data !== "bc5cdr" && !await Deno.stat(testPath).then((s) => s.isFile, () => false)) {
      throw new Error(`no test split: ${testPath} does not exist`);
    }
    const encodeOptions = { label2id, maxLength: profile.maxLength, stride: profile.stride };
    // (A model from scratch was checked with the profile.)
    const positions = pretrained?.model.config.max_position_embeddings;
    if (positions !== undefined && profile.maxLength > positions) {
      throw new Error(
        `maxLength ${profile.maxLength} exceeds the model's max_position_embeddings ${positions}; ` +
          `set maxLength to at most ${positions}`,
      );
    }
    const train = encodeSentences(tokenizer, splits.train, encodeOptions);
    // Finish or undo folder writes a killed session left, and remove its half-built leftovers.
    for (const dir of [layout.best, layout.checkpoint, layout.pretrained]) await recoverDirAtomic(dir);
    const resume = await resumable({ resume: options.resume, profile, layout, log });
    // A fresh run leaves nothing of an earlier run under the same name (a model of it could be mistaken for ours).
    if (!resume) {
      for (const path of [layout.metrics, layout.best, layout.checkpoint, layout.pretrained]) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
      }
    }
    model ??= await scratchModel({ profile, tokenizer, train, layout, resume, log, options });
    log(
      `train: ${splits.train.length} sentences → ${train.windows.length} windows, ${train.tokens} tokens; ` +
        `dev: ${splits.dev.length} sentences; model ${parameterCount(model)} parameters`,
    );

    const stepsPerEpoch = Math.ceil(train.windows.length / profile.batchSize);
    const totalSteps = Math.min(profile.epochs * stepsPerEpoch, profile.maxSteps ?? Infinity);
    const lrAt = linearWarmupDecay({
      learningRate: profile.learningRate,
      warmupSteps: Math.round(profile.warmupRatio * totalSteps),
      totalSteps,
    });
    const optimizer = new AdamW(model.parameters, { weightDecay: profile.weightDecay });
    try {
      const state = await startOrResume({ resume, profile, layout, model, optimizer, totalSteps, log });
      await Deno.mkdir(layout.dir, { recursive: true });
      await writeFileAtomic(layout.profile, JSON.stringify(profile, null, 2) + "\n");
      const trainLog = await TrainLog.open(layout.log, {
        resumeAt: resume ? { bytes: state.logBytes, step: state.globalStep } : undefined,
      });
      const loop = new TrainingLoop({
        run,
        profile,
        layout,
        model,
        tokenizer,
        optimizer,
        train,
        dev: splits.dev,
        state,
        lrAt,
        stepsPerEpoch,
        trainLog,
        options,
        sessionStart,
      });
      const stopReason = await loop.run();

      // Test: the best model, loaded back from its saved folder (which also proves the folder is usable).
      const testSentences = await loadSplit(profile.data, "test", { outputsDir, log });
      checkSentences(testSentences.sentences, { split: "test", labels, source: testSentences.source });
      options.onProgress?.(loop.progress("test"));
      const best = await loadModelFolder(layout.best);
      let test: EvalScores;
      try {
        test = await evaluateSentences({
          model: best.model,
          tokenizer: best.tokenizer,
          sentences: testSentences.sentences,
          maxLength: profile.maxLength,
          stride: profile.stride,
          batchSize: profile.evalBatchSize,
        });
      } finally {
        best.model.dispose();
      }
      state.wallSeconds += (performance.now() - sessionStart) / 1000 - loop.sessionWallCounted;
      const metrics: RunMetrics = {
        run,
        profile: profile.name,
        isSmoke: profile.isSmoke === true,
        backend: backend.name,
        startedAt: state.startedAt,
        finishedAt: new Date().toISOString(),
        wallSeconds: round(state.wallSeconds),
        trainSeconds: round(state.trainSeconds),
        steps: state.globalStep,
        epochsCompleted: state.epoch,
        stopReason,
        trainTokens: state.trainTokens,
        tokensPerSecond: round(state.trainTokens / Math.max(state.trainSeconds, 1e-9)),
        peakRssBytes: peakRssBytes(),
        parameters: parameterCount(model),
        best: state.best!,
        test,
      };
      await writeFileAtomic(layout.metrics, JSON.stringify(metrics, null, 2) + "\n");
      log(
        `test strict F1 ${test.f1.toFixed(4)} (best dev ${state.best!.dev.f1.toFixed(4)} at epoch ` +
          `${state.best!.epoch}); ${layout.metrics}`,
      );
      return { run, layout, profile, metrics };
    } finally {
      optimizer.dispose();
    }
  } finally {
    model?.dispose();
  }
}

function profileWithOverrides(profile: TrainProfile, overrides?: Record<string, unknown>): TrainProfile {
  const resolved = applyOverrides(profile, overrides ?? {});
  validateProfile(resolved);
  return resolved;
}

/**
 * A token classifier trained from scratch: randomly initialised, or — with a `pretraining` section — with an
 * encoder first pretrained by MLM on the training text. The pretrained starting point is saved to
 * `outputs/<run>/pretrained/` so that a resumed run does not pretrain again.
 */
async function scratchModel(args: {
  profile: TrainProfile;
  tokenizer: BertTokenizer;
  train: EncodedSplit;
  layout: RunLayout;
  resume?: boolean;
  log: (message: string) => void;
  options: TrainOptions;
}): Promise<BertForTokenClassification> {
  const { profile, tokenizer, train, layout, log } = args;
  if (profile.model.init !== "scratch") throw new Error("scratchModel: the profile's model is pretrained");
  const config = makeBertConfig(
    { ...profile.model.config, vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.specialIds.pad },
    { labels: profile.labels, source: `profile ${profile.name}` },
  );
  const mlm = profile.pretraining;
  if (!mlm) return BertForTokenClassification.create(config, { seed: profile.seed });
  if (args.resume && await Deno.stat(join(layout.pretrained, "config.json")).then(() => true, () => false)) {
    log(`MLM pretraining: reusing ${layout.pretrained}`);
    return (await loadModelFolder(layout.pretrained)).model;
  }
  log(`MLM pretraining: ${mlm.epochs} epochs over the training text, top ${mlm.topTokens} WordPieces`);
  const values = await pretrainEncoder({
    sizes: profile.model.config,
    tokenizer,
    windows: train.windows,
    mlm,
    seed: profile.seed,
    maxGradNorm: profile.maxGradNorm,
    weightDecay: profile.weightDecay,
    quiet: args.options.quiet,
    signal: args.options.signal,
  });
  try {
    const model = BertForTokenClassification.create(config, { seed: profile.seed, values });
    await saveModelFolder(model, tokenizer, layout.pretrained);
    return model;
  } finally {
    for (const tensor of values.values()) tensor.dispose();
  }
}

/**
 * Whether the run continues from its checkpoint: asked to, a complete checkpoint exists, and it was made with
 * the same profile values (`resume: true` makes a mismatch an error; `"if-compatible"` starts afresh).
 */
async function resumable(args: {
  resume: TrainOptions["resume"];
  profile: TrainProfile;
  layout: RunLayout;
  log: (message: string) => void;
}): Promise<boolean> {
  const { resume, profile, layout, log } = args;
  if (!resume) return false;
  if (!await readTrainerState(layout.checkpoint)) {
    log(`resume: no complete checkpoint in ${layout.checkpoint}; starting afresh`);
    return false;
  }
  const saved = await Deno.readTextFile(layout.profile).then(
    (t) => JSON.parse(t) as TrainProfile,
    () => null,
  );
  // Descriptions and comments may change; every value that shapes training must not.
  const values = ({ description: _d, comments: _c, ...rest }: TrainProfile) => JSON.stringify(rest);
  if (saved && values(saved) === values(profile)) return true;
  const message = `the checkpoint in ${layout.checkpoint} was made with other profile values than ` +
    `${profile.name}'s now (see ${layout.profile})`;
  if (resume === true) throw new Error(`--resume: ${message}. Use another --run name, or drop --resume.`);
  log(`${message}: starting afresh`);
  return false;
}

/** A fresh trainer state, or the one of the run's last checkpoint (model and optimizer restored too). */
async function startOrResume(args: {
  resume: boolean;
  profile: TrainProfile;
  layout: RunLayout;
  model: BertForTokenClassification;
  optimizer: AdamW;
  totalSteps: number;
  log: (message: string) => void;
}): Promise<TrainerState> {
  const { resume, profile, layout, model, optimizer, totalSteps, log } = args;
  const fresh: TrainerState = {
    profile: profile.name,
    epoch: 0,
    stepInEpoch: 0,
    globalStep: 0,
    totalSteps,
    epochRngState: new SeededRandom(profile.seed).state,
    best: null,
    epochsWithoutImprovement: 0,
    epochLoss: { sum: 0, steps: 0 },
    intervalLoss: { sum: 0, steps: 0, tokens: 0, seconds: 0 },
    trainTokens: 0,
    trainSeconds: 0,
    wallSeconds: 0,
    epochSeconds: 0,
    startedAt: new Date().toISOString(),
  };
  if (!resume) return fresh;
  const saved = (await readTrainerState(layout.checkpoint))!;
  const { model: restored } = await loadModelFolder(layout.checkpoint);
  try {
    for (const [name, variable] of model.parameters) variable.assign(restored.parameters.get(name)!);
  } finally {
    restored.dispose();
  }
  await restoreOptimizer(layout.checkpoint, optimizer, saved.optimizerStep);
  log(`resumed from ${layout.checkpoint}: epoch ${saved.epoch + 1}, step ${saved.globalStep}/${totalSteps}`);
  const { optimizerStep: _, ...state } = saved;
  return state;
}

type StopReason = RunMetrics["stopReason"];

interface LoopParts {
  run: string;
  profile: TrainProfile;
  layout: RunLayout;
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
  optimizer: AdamW;
  train: EncodedSplit;
  dev: Sentence[];
  state: TrainerState;
  lrAt: (step: number) => number;
  stepsPerEpoch: number;
  trainLog: TrainLog;
  options: TrainOptions;
  sessionStart: number;
}

/** The epoch/step loop over one session of a run (a resumed run is a second session). */
class TrainingLoop {
  #p: LoopParts;
  #lastLoss = NaN;
  #lastTokensPerSecond = 0;
  #lastDev: EvalScores | undefined;
  /** Session wall seconds already added to `state.wallSeconds`. */
  sessionWallCounted = 0;

  constructor(parts: LoopParts) {
    this.#p = parts;
  }

  /** Runs until all epochs are done or a stop condition hits; returns why it stopped. */
  async run(): Promise<StopReason> {
    const { profile, state } = this.#p;
    let stopReason: StopReason = "epochs";
    const patience = profile.earlyStoppingPatience;
    for (;;) {
      // Checked before the epoch, not after it: a run resumed from the checkpoint of the epoch that ran out
      // of patience must stop too.
      if (patience !== null && state.epochsWithoutImprovement >= patience) {
        stopReason = "early-stopping";
        break;
      }
      if (state.epoch >= profile.epochs) break;
      // At max-steps with every step evaluated: done. A run resumed from a checkpoint at its last step, before
      // that epoch's evaluation, goes on: #trainEpoch stops at once and #endEpoch evaluates.
      if (state.globalStep >= state.totalSteps && state.epochLoss.steps === 0) {
        stopReason = "max-steps";
        break;
      }
      const rng = new SeededRandom(state.epochRngState);
      const batches = makeBatches(this.#p.train.windows, {
        batchSize: profile.batchSize,
        bucketByLength: true,
        shuffleSeed: rng.nextInt(2 ** 31),
        padId: this.#p.tokenizer.specialIds.pad,
      });
      const stopped = await this.#trainEpoch(batches);
      if (stopped) stopReason = stopped;
      await this.#endEpoch(rng.state, state.stepInEpoch < batches.length);
      if (stopped) break;
    }
    return stopReason;
  }

  /** Current progress as reported to `onProgress`. */
  progress(phase: TrainProgress["phase"]): TrainProgress {
    const { state, profile } = this.#p;
    const secondsPerStep = state.trainSeconds / Math.max(1, state.globalStep);
    return {
      phase,
      epoch: Math.min(state.epoch + 1, profile.epochs),
      epochs: profile.epochs,
      step: state.globalStep,
      totalSteps: state.totalSteps,
      loss: this.#lastLoss,
      lr: this.#p.lrAt(state.globalStep),
      tokensPerSecond: this.#lastTokensPerSecond,
      elapsedSeconds: state.wallSeconds + this.#sessionSeconds() - this.sessionWallCounted,
      etaSeconds: secondsPerStep * (state.totalSteps - state.globalStep),
      dev: this.#lastDev,
    };
  }

  #sessionSeconds(): number {
    return (performance.now() - this.#p.sessionStart) / 1000;
  }

  /** Trains the rest of the current epoch; returns a stop reason when it had to stop early. */
  async #trainEpoch(batches: WindowBatch[]): Promise<StopReason | undefined> {
    const { profile, state, options } = this.#p;
    const bar = options.quiet ? undefined : new ProgressBar({
      total: batches.length,
      label: `epoch ${state.epoch + 1}/${profile.epochs}`,
      unit: "step",
    });
    const epochStart = performance.now() - state.epochSeconds * 1000;
    for (let index = state.stepInEpoch; index < batches.length; index++) {
      if (state.globalStep >= state.totalSteps) return "max-steps";
      if (this.#overTimeBudget()) return "time-budget";
      options.signal?.throwIfAborted();
      await this.#step(batches[index]);
      killPoint("train-step");
      state.stepInEpoch = index + 1;
      state.epochSeconds = (performance.now() - epochStart) / 1000;
      if (state.globalStep % profile.logEverySteps === 0) await this.#logInterval();
      bar?.update(index + 1, {
        loss: this.#lastLoss.toFixed(4),
        lr: this.#p.lrAt(state.globalStep).toExponential(2),
        "tok/s": Math.round(this.#lastTokensPerSecond),
        "run eta": formatSeconds(this.progress("train").etaSeconds),
      });
      options.onProgress?.(this.progress("train"));
      if (profile.checkpointEverySteps && state.globalStep % profile.checkpointEverySteps === 0) {
        await this.#checkpoint();
      }
    }
    bar?.finish(batches.length, { loss: this.#lastLoss.toFixed(4) });
    return undefined;
  }

  #overTimeBudget(): boolean {
    const budget = this.#p.profile.timeBudgetMinutes;
    if (budget === null) return false;
    return this.#p.state.wallSeconds + this.#sessionSeconds() - this.sessionWallCounted >= budget * 60;
  }

  /** One optimizer step on `batch`, with the bookkeeping. */
  async #step(batch: WindowBatch): Promise<void> {
    const { profile, model, optimizer, state } = this.#p;
    const started = performance.now();
    const { loss, tokens } = await trainStep({
      model,
      optimizer,
      batch,
      learningRate: this.#p.lrAt(state.globalStep),
      maxGradNorm: profile.maxGradNorm,
      dropoutSeed: profile.seed * 1_000_003 + state.globalStep,
    });
    const seconds = (performance.now() - started) / 1000;
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
    this.#lastLoss = loss;
    this.#lastTokensPerSecond = tokens / seconds;
  }

  async #logInterval(): Promise<void> {
    const { state, trainLog } = this.#p;
    const interval = state.intervalLoss;
    if (interval.steps === 0) return;
    await trainLog.append({
      kind: "step",
      step: state.globalStep,
      epoch: state.epoch + 1,
      loss: interval.sum / interval.steps,
      lr: this.#p.lrAt(state.globalStep),
      tokensPerSecond: round(interval.tokens / Math.max(interval.seconds, 1e-9)),
    });
    state.intervalLoss = { sum: 0, steps: 0, tokens: 0, seconds: 0 };
  }

  /**
   * Dev evaluation at the end of an epoch (or where training stopped), best-model bookkeeping, the log line
   * and the checkpoint.
   */
  async #endEpoch(nextRngState: number, partial: boolean): Promise<void> {
    const { profile, state, layout, options } = this.#p;
    // Nothing trained since the last evaluation: nothing to evaluate (unless nothing was ever evaluated).
    if (state.epochLoss.steps === 0 && state.best !== null) return;
    options.onProgress?.(this.progress("dev"));
    const evalStart = performance.now();
    const dev = await evaluateSentences({
      model: this.#p.model,
      tokenizer: this.#p.tokenizer,
      sentences: this.#p.dev,
      maxLength: profile.maxLength,
      stride: profile.stride,
      batchSize: profile.evalBatchSize,
    });
    killPoint("evaluate");
    this.#lastDev = dev;
    const epochNumber = state.epoch + 1;
    const improved = state.best === null || dev.f1 > state.best.dev.f1;
    if (improved) {
      state.best = { epoch: epochNumber, step: state.globalStep, dev };
      state.epochsWithoutImprovement = 0;
      await saveModelFolder(this.#p.model, this.#p.tokenizer, layout.best);
    } else state.epochsWithoutImprovement++;
    await this.#logInterval();
    const seconds = state.epochSeconds + (performance.now() - evalStart) / 1000;
    const line: EpochLogLine = {
      kind: "epoch",
      epoch: epochNumber,
      step: state.globalStep,
      loss: state.epochLoss.sum / Math.max(1, state.epochLoss.steps),
      dev,
      seconds: round(seconds),
    };
    await this.#p.trainLog.append(line);
    if (!options.quiet) {
      console.error(
        `[train ${this.#p.run}] epoch ${epochNumber}: loss ${line.loss.toFixed(4)}, dev strict F1 ` +
          `${dev.f1.toFixed(4)}${improved ? " (best so far, saved)" : ""}`,
      );
    }
    options.onProgress?.(this.progress("dev"));
    if (!partial) {
      state.epoch++;
      state.stepInEpoch = 0;
      state.epochRngState = nextRngState;
    }
    state.epochLoss = { sum: 0, steps: 0 };
    state.epochSeconds = 0;
    await this.#checkpoint();
  }

  async #checkpoint(): Promise<void> {
    const { state, layout, model, tokenizer, optimizer, trainLog } = this.#p;
    // The log is durable up to the length the checkpoint records, so a resume never finds it shorter.
    await trainLog.sync();
    state.logBytes = trainLog.bytes;
    const now = this.#sessionSeconds();
    state.wallSeconds += now - this.sessionWallCounted;
    this.sessionWallCounted = now;
    await saveCheckpoint({
      dir: layout.checkpoint,
      writeModel: (dir) => saveModelFolder(model, tokenizer, dir),
      optimizer,
      state,
    });
  }
}

function parameterCount(model: BertForTokenClassification): number {
  let total = 0;
  for (const variable of model.parameters.values()) total += variable.size;
  return total;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Peak resident set size of this process (Linux VmHWM), or undefined where unknown. */
export function peakRssBytes(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
