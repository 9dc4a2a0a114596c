/**
 * What a training profile holds (lib/train/profiles/*.json): its type, section by section, with what each value
 * means, and the list of its keys, so that a value no profile has is refused (lib/train/profile.ts loads and
 * checks profiles).
 *
 * @module
 */
import type { MlmOptions } from "../model/model_type.ts";
import type { ModelSpec } from "../model/registry.ts";

/** A profile's `unifiedTypes` section (see {@link TrainProfile.unifiedTypes}). */
export interface UnifiedTypes {
  mapping: string;
  /** "one" (default): one CRF over the unified labels; "per-corpus": a head per corpus, merged at inference. */
  heads?: "one" | "per-corpus";
  /** One head only: what a corpus's `O` words teach about the types it does not annotate. */
  unannotated?: "open" | "outside";
}

/** One training profile (a file in lib/train/profiles/). */
export interface TrainProfile {
  name: string;
  description: string;
  /** Why the values are what they are (JSON has no comments). */
  comments?: string[];
  /** True for the tiny fixture-only profile whose model means nothing. */
  isSmoke?: boolean;
  /** The model: its architecture's section (a BiLSTM-CRF, a BERT; lib/model/bert/spec.ts, word_crf/spec.ts). */
  model: ModelSpec;
  /**
   * The WordPiece vocabulary: a path to a vocab.txt, `$VAR` for an environment variable holding one, or a
   * hub model id whose vocab.txt is downloaded; several may be listed, the first that resolves wins.
   * Pretrained models use their own folder's vocab.txt when this is absent.
   */
  vocab?: string[];
  /**
   * The labelled sentences: any corpus of the registry (`bc5cdr`, `bc2gm`, `linnaeus`, `bionlp13cg`, …) or
   * folder/file of CoNLL or HF parquet split files, read from its own files (lib/corpus/load.ts; `deno task
   * train --corpus` sets it), or a folder holding train.jsonl, dev.jsonl and test.jsonl in the BIO Sentence
   * format. See lib/corpus/splits.ts.
   */
  data: string;
  /**
   * A `data` list trained as ONE model of unified entity types: `mapping`, a type mapping file
   * (lib/corpus/type_mapping.ts; lib/corpus/unified_types.json is the shipped one), maps every corpus's types
   * to the unified ones. `heads` says how: "one" (default), one CRF over the unified labels, where
   * `unannotated` says what a corpus's `O` words teach about the types it does not annotate — "open": nothing
   * (partial annotation, the marginal likelihood of Greenberg et al. 2018), "outside": that they are not
   * entities (the naive merge, kept to measure against); "per-corpus", a head per corpus over one encoder, each
   * learning its own corpus's types, merged into the unified types at inference
   * (lib/model/word_crf/merged_heads.ts; Wang et al. 2019).
   */
  unifiedTypes?: UnifiedTypes;
  /** The corpus the profile's values were tuned on (chosen on its dev split), for people. */
  tunedOn?: string;
  /**
   * From-scratch models only: masked-language-model pretraining on the training split's text before
   * fine-tuning (see lib/train/pretraining/mlm.ts); null or absent = none.
   */
  pretraining?: MlmOptions | null;
  /**
   * What the final model trains on: "train" (the default: the best epoch is chosen on dev), or "train+dev"
   * (the literature's last step: a fixed number of epochs, chosen beforehand on dev, on both splits; no
   * selection, the last epoch's model is kept, and dev is not evaluated — it was trained on).
   */
  trainOn?: "train" | "train+dev";
  /**
   * With trainOn "train+dev": the model kept is the element-wise mean of the models after each of the last this
   * many epochs (tail averaging, lib/train/average_weights.ts; each is kept in `epochs/<n>/`). Absent or 1: the
   * last epoch's model.
   */
  averageLastEpochs?: number;
  /**
   * Label names; id = index. IOB2 with "O" first. Absent (the shipped profiles): the data's own label set,
   * `O` then `B-`/`I-` of each entity type sorted (lib/train/load_split.ts's `withLabels`).
   */
  labels?: string[];
  /** BERT only: subword tokens per window, [CLS] and [SEP] included. */
  maxLength?: number;
  /** BERT only: subword tokens of context two windows of a long sentence share. */
  stride?: number;
  batchSize: number;
  evalBatchSize: number;
  learningRate: number;
  weightDecay: number;
  /** Fraction of all optimizer steps spent warming up. */
  warmupRatio: number;
  epochs: number;
  maxGradNorm: number;
  seed: number;
  /** Stop after this many epochs without a better dev F1; null = never. */
  earlyStoppingPatience: number | null;
  /** Stop training (then evaluate and test) once this many minutes have passed; null = no limit. */
  timeBudgetMinutes: number | null;
  /** Stop after this many optimizer steps (the schedule is sized to it); null = all epochs. */
  maxSteps: number | null;
  /** Optimizer steps between two step lines of train_log.jsonl. */
  logEverySteps: number;
  /** Optimizer steps between two mid-epoch checkpoints (one is always written after each epoch); null = none. */
  checkpointEverySteps: number | null;
}

/**
 * A profile with its label set known (given, or read from its data); a multi-corpus profile (lib/train/
 * corpus_list.ts) also with each corpus's own.
 */
export type LabelledProfile = TrainProfile & { labels: string[]; corpusLabels?: Record<string, string[]> };

/**
 * Every value a profile may have — with the label sets a run adds to the `profile.json` it saves, so that file
 * loads back: a key not here is a misspelling (typed so the list cannot drift).
 */
export const PROFILE_KEYS: Record<keyof LabelledProfile, true> = {
  name: true,
  description: true,
  comments: true,
  isSmoke: true,
  model: true,
  vocab: true,
  data: true,
  unifiedTypes: true,
  tunedOn: true,
  pretraining: true,
  trainOn: true,
  averageLastEpochs: true,
  labels: true,
  maxLength: true,
  stride: true,
  batchSize: true,
  evalBatchSize: true,
  learningRate: true,
  weightDecay: true,
  warmupRatio: true,
  epochs: true,
  maxGradNorm: true,
  seed: true,
  earlyStoppingPatience: true,
  timeBudgetMinutes: true,
  maxSteps: true,
  logEverySteps: true,
  checkpointEverySteps: true,
  corpusLabels: true,
};
export const UNIFIED_TYPES_KEYS: Record<keyof UnifiedTypes, true> = {
  mapping: true,
  heads: true,
  unannotated: true,
};
