/**
 * `deno task reproduce [--profile P] [--corpus C] [--extracted]`: the whole project in one command. Runs
 * notebooks 01 → 05 in order — load the corpus, convert it to BIO, fine-tune (profile P), evaluate, demo —
 * through the Deno Jupyter kernel when Jupyter is installed, otherwise through the extractor (type-checked
 * code cells run as one module). Stops at the first failing notebook.
 *
 * - The corpus is BC5CDR unless `--corpus` (or `NER_CORPUS`) names another: a registry name or a folder of
 *   CoNLL/parquet split files (lib/corpus/registry.ts). Every notebook gets `NER_CORPUS`.
 * - The run is handed from 03 to 04 and 05 explicitly: every notebook gets `NER_RUN=<run>` (the profile's
 *   name; `<profile>-<corpus>` for another corpus), 03 trains into outputs/<run>/ and 04/05 evaluate that
 *   run's model (lib/train/run/choose_model.ts).
 * - While a notebook trains, the run's `train_log.jsonl` is followed and its progress (epoch, step, loss, dev
 *   F1, ETA) printed; every notebook's time is printed when it ends.
 * - Kernel runs save the executed notebooks under outputs/<run>/notebooks/, signed as trusted for this user
 *   (`jupyter trust`), each with a self-contained HTML export beside it that draws its figures offline.
 *
 * Ends by printing where the report, the metrics and the model are; the last stdout line is a JSON summary.
 *
 *     deno task reproduce                      # bilstm-crf (or biobert when its weights are on this machine)
 *     deno task reproduce --profile biobert    # BioBERT itself (GPU and internet, or a local weights folder)
 *     deno task reproduce --profile smoke      # everything in about a minute, on the synthetic fixtures
 *     deno task reproduce --corpus bc2gm       # bilstm-crf on BC2GM ($MTL2016_DIR, else the hub)
 *     deno task reproduce --corpus ~/my-corpus # a folder with train.tsv, dev.tsv, test.tsv
 *
 * @module
 */
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import {
  findNotebooks,
  JUPYTER,
  NotebookError,
  runNotebookExtracted,
  runNotebookInKernel,
} from "../notebook/run.ts";
import { exportNotebookHtml, trustNotebook } from "../notebook/publish.ts";
import {
  chooseModel,
  chooseProfile,
  DEFAULT_OUTPUTS_DIR,
  loadProfile,
  PROFILE_NAMES,
  runLayout,
} from "../train/mod.ts";
import { followTrainLog, TrainLogProgress } from "../train/progress/follow_log.ts";
import { formatSeconds } from "../util/progress.ts";
import { CORPORA } from "../corpus/registry.ts";
import { chosenCorpus, DEFAULT_CORPUS } from "../corpus/names.ts";
import { type EnvName, readEnv } from "../util/config.ts";
import { runCommand } from "../util/exit_error.ts";
import { pathExists } from "../util/exists.ts";

const USAGE = `usage: deno task reproduce [--profile ${PROFILE_NAMES.join("|")}] [--corpus C] [--extracted]
  --profile P    the training profile of notebook 03 (default: NER_PROFILE, else biobert when its weights
                 are on this machine, else bilstm-crf)
  --corpus C     the corpus (default: NER_CORPUS, else bc5cdr): ${Object.keys(CORPORA).join(", ")}, or a
                 folder of CoNLL/parquet split files (train.*, dev.*|devel.*, test.*)
  --extracted    run the notebooks through the extractor even when Jupyter is installed`;

/** A notebook may train for a long time (biobert on a CPU: hours); the runners' default of 10 minutes is too short. */
const NOTEBOOK_TIMEOUT_SECONDS = 24 * 3600;

/** Print training progress at most this often (and at every epoch's end). */
const PROGRESS_EVERY_MS = 15_000;

/** Runs `work` while printing the progress of the training log at `logPath` (if one is written meanwhile). */
async function withTrainingProgress<T>(
  logPath: string,
  epochs: number | undefined,
  log: (message: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const progress = new TrainLogProgress(epochs);
  const stop = new AbortController();
  let printedAt = -Infinity;
  const following = followTrainLog(logPath, {
    signal: stop.signal,
    fromEnd: true,
    onLine: (line) => {
      progress.add(line);
      const now = performance.now();
      if (line.kind === "epoch" || now - printedAt >= PROGRESS_EVERY_MS) {
        printedAt = now;
        log(`  training: ${progress.line() ?? "starting"}`);
      }
    },
  });
  try {
    return await work();
  } finally {
    stop.abort();
    await following;
  }
}
/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("reproduce", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        profile: { type: "string" },
        corpus: { type: "string" },
        extracted: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const log = (message: string) => console.error(`[reproduce] ${message}`);
  try {
    // The corpus is always named (BC5CDR by default): a profile whose own data is another (smoke's fixtures)
    // then trains into a run of its own, never into the one of its own data.
    const given: Partial<Record<EnvName, string>> = {
      ...(values.profile ? { NER_PROFILE: values.profile } : {}),
      NER_CORPUS: chosenCorpus(values.corpus),
    };
    const choice = await chooseProfile({ env: (name) => given[name] ?? readEnv(name) });
    const corpus = choice.corpus ?? DEFAULT_CORPUS;
    const run = choice.run;
    const layout = runLayout(DEFAULT_OUTPUTS_DIR, run);
    const useKernel = !values.extracted && await pathExists(JUPYTER);
    log(
      `profile ${choice.name} (${choice.reason}), corpus ${corpus}, run ${run}; notebooks ${
        useKernel ? `in the Deno Jupyter kernel (${JUPYTER})` : "through the extractor"
      }`,
    );

    const epochs = (await loadProfile(choice.name, choice.overrides)).epochs;
    const notebooks: { name: string; seconds: number; executed?: string; signed: boolean; html?: string }[] =
      [];
    for (const path of await findNotebooks()) {
      const name = basename(path);
      log(`${name} …`);
      const options = {
        env: { NER_PROFILE: choice.name, NER_RUN: run, NER_CORPUS: corpus },
        timeoutSeconds: NOTEBOOK_TIMEOUT_SECONDS,
      };
      const result = await withTrainingProgress(
        layout.log,
        epochs,
        log,
        () =>
          useKernel
            ? runNotebookInKernel(path, { ...options, outputDir: join(layout.dir, "notebooks") })
            : runNotebookExtracted(path, options),
      );
      let html: string | undefined;
      let signed = false;
      if (result.executedPath) {
        // Unsigned, a frontend shows the figures' PNGs instead of drawing them: worth a warning, not a failure.
        signed = await trustNotebook(result.executedPath).then(() => true, (error: Error) => {
          log(`not signed (${error.message.split("\n")[0]}); \`deno task setup\` installs jupyter trust`);
          return false;
        });
        html = await exportNotebookHtml(result.executedPath);
      }
      notebooks.push({
        name,
        seconds: Math.round(result.seconds * 10) / 10,
        executed: result.executedPath,
        signed,
        html,
      });
      const saved = html ? ` (executed copy${signed ? " signed" : ""}; HTML exported)` : "";
      log(`${name}: ok in ${formatSeconds(result.seconds)}${saved}`);
    }

    // Notebooks 04 and 05 evaluated this run's model (NER_RUN); chooseModel checks it is there.
    const model = await chooseModel({ env: (name) => (name === "NER_RUN" ? run : undefined) });
    const evaluated = runLayout(DEFAULT_OUTPUTS_DIR, model.run);
    const summary = {
      profile: choice.name,
      corpus,
      run,
      mode: useKernel ? "kernel" : "extracted",
      notebooks,
      metrics: layout.metrics,
      model: layout.best,
      evaluatedModel: model.dir,
      report: await pathExists(join(evaluated.dir, "report.md")) ? join(evaluated.dir, "report.md") : null,
      executedNotebooks: useKernel ? join(layout.dir, "notebooks") : null,
    };
    log(`trained model: ${summary.model}`);
    log(`metrics:       ${summary.metrics}`);
    log(`report:        ${summary.report ?? "(none written)"}`);
    if (summary.executedNotebooks) {
      log(`notebooks:     ${summary.executedNotebooks} (trusted .ipynb + offline .html)`);
    }
    log(`times:         ${notebooks.map((n) => `${n.name} ${formatSeconds(n.seconds)}`).join(", ")}`);
    console.log(JSON.stringify(summary));
    return 0;
  } catch (error) {
    if (error instanceof NotebookError) {
      log(`FAILED: ${error.message}`);
      return 1;
    }
    log(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
