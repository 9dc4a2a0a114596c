/**
 * Whether a run continues from its checkpoint, and the trainer state it continues with (or a fresh one).
 *
 * @module
 */
import { SeededRandom } from "../../util/random.ts";
import { readTrainerState, restoreOptimizer, type TrainerState } from "./checkpoint.ts";
import type { AdamW } from "../optimizer.ts";
import { resolveProjectPath, type TrainProfile } from "../profile.ts";
import type { RunLayout } from "../run_layout.ts";

/**
 * A run started without saying whether to resume found an earlier session's work in its folder (a
 * checkpoint, a best model): starting afresh would delete it, so neither is done.
 */
export class RunExistsError extends Error {
  constructor(readonly dir: string, readonly found: string) {
    super(
      `${dir} holds ${found} of an earlier session: resume it (--resume; resume: true), or delete it and ` +
        `start over (--fresh; resume: false)`,
    );
    this.name = "RunExistsError";
  }
}

/**
 * The run folder holds work of a run on other data (its profile.json's `data`: another corpus, e.g. a folder
 * of the same name elsewhere): neither resuming it nor a fresh start (which would delete it) is this run.
 */
export class RunOnOtherDataError extends Error {
  constructor(readonly dir: string, readonly found: string, readonly data: string, readonly wanted: string) {
    super(
      `${dir} holds ${found} of a run on ${data}, not on ${wanted}: give this run its own name ` +
        `(--run NAME), or remove ${dir} to reuse its name`,
    );
    this.name = "RunOnOtherDataError";
  }
}

/** What of an earlier session a fresh start would delete, in words; undefined when nothing. */
async function earlierWork(layout: RunLayout): Promise<string | undefined> {
  const state = await readTrainerState(layout.checkpoint);
  const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
  const found = [
    state ? `a checkpoint (step ${state.globalStep})` : undefined,
    await exists(layout.best) ? "a best model" : undefined,
    await exists(layout.metrics) ? "final metrics" : undefined,
  ].filter((what) => what !== undefined);
  return found.length > 0 ? found.join(", ") : undefined;
}

/**
 * Whether the run continues from its checkpoint: asked to, a complete checkpoint exists, and it was made with
 * the same profile values (`resume: true` makes a mismatch an error; `"if-compatible"` starts afresh).
 * `resume: false` starts afresh, deleting what an earlier session left; `undefined` (not said) starts afresh
 * only in a folder without a checkpoint or a best model, and otherwise throws a {@link RunExistsError}: a
 * re-run of the training command after a crash must never throw the checkpoint away silently. Whatever
 * `resume` says, a folder holding the work of a run on other data (profile.json's `data`) is refused with a
 * {@link RunOnOtherDataError}.
 *
 * @example
 * ```ts
 * import { loadProfile } from "../profile.ts";
 * import { runLayout } from "../run_layout.ts";
 * const profile = await loadProfile("smoke");
 * const layout = runLayout(await Deno.makeTempDir(), "smoke");
 * await resumable({ resume: true, profile, layout, log: console.error }); // false: no checkpoint yet
 * ```
 */
export async function resumable(args: {
  resume: boolean | "if-compatible" | undefined;
  profile: TrainProfile;
  layout: RunLayout;
  log: (message: string) => void;
}): Promise<boolean> {
  const { resume, profile, layout, log } = args;
  const found = await earlierWork(layout);
  if (found) {
    // Unreadable or damaged: not known to be other data (the checks below say what they find).
    const data = await Deno.readTextFile(layout.profile).then((text) => {
      try {
        return JSON.parse(text)?.data;
      } catch {
        return undefined;
      }
    }, () => undefined);
    if (typeof data === "string" && resolveProjectPath(data) !== resolveProjectPath(profile.data)) {
      throw new RunOnOtherDataError(layout.dir, found, data, profile.data);
    }
  }
  if (resume === undefined) {
    if (found) throw new RunExistsError(layout.dir, found);
    return false;
  }
  if (!resume) return false;
  if (!await readTrainerState(layout.checkpoint)) {
    log(`resume: no complete checkpoint in ${layout.checkpoint}; starting afresh`);
    return false;
  }
  const saved = await Deno.readTextFile(layout.profile).then(
    (t) => JSON.parse(t) as TrainProfile,
    (error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw new Error(`${layout.profile}: ${error.message}`);
      // Without it the checkpoint's values cannot be compared: neither "other values" nor a guess.
      const missing = `${layout.profile} is missing, so the checkpoint's profile values cannot be checked`;
      if (resume === true) {
        throw new Error(`--resume: ${missing}. Restore it, or start over with --fresh.`);
      }
      log(`${missing}: starting afresh`);
      return undefined;
    },
  );
  if (saved === undefined) return false;
  // Descriptions and comments may change; every value that shapes training must not.
  const values = ({ description: _d, comments: _c, ...rest }: TrainProfile) => JSON.stringify(rest);
  if (values(saved) === values(profile)) return true;
  const message = `the checkpoint in ${layout.checkpoint} was made with other profile values than ` +
    `${profile.name}'s now (see ${layout.profile})`;
  if (resume === true) {
    throw new Error(`--resume: ${message}. Use another --run name, or start over with --fresh.`);
  }
  log(`${message}: starting afresh`);
  return false;
}

/**
 * A fresh trainer state, or the one of the run's last checkpoint (the optimizer restored too; the model was loaded
 * from that checkpoint by prepareRun).
 *
 * @example
 * ```ts
 * import { BertForTokenClassification, makeBertConfig } from "../../model/mod.ts";
 * import { AdamW } from "../optimizer.ts";
 * import { loadProfile } from "../profile.ts";
 * import { runLayout } from "../run_layout.ts";
 * const profile = await loadProfile("smoke");
 * const layout = runLayout(await Deno.makeTempDir(), "smoke");
 * const sizes = { ...profile.model.init === "scratch" ? profile.model.config : {}, vocab_size: 100 };
 * const model = BertForTokenClassification.create(makeBertConfig(sizes, { labels: profile.labels }));
 * const optimizer = new AdamW(model.parameters);
 * const state = await startOrResume({ resume: false, profile, layout, optimizer, totalSteps: 60, log: console.error });
 * console.log(state.globalStep); // 0
 * ```
 */
export async function startOrResume(args: {
  resume: boolean;
  profile: TrainProfile;
  layout: RunLayout;
  optimizer: AdamW;
  totalSteps: number;
  log: (message: string) => void;
}): Promise<TrainerState> {
  const { resume, profile, layout, optimizer, totalSteps, log } = args;
  if (!resume) {
    return {
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
  }
  const saved = (await readTrainerState(layout.checkpoint))!;
  await restoreOptimizer(layout.checkpoint, optimizer, saved.optimizerStep);
  log(`resumed from ${layout.checkpoint}: epoch ${saved.epoch + 1}, step ${saved.globalStep}/${totalSteps}`);
  const { optimizerStep: _, ...state } = saved;
  return state;
}
