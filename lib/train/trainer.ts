/**
 * Training a profile, as a story: prepare the run → fit → test the best → write the metrics.
 *
 * Per optimizer step: forward with dropout → the model's loss (token cross-entropy for BERT, the CRF's
 * negative log-likelihood for the word-level model) → gradients → global-norm clipping → AdamW at the
 * scheduled learning rate. The model is a {@link TrainableModel} (lib/model/trainable.ts), built by its model
 * type (lib/model/registry.ts): this file and fit.ts are the same story for every architecture. Per epoch:
 * strict seqeval F1 on dev; the best epoch's model is saved to `best/`, and a checkpoint (model + optimizer +
 * trainer state) to `checkpoint/` (see fit.ts). At the end the best model is loaded back from `best/` and
 * evaluated on test — the first and only time test text is read.
 *
 * Same profile and seed on the same backend → the same losses: data order comes from a seeded RNG whose
 * state is checkpointed, dropout masks from a generator seeded by (seed, step).
 *
 * Progress goes out as events (progress/events.ts): the JSONL log, the terminal bar and `onProgress`
 * subscribe.
 *
 * A run trains on a list of corpora: a profile's one corpus is a list of one; a profile whose `data` lists
 * several (`bc5cdr,bionlp13cg`: lib/train/corpus_list.ts) trains one model with a head per corpus (prepare.ts):
 * dev and test are scored per corpus, and each corpus's model also becomes a run of its own (corpus_views.ts).
 *
 * @module
 */
import { initBackend, slowTrainingWarning } from "../backend/mod.ts";
import { validateLabelSet } from "../bio/labels.ts";
import { parameterCount } from "../model/trainable.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { saveCheckpoint } from "./run/checkpoint.ts";
import { RunClock } from "./progress/clock.ts";
import { scoreCorpora } from "./evaluate.ts";
import { TrainEvents, type TrainProgress } from "./progress/events.ts";
import { fit } from "./fit.ts";
import { keepAveragedModel } from "./average_weights.ts";
import { withLabels } from "./load_split.ts";
import { roundMetric, type RunMetrics } from "./metrics_file.ts";
import { AdamW } from "./optimizer.ts";
import { corpusList, isCorpusList, withCorpusLabels } from "./corpus_list.ts";
import { writeCorpusViews } from "./corpus_views.ts";
import { prepareRun } from "./prepare.ts";
import {
  applyOverrides,
  type LabelledProfile,
  loadProfile,
  type TrainProfile,
  validateProfile,
} from "./profile.ts";
import { startOrResume } from "./run/resume.ts";
import { DEFAULT_OUTPUTS_DIR, type RunLayout, runLayout } from "./run_layout.ts";
import { withRunLock } from "./run/lock.ts";
import { linearWarmupDecay } from "./schedule.ts";
import { terminalProgress } from "./progress/terminal.ts";
import { TrainLog } from "./run/train_log.ts";

export type { TrainProgress } from "./progress/events.ts";

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
  profile: LabelledProfile;
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
  const outputsDir = options.outputsDir ?? DEFAULT_OUTPUTS_DIR;
  const unlabelled = typeof options.profile === "string"
    ? await loadProfile(options.profile, options.overrides)
    : profileWithOverrides(options.profile, options.overrides);
  const profile = await (isCorpusList(unlabelled.data) ? withCorpusLabels : withLabels)(unlabelled);
  // Refused here, before a run folder exists, not after training (a model of only O cannot be loaded back).
  for (const [corpus, labels] of Object.entries(profile.corpusLabels ?? {})) validateLabelSet(labels, corpus);
  validateLabelSet(profile.labels, `data ${profile.data}`);
  const run = options.run ?? profile.name;
  const layout = runLayout(outputsDir, run);
  return await withRunLock(layout.dir, () => trainRun({ options, profile, run, outputsDir, layout }));
}

/** {@link trainProfile} once the run's lock is held. */
async function trainRun(args: {
  options: TrainOptions;
  profile: LabelledProfile;
  run: string;
  outputsDir: string;
  layout: RunLayout;
}): Promise<TrainResult> {
  const { options, profile, run, outputsDir, layout } = args;
  const clock = new RunClock();
  const events = new TrainEvents();
  if (!options.quiet) events.on(terminalProgress(run));
  const { onProgress } = options;
  if (onProgress) events.on((event) => void (event.kind === "progress" && onProgress(event.progress)));
  const log = (text: string) => void events.emit({ kind: "message", text });

  // Prepare the run.
  const backend = await initBackend();
  log(`backend ${backend.name}`);
  const slow = slowTrainingWarning(backend);
  if (slow) console.error(slow); // also under --quiet
  const { modelType, model, dev, test: testSplits, resume } = await prepareRun({
    profile,
    layout,
    outputsDir,
    resume: options.resume,
    log,
    events,
    signal: options.signal,
  });
  using disposer = new DisposableStack();
  disposer.defer(() => model.dispose());
  const optimizer = disposer.adopt(
    new AdamW(model.parameters, { weightDecay: profile.weightDecay }),
    (optimizer) => optimizer.dispose(),
  );
  const stepsPerEpoch = model.stepsPerEpoch?.(profile.batchSize) ??
    Math.ceil(model.trainExamples / profile.batchSize);
  const totalSteps = Math.min(profile.epochs * stepsPerEpoch, profile.maxSteps ?? Infinity);
  const lrAt = linearWarmupDecay({
    learningRate: profile.learningRate,
    warmupSteps: Math.round(profile.warmupRatio * totalSteps),
    totalSteps,
  });
  const state = await startOrResume({ resume, profile, layout, optimizer, totalSteps, log });
  await Deno.mkdir(layout.dir, { recursive: true });
  await writeFileAtomic(layout.profile, JSON.stringify(profile, null, 2) + "\n");
  const trainLog = await TrainLog.open(layout.log, {
    resumeAt: resume ? { bytes: state.logBytes, step: state.globalStep } : undefined,
  });
  events.on(trainLog.listener);

  // Fit.
  const { stopReason, progress } = await fit({
    profile,
    layout,
    model,
    optimizer,
    dev,
    state,
    lrAt,
    clock,
    events,
    signal: options.signal,
    checkpoint: async () => {
      // The log is durable up to the length the checkpoint records, so a resume never finds it shorter.
      await trainLog.sync();
      state.logBytes = trainLog.bytes;
      clock.settle(state);
      await saveCheckpoint({
        dir: layout.checkpoint,
        writeModel: (dir) => model.save(dir),
        optimizer,
        state,
      });
    },
  });

  const averagedEpochs = await keepAveragedModel({ profile, layout, epochsCompleted: state.epoch });
  if (averagedEpochs.length > 0) {
    log(`best/: the mean of the models after epochs ${averagedEpochs.join(", ")}`);
  }

  // Test the best: the model loaded back from its saved folder (which also proves the folder is usable).
  await events.emit({ kind: "progress", progress: progress("test") });
  const best = await modelType.load(layout.best, { profile });
  const test = await scoreCorpora(best, testSplits).finally(() => best.dispose());

  // Write the metrics.
  clock.settle(state);
  const metrics: RunMetrics = {
    run,
    profile: profile.name,
    isSmoke: profile.isSmoke === true,
    backend: backend.name,
    startedAt: state.startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: roundMetric(state.wallSeconds),
    trainSeconds: roundMetric(state.trainSeconds),
    steps: state.globalStep,
    epochsCompleted: state.epoch,
    stopReason,
    trainTokens: state.trainTokens,
    tokensPerSecond: roundMetric(state.trainTokens / Math.max(state.trainSeconds, 1e-9)),
    peakRssBytes: peakRssBytes(),
    parameters: parameterCount(model.parameters),
    trainOn: profile.trainOn ?? "train",
    corpus: profile.data,
    labels: profile.labels,
    ...(profile.corpusLabels ? { corpusLabels: profile.corpusLabels } : {}),
    ...(profile.unifiedTypes ? { unifiedTypes: profile.unifiedTypes } : {}),
    best: state.best!,
    ...(averagedEpochs.length > 0 ? { averagedEpochs } : {}),
    test,
  };
  await writeFileAtomic(layout.metrics, JSON.stringify(metrics, null, 2) + "\n");
  // Each corpus's model (its head, or the one unified model judged in its types) as a run of its own.
  if (profile.corpusLabels) {
    const views = await writeCorpusViews({
      metrics,
      layout,
      outputsDir,
      corpora: await corpusList(profile.data),
    });
    log(`each corpus's model and scores as a run: ${views.join(", ")}`);
  }
  const kept = state.best!;
  const selection = kept.dev
    ? `best dev ${kept.dev.f1.toFixed(4)} at epoch ${kept.epoch}`
    : averagedEpochs.length > 0
    ? `trained on train+dev, the mean of epochs ${averagedEpochs.join(", ")} kept`
    : `trained on train+dev, epoch ${kept.epoch} kept`;
  log(`test strict F1 ${test.f1.toFixed(4)} (${selection}); ${layout.metrics}`);
  return { run, layout, profile, metrics };
}

function profileWithOverrides(profile: TrainProfile, overrides?: Record<string, unknown>): TrainProfile {
  const resolved = applyOverrides(profile, overrides ?? {});
  validateProfile(resolved);
  return resolved;
}

/**
 * Peak resident set size of this process (Linux VmHWM), or undefined where unknown.
 *
 * @example
 * ```ts
 * console.log(peakRssBytes());
 * ```
 */
export function peakRssBytes(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
