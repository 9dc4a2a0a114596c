/**
 * Preparing a run: everything that can be wrong with the input is checked before the first step (splits,
 * labels, window length), a killed session's half-done folder writes are finished or undone, and the model
 * to train is built — a word-level BiLSTM-CRF, a pretrained BERT, one from scratch, or one from scratch after
 * MLM pretraining — or, when the run resumes, loaded from its checkpoint (nothing is built or pretrained
 * only to be overwritten).
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import { isWordCrfFolder, loadWordCrfModel } from "../model/word_crf/mod.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import { recoverDirAtomic } from "../util/atomic.ts";
import type * as tf from "@tensorflow/tfjs-core";
import { newCrfHead, readCrfHead } from "../model/crf/head.ts";
import { bertCrfTagger } from "./bert_crf_tagger.ts";
import { bertTagger } from "./bert_tagger.ts";
import { checkSentences, type EncodedSplit, encodeSentences } from "./data.ts";
import type { TrainEvents } from "./progress/events.ts";
import type { EvalScores } from "./metrics_file.ts";
import { loadSplit } from "./load_split.ts";
import { pretrainEncoder } from "./pretraining/mlm.ts";
import { loadModelFolder, loadPretrained, resolveVocab, saveModelFolder } from "../model/bert/folder.ts";
import type { LabelledProfile, TrainProfile } from "./profile.ts";
import { resumable } from "./run/resume.ts";
import type { RunLayout } from "./run_layout.ts";
import { parameterCount, type TrainableTagger } from "./tagger.ts";
import { newWordCrfModel, wordCrfTagger } from "./word_crf_tagger.ts";

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

/** A run ready to train. The caller disposes `tagger`. */
export interface PreparedRun {
  tagger: TrainableTagger;
  /** The dev split: selection data, or (trainOn "train+dev") part of the training data. */
  dev: Sentence[];
  /** Whether the run continues from its checkpoint. */
  resume: boolean;
  /** How dev is scored after each epoch; absent: the tagger's tags of `dev` (a multi-corpus run: per corpus). */
  scoreDev?: () => Promise<EvalScores>;
  /** How the best model is scored on test at the end; absent: `best/` loaded back, on the test split. */
  scoreTest?: () => Promise<EvalScores>;
}

/**
 * Loads and checks the data, recovers the run folder, decides whether to resume, and builds (or, resuming,
 * loads) the model with its training data encoded.
 *
 * ```ts
 * import { withLabels } from "./load_split.ts";
 * import { loadProfile } from "./profile.ts";
 * import { runLayout } from "./run_layout.ts";
 * const outputsDir = await Deno.makeTempDir();
 * const profile = await withLabels(await loadProfile("smoke"), { outputsDir });
 * const layout = runLayout(outputsDir, "smoke");
 * const { tagger, dev, resume } = await prepareRun({ profile, layout, outputsDir, log: console.error });
 * console.log(tagger.trainExamples, dev.length, resume); // 160 48 false
 * tagger.dispose();
 * ```
 */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const { profile, layout, outputsDir, log } = options;
  const splits = {} as Record<"train" | "dev", Sentence[]>;
  for (const split of ["train", "dev"] as const) {
    const { sentences, source } = await loadSplit(profile.data, split, { outputsDir, log });
    checkSentences(sentences, { split, labels: profile.labels, source });
    splits[split] = sentences;
  }
  // The model never sees test before the end; that it exists and fits the labels is checked now.
  const test = await loadSplit(profile.data, "test", { outputsDir, log });
  checkSentences(test.sentences, { split: "test", labels: profile.labels, source: test.source });
  const train = profile.trainOn === "train+dev" ? [...splits.train, ...splits.dev] : splits.train;
  const resume = await readyRunFolder(options);
  const tagger = resume
    ? await loadTrainableTagger(layout.checkpoint, { profile, train })
    : await newTagger({ ...options, train });
  log(
    `train (${profile.trainOn ?? "train"}): ${train.length} sentences → ${tagger.trainExamples} examples; ` +
      `dev: ${splits.dev.length} sentences; ${tagger.kind} model, ${
        parameterCount(tagger.parameters)
      } parameters`,
  );
  return { tagger, dev: splits.dev, resume };
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
    for (const path of [layout.metrics, layout.best, layout.checkpoint, layout.pretrained]) {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    }
  }
  return resume;
}

/** `train` as windows of the profile's length and stride, labelled with `labels` (id = index). */
function encodeForProfile(
  tokenizer: BertTokenizer,
  profile: TrainProfile,
  labels: readonly string[],
  train: readonly Sentence[],
): EncodedSplit {
  const label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
  return encodeSentences(tokenizer, train, {
    label2id,
    maxLength: profile.maxLength!,
    stride: profile.stride!,
  });
}

/** The BERT tagger of a model, its tokenizer and its encoded training windows; with a CRF head when given. */
function bertTaggerFor(
  model: BertForTokenClassification,
  tokenizer: BertTokenizer,
  profile: TrainProfile,
  train: EncodedSplit,
  head?: Map<string, tf.Variable>,
): TrainableTagger {
  const options = {
    maxLength: profile.maxLength!,
    stride: profile.stride!,
    evalBatchSize: profile.evalBatchSize,
  };
  const base = bertTagger({ model, tokenizer, train, ...options });
  return head ? bertCrfTagger(base, head, options) : base;
}

/**
 * A model folder saved by a run (a checkpoint or `best/`) as a trainable tagger of `profile`, with `train`
 * (if given) encoded for it: a word-level folder (config.json model_type "word-crf") or a BERT one.
 *
 * @example
 * ```ts
 * import { loadProfile } from "./profile.ts";
 * const tagger = await loadTrainableTagger("outputs/bilstm-crf/best", { profile: await loadProfile("bilstm-crf") });
 * ```
 */
export async function loadTrainableTagger(
  dir: string,
  options: { profile: TrainProfile; train?: readonly Sentence[] },
): Promise<TrainableTagger> {
  const { profile, train } = options;
  if (await isWordCrfFolder(dir)) {
    const singletonUnkRate = profile.model.architecture === "word-crf" ? profile.model.singletonUnkRate : 0;
    return wordCrfTagger(await loadWordCrfModel(dir), {
      train,
      singletonUnkRate,
      evalBatchSize: profile.evalBatchSize,
    });
  }
  const { model, tokenizer } = await loadModelFolder(dir);
  try {
    const labels = Object.keys(model.config.id2label).map((id) => model.config.id2label[id]);
    const head = await readCrfHead(dir, labels.length);
    const encoded = encodeForProfile(tokenizer, profile, labels, train ?? []);
    return bertTaggerFor(model, tokenizer, profile, encoded, head);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The model a fresh run starts from, as a tagger with its training data encoded. */
async function newTagger(args: PrepareOptions & { train: readonly Sentence[] }): Promise<TrainableTagger> {
  const { profile, train, log } = args;
  const spec = profile.model;
  if (spec.architecture === "word-crf") {
    const model = newWordCrfModel(spec.config, {
      labels: profile.labels,
      train,
      seed: profile.seed,
      consistency: spec.consistency,
    });
    log(
      `word-level model: ${model.vocab.wordCount} word keys, ${model.vocab.charCount} characters (from train)`,
    );
    return wordCrfTagger(model, {
      train,
      singletonUnkRate: spec.singletonUnkRate,
      evalBatchSize: profile.evalBatchSize,
    });
  }
  const pretrained = spec.init === "pretrained"
    ? await loadPretrained(spec.source, {
      labels: profile.labels,
      vocab: profile.vocab,
      seed: profile.seed,
      overrides: {
        hidden_dropout_prob: spec.hidden_dropout_prob,
        attention_probs_dropout_prob: spec.attention_probs_dropout_prob,
      },
      log,
    })
    : undefined;
  const tokenizer = pretrained?.tokenizer ?? await resolveVocab(profile.vocab!, log);
  let model = pretrained?.model;
  try {
    const positions = pretrained?.model.config.max_position_embeddings;
    if (positions !== undefined && (profile.maxLength ?? 0) > positions) {
      throw new Error(
        `maxLength ${profile.maxLength} exceeds the model's max_position_embeddings ${positions}; ` +
          `set maxLength to at most ${positions}`,
      );
    }
    const encoded = encodeForProfile(tokenizer, profile, profile.labels, train);
    model ??= await scratchModel({ ...args, tokenizer, train: encoded });
    const head = spec.crf ? newCrfHead(profile.labels.length) : undefined;
    return bertTaggerFor(model, tokenizer, profile, encoded, head);
  } catch (error) {
    model?.dispose();
    throw error;
  }
}

/**
 * A token classifier trained from scratch: randomly initialised, or — with a `pretraining` section — with an
 * encoder first pretrained by MLM on the training text. The pretrained starting point is saved to
 * `outputs/<run>/pretrained/` (what the run started from, for the record).
 */
async function scratchModel(
  args: PrepareOptions & { tokenizer: BertTokenizer; train: EncodedSplit },
): Promise<BertForTokenClassification> {
  const { profile, tokenizer, train, layout, log } = args;
  if (profile.model.init !== "scratch") throw new Error("scratchModel: the profile's model is pretrained");
  const config = makeBertConfig(
    { ...profile.model.config, vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.specialIds.pad },
    { labels: profile.labels, source: `profile ${profile.name}` },
  );
  const mlm = profile.pretraining;
  if (!mlm) return BertForTokenClassification.create(config, { seed: profile.seed });
  log(`MLM pretraining: ${mlm.epochs} epochs over the training text, top ${mlm.topTokens} WordPieces`);
  const values = await pretrainEncoder({
    sizes: profile.model.config,
    tokenizer,
    windows: train.windows,
    mlm,
    seed: profile.seed,
    maxGradNorm: profile.maxGradNorm,
    weightDecay: profile.weightDecay,
    events: args.events,
    signal: args.signal,
  });
  try {
    const model = BertForTokenClassification.create(config, { seed: profile.seed, values });
    await saveModelFolder(model, tokenizer, layout.pretrained);
    return model;
  } finally {
    for (const tensor of values.values()) tensor.dispose();
  }
}
