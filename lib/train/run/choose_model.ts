/**
 * Which trained model notebooks 04 and 05 use, and why: the run named by `NER_RUN` (what `deno task
 * reproduce` sets to the run notebook 03 just trained), else the best model under outputs/ trained on the
 * corpus `NER_CORPUS` names (default BC5CDR) — saying so.
 *
 * @module
 */
import { join } from "node:path";
import { type BestModel, findBestModel, listTrainedModels } from "./find_best.ts";
import { DEFAULT_OUTPUTS_DIR } from "../run_layout.ts";
import { type EnvName, readEnv } from "../../util/config.ts";
import { chosenCorpus, DEFAULT_CORPUS } from "../../corpus/names.ts";

/** A model and the reason it was chosen, for the reader. */
export interface ChosenModel extends BestModel {
  reason: string;
}

/** Options of {@link chooseModel}. */
export interface ChooseModelOptions {
  /** Folder holding the runs. Default "outputs". */
  outputsDir?: string;
  /** Reads environment variables (default lib/util/config.ts's `readEnv`): `NER_RUN`, `NER_CORPUS`. */
  env?: (name: EnvName) => string | undefined;
}

/**
 * The model of run `NER_RUN` when it is set (an error when that run has no finished model), else
 * {@link findBestModel}'s choice (which trains the smoke model when there is none).
 *
 * @example
 * ```ts
 * const model = await chooseModel();
 * console.log(`${model.dir}: ${model.reason}`);
 * ```
 */
export async function chooseModel(options: ChooseModelOptions = {}): Promise<ChosenModel> {
  const outputsDir = options.outputsDir ?? DEFAULT_OUTPUTS_DIR;
  const env = options.env ?? readEnv;
  const run = env("NER_RUN");
  const trained = await listTrainedModels(outputsDir);
  if (run) {
    const model = trained.find((m) => m.run === run);
    if (!model) {
      throw new Error(
        `NER_RUN=${run}: ${
          join(outputsDir, run)
        } holds no finished run (metrics.json and a model in best/); ` +
          `train it (notebook 03, deno task train) or unset NER_RUN`,
      );
    }
    return { ...model, reason: `NER_RUN=${run}: the run notebook 03 trained` };
  }
  const corpus = chosenCorpus(env("NER_CORPUS") || DEFAULT_CORPUS);
  const onCorpus = trained.filter((m) => m.corpus === corpus || m.isSmoke);
  const best = await findBestModel({ outputsDir, corpus });
  const reason = onCorpus.length === 0
    ? `NER_RUN is not set and no model was trained on ${corpus} yet: trained the smoke model (meaningless ` +
      "predictions)"
    : `NER_RUN is not set: the best of the ${onCorpus.length} model(s) under outputs/ trained on ${corpus} ` +
      "(a real profile before smoke, then dev F1)";
  return { ...best, reason };
}
