/**
 * The word-level architecture as a training profile declares it (`model.architecture: "word-crf"`): the
 * profile's `model` section, its checks, and what it trains described for people.
 *
 * @module
 */
import { consistencyOptionsProblems } from "../../bio/consistency.ts";
import type { Architecture, ModelProfile } from "../model_type.ts";
import { profileChecks } from "../profile_checks.ts";
import { type WordCrfSizeKey, wordCrfSizeProblems } from "./config.ts";
import type { WordCrfConfig, WordCrfSizes } from "./network.ts";

/** The `model` section of a word-level profile: a BiLSTM-CRF trained from scratch. */
export interface WordCrfSpec {
  architecture: "word-crf";
  /** Sizes (config.json keys); the vocabularies are built from the training split. */
  config: WordCrfSizes;
  /** Probability that a word seen once in training reads as `<unk>` in a training batch. */
  singletonUnkRate: number;
  /** Document consistency rules (lib/bio/consistency.ts) stored with the model; default none. */
  consistency?: WordCrfConfig["consistency"];
  init?: undefined;
}

/** Sizes of a word-level model a profile trains (its vocabularies come from the training split). */
export interface WordCrfModelSummary {
  architecture: "word-crf";
  source: string;
  /** What each word's vector is made of, e.g. "word 100 + characters 100 + shape 8". */
  wordFeatures: string;
  /** Units of each LSTM direction. */
  hidden: number;
  dropout: number;
}

/** The sizes a profile gives (the vocabularies' come from the data), each within WORD_CRF_CONFIG_LIMITS. */
const PROFILE_SIZES: readonly WordCrfSizeKey[] = [
  "word_dim",
  "char_dim",
  "char_filters",
  "char_kernel",
  "max_word_chars",
  "shape_dim",
  "hidden_size",
];

/** The `model` section's values and its `config`'s (typed so the lists cannot drift). */
const SPEC_KEYS: Record<keyof WordCrfSpec, true> = {
  architecture: true,
  config: true,
  singletonUnkRate: true,
  consistency: true,
  init: true,
};
const CONFIG_KEYS: Record<keyof WordCrfSizes, true> = {
  word_dim: true,
  char_dim: true,
  char_filters: true,
  char_kernel: true,
  max_word_chars: true,
  shape_dim: true,
  hidden_size: true,
  dropout: true,
};

/** The word-level architecture of profiles (`model.architecture: "word-crf"`). */
export const WORD_CRF_ARCHITECTURE: Architecture<WordCrfSpec, WordCrfModelSummary> = {
  name: "word-crf",
  description: "a word-level model",
  profileProblems(profile: ModelProfile<WordCrfSpec>): string[] {
    const { problems, probability, knownKeys } = profileChecks();
    const model = profile.model;
    const c = model.config ?? {} as WordCrfSizes;
    knownKeys("model", model, Object.keys(SPEC_KEYS));
    knownKeys("model.config", c, Object.keys(CONFIG_KEYS));
    problems.push(...wordCrfSizeProblems(c, PROFILE_SIZES, "model.config."));
    probability("model.config.dropout", c.dropout);
    probability("model.singletonUnkRate", model.singletonUnkRate);
    problems.push(...consistencyOptionsProblems(model.consistency, "model.consistency"));
    if (profile.pretraining) problems.push("pretraining (MLM) applies to BERT models only");
    return problems;
  },
  summarize(profile) {
    const c = profile.model.config;
    return Promise.resolve({
      architecture: "word-crf",
      source: "random init; word and character vocabularies from the training split",
      wordFeatures: `word ${c.word_dim} + characters ${c.char_filters} + shape ${c.shape_dim}`,
      hidden: c.hidden_size,
      dropout: c.dropout,
    });
  },
};
