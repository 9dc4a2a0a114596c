/**
 * The per-corpus runs of a finished multi-corpus run: for each corpus, `outputs/<run>.<corpus>/` with that
 * corpus's model (a copy of `<run>/best/<corpus>/`, an ordinary word-level folder) as `best/` and a
 * `metrics.json` of its own scores, label set and corpus — the layout of a one-corpus run, so every tool that
 * finds a model by run (notebooks 04 and 05 through `NER_RUN`, the evaluation, lib/train/run/find_best.ts) uses a
 * corpus's model of a multi-corpus run as it uses any other. `multiCorpusRun` in its metrics names the run it
 * comes from (whose log and checkpoint it shares). A unified run (one model over unified types) is one model:
 * each corpus's run holds a copy of it, with `judgedAs` naming the corpus in whose types it is scored there.
 *
 * @module
 */
import { join } from "node:path";
import { writeDirAtomic } from "../util/atomic.ts";
import type { ListedCorpus } from "./corpus_list.ts";
import type { RunMetrics } from "./metrics_file.ts";
import { type RunLayout, runLayout } from "./run_layout.ts";
import { oneUnifiedHead } from "./profile.ts";

/**
 * The run name of corpus `corpus`'s view of multi-corpus run `run`.
 *
 * @example
 * ```ts
 * corpusViewRun("bilstm-crf-bc2gm-bionlp13cg", "bc2gm"); // "bilstm-crf-bc2gm-bionlp13cg.bc2gm"
 * ```
 */
export function corpusViewRun(run: string, corpus: string): string {
  return `${run}.${corpus}`;
}

/**
 * Writes each corpus's run folder (atomically, replacing an earlier one) from a multi-corpus run's metrics
 * and `best/`.
 *
 * @example
 * ```ts
 * import { corpusList } from "./corpus_list.ts";
 * declare const metrics: any, layout: any; // the example's inputs
 * await writeCorpusViews({ metrics, layout, outputsDir: "outputs", corpora: await corpusList(metrics.corpus) });
 * ```
 */
export async function writeCorpusViews(args: {
  metrics: RunMetrics;
  layout: RunLayout;
  outputsDir: string;
  /** The corpora, as the profile's data lists them. */
  corpora: readonly ListedCorpus[];
}): Promise<string[]> {
  const { metrics, layout, outputsDir, corpora } = args;
  const written: string[] = [];
  for (const { name, spec } of corpora) {
    const view = runLayout(outputsDir, corpusViewRun(metrics.run, name));
    const dev = metrics.best.dev?.perCorpus?.[name] ?? null;
    const test = metrics.test.perCorpus?.[name];
    if (!test) throw new Error(`${layout.metrics}: no test scores of corpus ${name}`);
    const { corpusLabels, ...shared } = metrics;
    // One unified head: every corpus's run is the one model judged in that corpus's types; per-corpus heads:
    // each corpus's own head.
    const unified = oneUnifiedHead(metrics.unifiedTypes);
    const own: RunMetrics = {
      ...shared,
      run: corpusViewRun(metrics.run, name),
      corpus: spec,
      labels: unified ? metrics.labels : corpusLabels?.[name],
      best: { ...metrics.best, dev },
      test,
      multiCorpusRun: metrics.run,
      ...(unified ? { judgedAs: name } : {}),
    };
    const model = unified ? layout.best : join(layout.best, name);
    await writeDirAtomic(view.dir, async (tmp) => {
      const best = join(tmp, "best");
      await Deno.mkdir(best);
      for await (const file of Deno.readDir(model)) {
        if (file.isFile) await Deno.copyFile(join(model, file.name), join(best, file.name));
      }
      await Deno.writeTextFile(join(tmp, "metrics.json"), JSON.stringify(own, null, 2) + "\n");
    });
    written.push(view.dir);
  }
  return written;
}
