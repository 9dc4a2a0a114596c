/**
 * Training profiles: JSON config files in `lib/train/profiles/` (`bilstm-crf`, `biobert`, `cpu-small`, `smoke`,
 * …), loaded, overridden (`--set key=value`) and validated before any training starts: the values every run
 * has here, the `model` section by its architecture (lib/model/registry.ts).
 *
 * @module
 */
import { join } from "node:path";
import { labelSetProblems } from "../bio/labels.ts";
import type { MlmOptions } from "../model/model_type.ts";
import { profileChecks } from "../model/profile_checks.ts";
import { architectureOf, ARCHITECTURES, type ModelSpec } from "../model/registry.ts";
import { PROJECT_ROOT, resolveProjectPath } from "../util/paths.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";

// Corpus readers resolve a profile's paths through this module.
export { resolveProjectPath };

/** Folder of the shipped profiles. */
export const PROFILES_DIR: string = join(PROJECT_ROOT, "lib/train/profiles");

/** The sections of a profile each architecture reads, declared with it (lib/model/bert/, lib/model/word_crf/). */
export type { MlmOptions } from "../model/model_type.ts";
export type { ModelSpec } from "../model/registry.ts";
export type { ScratchModelConfig } from "../model/types.ts";

/** A profile's `unifiedTypes` section (see {@link TrainProfile.unifiedTypes}). */
export interface UnifiedTypes {
  mapping: string;
  /** "one" (default): one CRF over the unified labels; "per-corpus": a head per corpus, merged at inference. */
  heads?: "one" | "per-corpus";
  /** One head only: what a corpus's `O` words teach about the types it does not annotate. */
  unannotated?: "open" | "outside";
}

/**
 * Whether a profile's unified types are learnt by one CRF over the unified labels (not by per-corpus heads).
 *
 * @example
 * ```ts
 * oneUnifiedHead({ mapping: "lib/corpus/unified_types.json", unannotated: "open" }); // true
 * oneUnifiedHead({ mapping: "lib/corpus/unified_types.json", heads: "per-corpus" }); // false
 * ```
 */
export function oneUnifiedHead(unified: UnifiedTypes | undefined): boolean {
  return unified !== undefined && unified.heads !== "per-corpus";
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

/** Every value a profile may have: a key not here is a misspelling (typed so the list cannot drift). */
const PROFILE_KEYS: Record<keyof TrainProfile, true> = {
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
};
const UNIFIED_TYPES_KEYS: Record<keyof UnifiedTypes, true> = {
  mapping: true,
  heads: true,
  unannotated: true,
};

/**
 * A profile with its label set known (given, or read from its data); a multi-corpus profile (lib/train/
 * corpus_list.ts) also with each corpus's own.
 */
export type LabelledProfile = TrainProfile & { labels: string[]; corpusLabels?: Record<string, string[]> };

/** The names of the shipped profiles. */
export const PROFILE_NAMES = [
  "biobert",
  "bilstm-crf",
  "bilstm-crf-all",
  "bilstm-crf-smoke",
  "cpu-small",
  "smoke",
] as const;

/**
 * Loads a profile by name (a file of lib/train/profiles/) or path (a .json file), applies `overrides`
 * (dotted keys, e.g. `{"model.source": "tests/fixtures/tiny", "epochs": 1}`) and validates it.
 *
 * @example
 * ```ts
 * const profile = await loadProfile("cpu-small", { epochs: 2 });
 * ```
 */
export async function loadProfile(
  nameOrPath: string,
  overrides: Record<string, unknown> = {},
): Promise<TrainProfile> {
  const path = nameOrPath.endsWith(".json") ? nameOrPath : join(PROFILES_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = await readTextFileBounded(path, { kind: "JSON settings file" });
  } catch {
    const known = PROFILE_NAMES.join(", ");
    throw new Error(`profile "${nameOrPath}" not found (looked for ${path}); known profiles: ${known}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`profile ${path}: invalid JSON (${(error as Error).message})`);
  }
  const profile = applyOverrides(raw as TrainProfile, overrides);
  validateProfile(profile, path);
  return profile;
}

/**
 * A copy of `profile` with dotted-key `overrides` set (`"model.source"` sets `profile.model.source`).
 *
 * @example
 * ```ts
 * declare const profile: any; // the example's inputs
 * applyOverrides(profile, { "model.config.num_hidden_layers": 2 });
 * ```
 */
export function applyOverrides(profile: TrainProfile, overrides: Record<string, unknown>): TrainProfile {
  const copy = structuredClone(profile) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const parts = key.split(".");
    let target = copy;
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== "object" || target[part] === null) {
        throw new Error(`override "${key}": "${part}" is not an object in the profile`);
      }
      target = target[part] as Record<string, unknown>;
    }
    target[parts.at(-1)!] = value;
  }
  return copy as unknown as TrainProfile;
}

/**
 * Throws one error listing every impossible or missing value of `profile` (`where` names the file).
 *
 * @example
 * ```ts
 * declare const profile: any; // the example's inputs
 * validateProfile(profile, "lib/train/profiles/cpu-small.json");
 * ```
 */
export function validateProfile(profile: TrainProfile, where = profile.name): void {
  const { problems, positiveInt, probability, knownKeys } = profileChecks();
  knownKeys("", profile, Object.keys(PROFILE_KEYS));
  knownKeys("unifiedTypes", profile.unifiedTypes, Object.keys(UNIFIED_TYPES_KEYS));
  const nullOrPositiveInt = (key: string, value: unknown) => {
    if (value !== null) positiveInt(key, value);
  };

  if (typeof profile.name !== "string" || !/^[\w.-]+$/.test(profile.name)) {
    problems.push("name must be letters, digits, '.', '_' or '-'");
  }
  if (typeof profile.data !== "string" || profile.data === "") {
    problems.push("data must be a non-empty string");
  }
  if (profile.vocab !== undefined && (!Array.isArray(profile.vocab) || profile.vocab.length === 0)) {
    problems.push("vocab must be a non-empty list of sources");
  }
  if (profile.labels !== undefined) problems.push(...labelSetProblems(profile.labels));
  if (profile.unifiedTypes !== undefined) {
    const { mapping, heads, unannotated } = profile.unifiedTypes ?? {};
    if (typeof mapping !== "string" || mapping === "") {
      problems.push("unifiedTypes.mapping must be a file path");
    }
    if (heads !== undefined && heads !== "one" && heads !== "per-corpus") {
      problems.push(`unifiedTypes.heads must be "one" or "per-corpus"`);
    } else if (heads === "per-corpus" && unannotated !== undefined) {
      problems.push(`unifiedTypes.unannotated is for one head: a corpus's head learns only its own types`);
    } else if (heads !== "per-corpus" && unannotated !== "open" && unannotated !== "outside") {
      problems.push(`unifiedTypes.unannotated must be "open" or "outside"`);
    }
    if (profile.model?.architecture !== "word-crf") {
      problems.push(`unifiedTypes needs model.architecture "word-crf" (CRF heads of unified types)`);
    }
    if (profile.labels !== undefined) problems.push('unifiedTypes gives the labels: remove "labels"');
  }
  const architecture = architectureOf(profile.model);
  if (architecture) problems.push(...architecture.profileProblems(profile));
  else {
    const known = ARCHITECTURES.map((a) => `"${a.name}"`).join(", ");
    problems.push(
      `model.architecture must be one of ${known}, got ${JSON.stringify(profile.model?.architecture)}`,
    );
  }
  if (profile.trainOn !== undefined && profile.trainOn !== "train" && profile.trainOn !== "train+dev") {
    problems.push(`trainOn must be "train" or "train+dev"`);
  }
  if (profile.trainOn === "train+dev" && profile.earlyStoppingPatience !== null) {
    problems.push("earlyStoppingPatience needs dev to select on: set it to null with trainOn train+dev");
  }
  if (profile.averageLastEpochs !== undefined) {
    positiveInt("averageLastEpochs", profile.averageLastEpochs);
    if (profile.averageLastEpochs > profile.epochs) problems.push("averageLastEpochs must be at most epochs");
    if (profile.averageLastEpochs > 1 && profile.trainOn !== "train+dev") {
      problems.push(
        'averageLastEpochs needs trainOn "train+dev": with dev selection best/ is the best epoch',
      );
    }
  }
  positiveInt("batchSize", profile.batchSize);
  positiveInt("evalBatchSize", profile.evalBatchSize);
  positiveInt("epochs", profile.epochs);
  positiveInt("logEverySteps", profile.logEverySteps);
  if (!(profile.learningRate > 0)) problems.push("learningRate must be > 0");
  if (!(profile.weightDecay >= 0)) problems.push("weightDecay must be >= 0");
  probability("warmupRatio", profile.warmupRatio);
  if (!(profile.maxGradNorm > 0)) problems.push("maxGradNorm must be > 0");
  if (!Number.isInteger(profile.seed)) problems.push("seed must be an integer");
  nullOrPositiveInt("earlyStoppingPatience", profile.earlyStoppingPatience);
  nullOrPositiveInt("maxSteps", profile.maxSteps);
  nullOrPositiveInt("checkpointEverySteps", profile.checkpointEverySteps);
  if (profile.timeBudgetMinutes !== null && !(profile.timeBudgetMinutes > 0)) {
    problems.push("timeBudgetMinutes must be > 0 or null");
  }
  if (problems.length > 0) {
    throw new Error(`invalid training profile ${where}:\n  - ${problems.join("\n  - ")}`);
  }
}
