/**
 * What an evaluation looks at, chosen in one place (notebook 04 and scripts): the gold test split, the
 * training split (seen/unseen), and the predictions — from a file given from outside (`NER_PREDICTIONS`), or
 * the model of run `NER_RUN`, or the best trained model (lib/train's `chooseModel`), saved under its run.
 * The splits are those of the corpus the model was trained on (its run's metrics.json); for external
 * predictions and the smoke model, of the corpus `NER_CORPUS` names (default BC5CDR). A unified model's run for
 * one corpus (`judgedAs`) is judged in that corpus's types: gold, training and predicted tags alike.
 *
 * @module
 */
import { join } from "node:path";
import { readSentencesJsonl } from "../bio/jsonl.ts";
import type { Sentence } from "../bio/types.ts";
import { chooseModel, type ChosenModel } from "../train/run/choose_model.ts";
import { labelsOfData, loadSplit } from "../train/load_split.ts";
import { DEFAULT_OUTPUTS_DIR, runLayout } from "../train/run_layout.ts";
import type { EvaluateRunOptions } from "./evaluate_run.ts";
import { loadOrPredict } from "./predictions.ts";
import { type EnvName, readEnv } from "../util/config.ts";
import { chosenCorpus, corpusDisplayName, DEFAULT_CORPUS } from "../corpus/names.ts";
import { corpusLines, projectTags, readTypeMapping, unifySentences } from "../corpus/type_mapping.ts";
import { resolveProjectPath } from "../util/paths.ts";

/** Options of {@link chooseEvaluation}. */
export interface ChooseEvaluationOptions {
  /** Folder holding the runs and converted splits. Default "outputs". */
  outputsDir?: string;
  /**
   * Reads environment variables (default lib/util/config.ts's `readEnv`): `NER_PREDICTIONS`, `NER_RUN`,
   * `NER_CORPUS`.
   */
  env?: (name: EnvName) => string | undefined;
}

/** The inputs of {@link evaluateRun}, with where they came from and why. */
export interface EvaluationChoice extends EvaluateRunOptions {
  gold: Sentence[];
  predicted: Sentence[];
  train: Sentence[];
  title: string;
  notes: string[];
  /** The model whose predictions are evaluated; undefined for predictions given from outside. */
  model: ChosenModel | undefined;
  /** Why these predictions, for the reader. */
  why: string;
  /** The corpus whose test split is the gold (a registry name or a path). */
  corpus: string;
  /** Where the gold sentences were read from. */
  goldSource: string;
  /** The predictions file. */
  predictionsPath: string;
}

/**
 * Loads the test and train splits and the predictions to evaluate (predicting and saving them when the
 * saved ones are stale); the result goes to `evaluateRun` as it is.
 *
 * @example
 * ```ts
 * import { evaluateRun } from "./evaluate_run.ts";
 * const choice = await chooseEvaluation();
 * console.log(choice.model?.dir, choice.why);
 * const evaluation = await evaluateRun(choice);
 * ```
 */
export async function chooseEvaluation(options: ChooseEvaluationOptions = {}): Promise<EvaluationChoice> {
  const outputsDir = options.outputsDir ?? DEFAULT_OUTPUTS_DIR;
  const env = options.env ?? readEnv;
  const requested = chosenCorpus(env("NER_CORPUS") || DEFAULT_CORPUS);
  const splitsOf = async (corpus: string) => {
    const { sentences: gold, source: goldSource } = await loadSplit(corpus, "test");
    const { sentences: train } = await loadSplit(corpus, "train");
    const notes = (model: string) => [
      model,
      `gold: ${goldSource}`,
      `${gold.length} sentences; evaluated ${new Date().toISOString()}`,
    ];
    return {
      corpus,
      gold,
      goldSource,
      train,
      notes,
      testSplit: `the ${corpusDisplayName(corpus)} test split`,
    };
  };
  const external = env("NER_PREDICTIONS");
  if (external) {
    const { notes, testSplit, ...splits } = await splitsOf(requested);
    return {
      ...splits,
      predicted: await readSentencesJsonl(external),
      predictionsPath: external,
      model: undefined,
      why: "NER_PREDICTIONS is set",
      outDir: join(outputsDir, "external-predictions"),
      title: `Evaluation of external predictions on ${testSplit}`,
      notes: notes("model: none"),
    };
  }
  const model = await chooseModel({ outputsDir, env });
  const layout = runLayout(outputsDir, model.run);
  const predictionsPath = join(layout.dir, "predictions", "test.jsonl");
  const { notes, testSplit, ...splits } = await splitsOf(model.isSmoke ? requested : model.corpus);
  const predicted = await loadOrPredict({
    modelDir: model.dir,
    sentences: splits.gold,
    path: predictionsPath,
  });
  const judge = model.judgedAs
    ? await corpusJudge(model.judgedAs.mapping, model.judgedAs.corpus, splits.corpus)
    : undefined;
  return {
    ...splits,
    ...(judge ? { gold: judge(splits.gold, "corpus"), train: judge(splits.train, "corpus") } : {}),
    predicted: judge ? judge(predicted, "model") : predicted,
    predictionsPath,
    model,
    why: model.reason,
    outDir: layout.dir,
    trainLog: layout.log,
    title: `Evaluation of ${model.run} on ${testSplit}`,
    notes: [
      ...notes(`model: ${model.dir}${model.isSmoke ? " (smoke model: scores are meaningless)" : ""}`),
      ...(judge ? [`a unified model, judged in ${corpusDisplayName(splits.corpus)}'s types only`] : []),
    ],
  };
}

/**
 * Sentences as corpus `name` of `mappingPath` judges a unified model: the corpus's own tags ("corpus") or the
 * model's unified ones ("model"), keeping only the types the corpus annotates.
 */
async function corpusJudge(mappingPath: string, name: string, corpus: string) {
  const mapping = await readTypeMapping(resolveProjectPath(mappingPath));
  const labels = await labelsOfData(corpus);
  const lines = corpusLines(mapping, name, labels);
  return (sentences: Sentence[], tags: "corpus" | "model"): Sentence[] =>
    (tags === "corpus"
      ? unifySentences(mapping, { corpus: name, labels, sentences, partial: false })
      : sentences)
      .map((sentence) => ({ ...sentence, tags: projectTags(lines, sentence.tags) }));
}
