/**
 * Finds the best trained model under outputs/ for evaluation, inference and the demo — or trains the tiny
 * `smoke` profile (seconds) when there is none, so that every notebook always runs.
 *
 * @module
 */
import { join } from "node:path";
import { DEFAULT_CORPUS } from "../../corpus/names.ts";
import { readCorporaFile } from "../../model/word_crf/multi.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import { DEFAULT_OUTPUTS_DIR, runLayout } from "../run_layout.ts";
import type { RunMetrics } from "../metrics_file.ts";
import { RunLockedError, waitForRunLock } from "./lock.ts";

/** Options of {@link findBestModel}. */
export interface FindBestModelOptions {
  /** Folder holding the runs. Default "outputs". */
  outputsDir?: string;
  /** Train the smoke profile when no run has a model (default true); when false, throw instead. */
  trainIfMissing?: boolean;
  /** Only models trained on this corpus (smoke models always qualify). Default: any. */
  corpus?: string;
}

/** A trained model folder and where it comes from. */
export interface BestModel {
  /** Hugging Face layout model folder (config.json, model.safetensors, vocab.txt). */
  dir: string;
  /** Run name (folder under outputs/). */
  run: string;
  /** Profile the run used. */
  profile: string;
  /** What it was trained on (metrics.json `corpus`: the profile's `data`; runs from before corpora: BC5CDR). */
  corpus: string;
  /** True when it is the tiny smoke model (trained on fixtures: its predictions mean nothing). */
  isSmoke: boolean;
  /** Best dev strict micro F1 of the run; null for a final model trained on train+dev (no selection on dev). */
  devF1: number | null;
  /**
   * A unified model's run for one corpus (metrics.json `judgedAs`): that corpus's key in the type mapping at
   * `mapping`, in whose types the model is judged there.
   */
  judgedAs?: { corpus: string; mapping: string };
}

/**
 * The finished runs under `outputsDir` (those with a metrics.json and a best/ model), best first:
 * real profiles before smoke ones, then by dev F1.
 *
 * @example
 * ```ts
 * const runs = await listTrainedModels("outputs");
 * ```
 */
export async function listTrainedModels(outputsDir = DEFAULT_OUTPUTS_DIR): Promise<BestModel[]> {
  const found: BestModel[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(outputsDir));
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!entry.isDirectory || !/^[\w.-]+$/.test(entry.name)) continue;
    const layout = runLayout(outputsDir, entry.name);
    const metrics = await readTextFileBounded(layout.metrics, { kind: "JSON settings file" }).then(
      (t) => JSON.parse(t) as RunMetrics,
      () => null,
    );
    // A model folder: one model's config.json, or heads merged into unified types (a multi-corpus folder
    // without them is one model per corpus, each its own run).
    const hasModel = await Deno.stat(join(layout.best, "config.json")).then(() => true, () => false) ||
      await readCorporaFile(layout.best).then((file) => file.unified !== undefined, () => false);
    if (!metrics || !hasModel) continue;
    found.push({
      dir: layout.best,
      run: entry.name,
      profile: metrics.profile,
      corpus: metrics.corpus ?? DEFAULT_CORPUS,
      isSmoke: metrics.isSmoke,
      devF1: metrics.best?.dev?.f1 ?? null,
      ...(metrics.judgedAs && metrics.unifiedTypes
        ? { judgedAs: { corpus: metrics.judgedAs, mapping: metrics.unifiedTypes.mapping } }
        : {}),
    });
  }
  // Real models before smoke ones; then final models (trained on train+dev, the protocol's last step), then
  // by dev F1.
  return found.sort((a, b) =>
    Number(a.isSmoke) - Number(b.isSmoke) || Number(a.devF1 !== null) - Number(b.devF1 !== null) ||
    (b.devF1 ?? 0) - (a.devF1 ?? 0)
  );
}

/**
 * The corpus a model folder was trained on, for evaluating it on the right data: the `corpus` of the
 * metrics.json of the run holding it (`outputs/<run>/best/` → `outputs/<run>/metrics.json`; runs from
 * before corpora: BC5CDR); else `fallback` (a folder from elsewhere).
 *
 * @example
 * ```ts
 * await corpusOfModel("outputs/bilstm-crf-bc2gm/best", "bc5cdr"); // "bc2gm"
 * ```
 */
export async function corpusOfModel(dir: string, fallback: string): Promise<string> {
  const metrics = await readTextFileBounded(join(dir, "..", "metrics.json"), { kind: "JSON settings file" })
    .then((t) => JSON.parse(t) as Partial<RunMetrics>, () => null);
  return metrics ? metrics.corpus ?? DEFAULT_CORPUS : fallback;
}

/**
 * The best trained model folder under `outputsDir` (a real profile beats smoke; then best dev F1), or — when
 * none exists — trains the `smoke` profile into `outputs/smoke/` (a few seconds) and returns that.
 *
 * @example
 * ```ts
 * const { dir, isSmoke } = await findBestModel();
 * if (isSmoke) console.log("no trained model yet: using the smoke model");
 * ```
 */
export async function findBestModel(options: FindBestModelOptions = {}): Promise<BestModel> {
  const outputsDir = options.outputsDir ?? DEFAULT_OUTPUTS_DIR;
  const fits = (model: BestModel) =>
    options.corpus === undefined || model.corpus === options.corpus || model.isSmoke;
  const best = (await listTrainedModels(outputsDir)).find(fits);
  if (best) return best;
  if (options.trainIfMissing === false) throw new Error(`no trained model under ${outputsDir}/`);
  // Imported lazily: callers that find a model never load the training code.
  const { trainProfile } = await import("../trainer.ts");
  const smokeDir = runLayout(outputsDir, "smoke").dir;
  for (;;) {
    // Another process may be training the smoke model right now: wait for it and use its model.
    await waitForRunLock(smokeDir);
    const trained = (await listTrainedModels(outputsDir)).find(fits);
    if (trained) return trained;
    try {
      // A smoke run a crash left unfinished is continued (or, trained with other values, redone).
      const result = await trainProfile({
        profile: "smoke",
        outputsDir,
        quiet: true,
        resume: "if-compatible",
      });
      return {
        dir: result.layout.best,
        run: result.run,
        profile: "smoke",
        corpus: result.profile.data,
        isSmoke: true,
        devF1: result.metrics.best.dev?.f1 ?? null,
      };
    } catch (error) {
      if (!(error instanceof RunLockedError)) throw error;
    }
  }
}
