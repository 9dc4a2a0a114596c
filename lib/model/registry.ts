/**
 * The model types, keyed by `model_type` (config.json's value; "word-crf-multi" for a multi-corpus folder):
 * what training (lib/train/prepare.ts) and inference (lib/predict/runtime.ts) look a model up by — a folder
 * by what it holds ({@link modelTypeOfFolder}), a profile by its architecture and its number of corpora
 * ({@link modelTypeForProfile}). Each entry ({@link ModelType}, model_type.ts) builds, loads, saves, scores,
 * checks profiles and exports for its architecture; adding an architecture is one folder of lib/model and one
 * entry here.
 *
 * @module
 */
import { join } from "node:path";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { BERT_TYPE } from "./bert/type.ts";
import type { BertModelSummary, BertSpec } from "./bert/spec.ts";
import type { Architecture, ModelType } from "./model_type.ts";
import type { WordCrfModelSummary, WordCrfSpec } from "./word_crf/spec.ts";
import { WORD_CRF_MULTI_TYPE, WORD_CRF_TYPE } from "./word_crf/type.ts";

/** A profile's `model` section: one architecture's. */
export type ModelSpec = BertSpec | WordCrfSpec;

/** What a profile's architecture trains, for people (lib/train/run/summary.ts). */
export type ArchitectureSummary = BertModelSummary | WordCrfModelSummary;

/**
 * Every model type, in the order a folder is matched against them: BERT last, as any folder no other type
 * claims is read as BERT (whose loader then says what is wrong with it).
 */
export const MODEL_TYPES: readonly ModelType<ModelSpec, ArchitectureSummary>[] = [
  WORD_CRF_MULTI_TYPE,
  WORD_CRF_TYPE,
  BERT_TYPE,
];

/** The architectures profiles name (`model.architecture`; none: "bert"). */
export const ARCHITECTURES: readonly Architecture<ModelSpec, ArchitectureSummary>[] = [
  ...new Set(MODEL_TYPES.map((type) => type.architecture)),
];

/**
 * The architecture a profile's `model` section names ("bert" when it names none), or undefined when it names
 * no known one.
 *
 * @example
 * ```ts
 * architectureOf({ architecture: "word-crf" })?.name; // "word-crf"
 * architectureOf({})?.name; // "bert"
 * ```
 */
export function architectureOf(
  spec: { architecture?: string } | undefined,
): Architecture<ModelSpec, ArchitectureSummary> | undefined {
  const name = spec?.architecture ?? "bert";
  return ARCHITECTURES.find((architecture) => architecture.name === name);
}

/**
 * The model type that trains a profile's architecture on `corpora` corpora (one, or several at once); a
 * one-line error when none does.
 *
 * @example
 * ```ts
 * modelTypeForProfile({ name: "bilstm-crf", model: { architecture: "word-crf" } }, 2).modelType; // "word-crf-multi"
 * ```
 */
export function modelTypeForProfile(
  profile: { name: string; data?: string; model: { architecture?: string } },
  corpora: number,
): ModelType<ModelSpec, ArchitectureSummary> {
  const architecture = architectureOf(profile.model);
  const count = corpora > 1 ? "several" : "one";
  const type = MODEL_TYPES.find((type) => type.architecture === architecture && type.corpora === count);
  if (type) return type;
  const able = [
    ...new Set(MODEL_TYPES.filter((type) => type.corpora === count).map((type) => type.architecture)),
  ];
  const training = count === "several"
    ? `multi-corpus training (data "${profile.data}")`
    : "one-corpus training";
  throw new Error(
    `profile ${profile.name}: ${training} needs ` +
      able.map((a) => `${a.description} (model.architecture "${a.name}")`).join(" or "),
  );
}

/**
 * The model type of the model folder `dir`: the first of {@link MODEL_TYPES} that holds it (read from its
 * config.json's model_type, or its own marker file).
 *
 * @example
 * ```ts
 * (await modelTypeOfFolder("data/fixtures/model/tiny-bert")).modelType; // "bert"
 * ```
 */
export async function modelTypeOfFolder(dir: string): Promise<ModelType<ModelSpec, ArchitectureSummary>> {
  const config = await readFolderConfig(dir);
  for (const type of MODEL_TYPES) if (await type.holds(dir, config)) return type;
  throw new Error(`${dir}: no model type holds it`); // unreachable: BERT holds any folder
}

/** A folder's parsed config.json, or undefined when it has none readable (its type's loader then says why). */
async function readFolderConfig(dir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const config = JSON.parse(
      await readTextFileBounded(join(dir, "config.json"), { kind: "JSON settings file" }),
    );
    return typeof config === "object" && config !== null ? config : undefined;
  } catch {
    return undefined;
  }
}
