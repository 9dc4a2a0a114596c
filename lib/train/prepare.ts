/**
 * Preparing a run: everything that can be wrong with the input is checked before the first step (every split
 * of every corpus, against that corpus's labels), a killed session's half-done folder writes are finished or
 * undone, and the model to train is built by its model type (lib/model/registry.ts) — or, when the run
 * resumes, loaded from its checkpoint (nothing is built or pretrained only to be overwritten).
 *
 * A run trains on a list of corpora: a profile's one corpus is a list of one; a profile whose `data` lists
 * several (lib/train/corpus_list.ts) trains one model with a head per corpus, scored on each corpus's dev and
 * test split with its own head.
 *
 * @module
 */
import type { ReportedTypes } from "../bio/reported_types.ts";
import { type Split, SPLITS } from "../corpus/types.ts";
import type { ModelSpec } from "../model/registry.ts";
import { modelTypeForProfile } from "../model/registry.ts";
import type { ModelType } from "../model/model_type.ts";
import { type LabelledCorpus, parameterCount, type TrainableModel } from "../model/trainable.ts";
import { recoverDirAtomic } from "../util/atomic.ts";
import {
  corpusLines,
  headUnifiedTypes,
  projectTags,
  readTypeMapping,
  reportedTypesOf,
  unifySentences,
} from "../corpus/type_mapping.ts";
import { corpusList, isCorpusList } from "./corpus_list.ts";
import { checkSentences } from "./data.ts";
import { loadSplit } from "./load_split.ts";
import { pretrainEncoder } from "./pretraining/mlm.ts";
import { type LabelledProfile, oneUnifiedHead, resolveProjectPath } from "./profile.ts";
import type { TrainEvents } from "./progress/events.ts";
import { resumable } from "./run/resume.ts";
import type { RunLayout } from "./run_layout.ts";

/** What {@link prepareRun} needs. */
export interface PrepareOptions {
  profile: LabelledProfile;
  layout: RunLayout;
  outputsDir: string;
  /** As `TrainOptions.resume`. */
  resume?: boolean | "if-compatible";
  log: (message: string) => void;
  /** Where MLM pretraining's progress goes. */
  events?: TrainEvents;
  /** Aborting stops MLM pretraining before its next step. */
  signal?: AbortSignal;
}

/** A run ready to train. The caller disposes `model`. */
export interface PreparedRun {
  /** The model type that builds, loads and saves the run's model. */
  modelType: ModelType<ModelSpec>;
  /** The model, with its training data encoded. */
  model: TrainableModel;
  /**
   * Each corpus's dev split, in the run's order: selection data, or (trainOn "train+dev") part of the
   * training data.
   */
  dev: LabelledCorpus[];
  /** Each corpus's test split: read now to be checked, scored only at the end. */
  test: LabelledCorpus[];
  /** Whether the run continues from its checkpoint. */
  resume: boolean;
}

/**
 * Loads and checks every corpus's splits, recovers the run folder, decides whether to resume, and builds (or,
 * resuming, loads) the model with its training data encoded.
 *
 * ```ts
 * import { withLabels } from "./load_split.ts";
 * import { loadProfile } from "./profile.ts";
 * import { runLayout } from "./run_layout.ts";
 * const outputsDir = await Deno.makeTempDir();
 * const profile = await withLabels(await loadProfile("smoke"));
 * const layout = runLayout(outputsDir, "smoke");
 * const { model, dev, resume } = await prepareRun({ profile, layout, outputsDir, log: console.error });
 * console.log(model.trainExamples, dev[0].sentences.length, resume); // 160 48 false
 * model.dispose();
 * ```
 */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const { profile, log } = options;
  const corpora = await runCorpora(profile);
  const splits = { train: [], dev: [], test: [] } as Record<Split, LabelledCorpus[]>;
  for (const corpus of corpora) {
    // The model never sees test before the end; that it exists and fits the labels is checked now.
    for (const split of SPLITS) {
      const { sentences, source } = await loadSplit(corpus.spec, split, { log });
      checkSentences(sentences, { split, labels: corpus.labels, source });
      splits[split].push({ name: corpus.name, labels: corpus.labels, sentences });
    }
  }
  if (oneUnifiedHead(profile.unifiedTypes)) {
    return await prepareUnifiedRun(options, await unified(profile, splits));
  }
  if (profile.unifiedTypes) {
    // Per-corpus heads: each learns its corpus's own labels; the model keeps what they are in unified types.
    const mapping = await readTypeMapping(resolveProjectPath(profile.unifiedTypes.mapping));
    splits.train = splits.train.map((corpus) => ({
      ...corpus,
      unifiedTypes: headUnifiedTypes(corpusLines(mapping, corpus.name, corpus.labels)),
      reportedTypes: reportedTypesOf(mapping),
    }));
  }
  const train = profile.trainOn === "train+dev"
    ? splits.train.map((corpus, i) => ({
      ...corpus,
      sentences: [...corpus.sentences, ...splits.dev[i].sentences],
    }))
    : splits.train;
  return await prepareModel(options, {
    modelType: modelTypeForProfile(profile, corpora.length),
    train,
    dev: splits.dev,
    test: splits.test,
  });
}

/**
 * A run of several corpora as one model over unified types (`profile.unifiedTypes`): every split of every
 * corpus with its tags mapped (lib/corpus/type_mapping.ts) and, unless the profile asks for the naive merge,
 * its partial annotation; training reads all corpora as one, while dev and test stay per corpus, each judged
 * on the types it annotates. Also the mapping's reported types, which the model stores.
 */
async function unified(
  profile: LabelledProfile,
  splits: Record<Split, LabelledCorpus[]>,
): Promise<{ splits: Record<Split, LabelledCorpus[]>; reportedTypes: ReportedTypes | undefined }> {
  const { mapping: path, unannotated } = profile.unifiedTypes!;
  const mapping = await readTypeMapping(resolveProjectPath(path));
  const unify = (corpus: LabelledCorpus): LabelledCorpus => {
    const lines = corpusLines(mapping, corpus.name, corpus.labels);
    return {
      name: corpus.name,
      labels: profile.labels,
      sentences: unifySentences(mapping, { ...corpus, corpus: corpus.name, partial: unannotated === "open" }),
      judge: (tags) => projectTags(lines, tags),
    };
  };
  return {
    splits: { train: splits.train.map(unify), dev: splits.dev.map(unify), test: splits.test.map(unify) },
    reportedTypes: reportedTypesOf(mapping),
  };
}

/** {@link prepareRun} of a unified-types run, once its splits are mapped. */
async function prepareUnifiedRun(
  options: PrepareOptions,
  { splits, reportedTypes }: Awaited<ReturnType<typeof unified>>,
): Promise<PreparedRun> {
  const { profile } = options;
  const sentences = splits.train.flatMap((corpus, i) =>
    profile.trainOn === "train+dev" ? [...corpus.sentences, ...splits.dev[i].sentences] : corpus.sentences
  );
  return await prepareModel(options, {
    modelType: modelTypeForProfile(profile, 1),
    train: [{ name: profile.data, labels: profile.labels, sentences, reportedTypes }],
    dev: splits.dev,
    test: splits.test,
  });
}

/** Readies the run folder and builds (or, resuming, loads) the model of a run whose data is read and checked. */
async function prepareModel(
  options: PrepareOptions,
  run: {
    modelType: ModelType<ModelSpec>;
    train: LabelledCorpus[];
    dev: LabelledCorpus[];
    test: LabelledCorpus[];
  },
): Promise<PreparedRun> {
  const { profile, layout, log } = options;
  const { modelType, train } = run;
  const resume = await readyRunFolder(options);
  const model = resume
    ? await modelType.load(layout.checkpoint, { profile, corpora: train })
    : await modelType.build(
      profile,
      {
        corpora: train,
        log,
        pretraining: {
          run: (start) =>
            pretrainEncoder({
              ...start,
              mlm: profile.pretraining!,
              seed: profile.seed,
              maxGradNorm: profile.maxGradNorm,
              weightDecay: profile.weightDecay,
              events: options.events,
              signal: options.signal,
            }),
          saveTo: layout.pretrained,
        },
      },
    );
  log(
    `train (${profile.trainOn ?? "train"}): ${sentenceCounts(train)} → ${model.trainExamples} examples; ` +
      `dev: ${sentenceCounts(run.dev)}; ${model.name} model, ${parameterCount(model.parameters)} parameters`,
  );
  return { modelType, model, dev: run.dev, test: run.test, resume };
}

/** The corpora a profile trains on, with their label sets: its `data`'s one corpus, or each of its list. */
async function runCorpora(
  profile: LabelledProfile,
): Promise<{ name: string; spec: string; labels: readonly string[] }[]> {
  if (!isCorpusList(profile.data)) {
    return [{ name: profile.data, spec: profile.data, labels: profile.labels }];
  }
  return (await corpusList(profile.data)).map(({ name, spec }) => {
    const labels = profile.corpusLabels?.[name];
    if (!labels) throw new Error(`profile ${profile.name}: no label set for corpus ${name}`);
    return { name, spec, labels };
  });
}

/** "160 sentences" for one corpus; "a 160 sentences, b 40 sentences" for several. */
function sentenceCounts(corpora: readonly LabelledCorpus[]): string {
  const count = (corpus: LabelledCorpus) => `${corpus.sentences.length} sentences`;
  return corpora.length === 1 ? count(corpora[0]) : corpora.map((c) => `${c.name} ${count(c)}`).join(", ");
}

/**
 * Readies the run's folder and says whether the run resumes: folder writes a killed session left are finished
 * or undone, and a fresh run removes what an earlier run under the same name left.
 *
 * @example
 * ```ts
 * declare const options: PrepareOptions; // the example's inputs
 * const resume = await readyRunFolder(options);
 * ```
 */
export async function readyRunFolder(options: PrepareOptions): Promise<boolean> {
  const { profile, layout, log } = options;
  for (const dir of [layout.best, layout.checkpoint, layout.pretrained]) await recoverDirAtomic(dir);
  const resume = await resumable({ resume: options.resume, profile, layout, log });
  // A fresh run leaves nothing of an earlier run under the same name (a model of it could be mistaken for ours).
  if (!resume) {
    for (const path of [layout.metrics, layout.best, layout.checkpoint, layout.pretrained, layout.epochs]) {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    }
  }
  return resume;
}
