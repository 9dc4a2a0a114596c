/**
 * Training profiles: JSON config files in `lib/train/profiles/` (`bilstm-crf`, `biobert`, `cpu-small`, `smoke`,
 * …), loaded, overridden (`--set key=value`) and validated before any training starts: the values every run
 * has here, the `model` section by its architecture (lib/model/registry.ts).
 *
 * @module
 */
import { join } from "node:path";
import { labelSetProblems } from "../bio/labels.ts";
import { profileChecks } from "../model/profile_checks.ts";
import { architectureOf, ARCHITECTURES } from "../model/registry.ts";
import { PROJECT_ROOT, resolveProjectPath } from "../util/paths.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { PROFILE_KEYS, type TrainProfile, UNIFIED_TYPES_KEYS, type UnifiedTypes } from "./profile_type.ts";

// Corpus readers resolve a profile's paths through this module.
export { resolveProjectPath };

/** Folder of the shipped profiles. */
export const PROFILES_DIR: string = join(PROJECT_ROOT, "lib/train/profiles");

/** The sections of a profile each architecture reads, declared with it (lib/model/bert/, lib/model/word_crf/). */
export type { MlmOptions } from "../model/model_type.ts";
export type { ModelSpec } from "../model/registry.ts";
export type { ScratchModelConfig } from "../model/types.ts";
export type { LabelledProfile, TrainProfile, UnifiedTypes } from "./profile_type.ts";

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
