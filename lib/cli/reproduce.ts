/**
 * `deno task reproduce [--profile P] [--extracted]`: the whole project in one command. Runs notebooks
 * 01 → 05 in order — load the corpus, convert it to BIO, fine-tune (profile P), evaluate, demo — through the
 * Deno Jupyter kernel when Jupyter is installed (executed copies under outputs/<run>/notebooks/), otherwise
 * through the extractor (type-checked code cells run as one module). Stops at the first failing notebook.
 * Ends by printing where the report, the metrics and the model are; the last stdout line is a JSON summary.
 *
 *     deno task reproduce                      # cpu-small (or biobert when its weights are on this machine)
 *     deno task reproduce --profile biobert    # BioBERT itself (GPU and internet, or a local weights folder)
 *     deno task reproduce --profile smoke      # everything in about a minute, on the synthetic fixtures
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
import { chooseProfile, DEFAULT_OUTPUTS_DIR, findBestModel, PROFILE_NAMES, runLayout } from "../train/mod.ts";

const USAGE = `usage: deno task reproduce [--profile ${PROFILE_NAMES.join("|")}] [--extracted]
  --profile P    the training profile of notebook 03 (default: NER_PROFILE, else biobert when its weights
                 are on this machine, else cpu-small)
  --extracted    run the notebooks through the extractor even when Jupyter is installed`;

/** A notebook may train for a long time (biobert on a CPU: hours); the runners' default of 10 minutes is too short. */
const NOTEBOOK_TIMEOUT_SECONDS = 24 * 3600;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

if (import.meta.main) {
  let values;
  try {
    values = parseArgs({
      args: Deno.args,
      options: {
        profile: { type: "string" },
        extracted: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const log = (message: string) => console.error(`[reproduce] ${message}`);
  try {
    const env = values.profile
      ? (name: string) => (name === "NER_PROFILE" ? values.profile : Deno.env.get(name))
      : undefined;
    const choice = await chooseProfile({ env });
    const run = choice.name;
    const layout = runLayout(DEFAULT_OUTPUTS_DIR, run);
    const useKernel = !values.extracted && await exists(JUPYTER);
    log(
      `profile ${choice.name} (${choice.reason}); notebooks ${
        useKernel ? `in the Deno Jupyter kernel (${JUPYTER})` : "through the extractor"
      }`,
    );

    const notebooks: { name: string; seconds: number; executed?: string }[] = [];
    for (const path of await findNotebooks()) {
      const name = basename(path);
      log(`${name} …`);
      const options = { env: { NER_PROFILE: choice.name }, timeoutSeconds: NOTEBOOK_TIMEOUT_SECONDS };
      const result = useKernel
        ? await runNotebookInKernel(path, { ...options, outputDir: join(layout.dir, "notebooks") })
        : await runNotebookExtracted(path, options);
      notebooks.push({ name, seconds: Math.round(result.seconds * 10) / 10, executed: result.executedPath });
      log(`${name}: ok in ${result.seconds.toFixed(1)} s`);
    }

    // Notebooks 04 and 05 use the best model under outputs/ (this run's, unless a better one was there before).
    const best = await findBestModel({ trainIfMissing: false });
    const evaluated = runLayout(DEFAULT_OUTPUTS_DIR, best.run);
    const summary = {
      profile: choice.name,
      run,
      mode: useKernel ? "kernel" : "extracted",
      notebooks,
      metrics: layout.metrics,
      model: layout.best,
      evaluatedModel: best.dir,
      report: await exists(join(evaluated.dir, "report.md")) ? join(evaluated.dir, "report.md") : null,
      executedNotebooks: useKernel ? join(layout.dir, "notebooks") : null,
    };
    log(`trained model: ${summary.model}`);
    log(`metrics:       ${summary.metrics}`);
    log(
      `report:        ${summary.report ?? "(none written)"}${
        best.run !== run ? ` (of run ${best.run}, the best model under outputs/)` : ""
      }`,
    );
    if (summary.executedNotebooks) log(`notebooks:     ${summary.executedNotebooks}`);
    console.log(JSON.stringify(summary));
  } catch (error) {
    if (error instanceof NotebookError) {
      log(`FAILED: ${error.message}`);
      Deno.exit(1);
    }
    log(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
