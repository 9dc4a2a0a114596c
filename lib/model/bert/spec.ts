/**
 * The BERT architecture as a training profile declares it (`model.architecture: "bert"`, the default): the
 * profile's `model` section (pretrained weights or a model from scratch, optionally with a CRF head), its
 * checks, and what it trains described for people.
 *
 * @module
 */
import { join } from "node:path";
import type { Architecture, MlmOptions, ModelProfile } from "../model_type.ts";
import { profileChecks } from "../profile_checks.ts";
import type { BertConfig, ScratchModelConfig } from "../types.ts";
import { makeBertConfig, readBertConfig } from "./config.ts";
import { localOrHub, resolveVocab } from "./folder.ts";
import { bertParameterSpecs } from "./network.ts";
import { resolveModelDir } from "./pretrained.ts";

/** The `model` section of a BERT profile: a token classifier, pretrained or from scratch. */
export type BertSpec =
  | {
    architecture?: "bert";
    /** A randomly initialised BERT (HF init: normal, std 0.02) of the given size. */
    init: "scratch";
    config: ScratchModelConfig;
    /** A CRF head over the word tags (lib/model/crf/head.ts) instead of per-word softmax decisions. */
    crf?: boolean;
  }
  | {
    architecture?: "bert";
    /** Pretrained weights: a local Hugging Face layout folder or a hub model id. */
    init: "pretrained";
    /** A CRF head over the word tags (lib/model/crf/head.ts) instead of per-word softmax decisions. */
    crf?: boolean;
    source: string;
    /** Dropout override for fine-tuning; the pretrained config's values otherwise. */
    hidden_dropout_prob?: number;
    attention_probs_dropout_prob?: number;
  };

/** Sizes of a BERT model a profile trains. */
export interface BertModelSummary {
  architecture: "bert";
  init: "scratch" | "pretrained";
  source: string;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  parameters: number;
}

const SCRATCH_SIZES = [
  "hidden_size",
  "num_hidden_layers",
  "num_attention_heads",
  "intermediate_size",
] as const;

/** The keys of any member of a union (`keyof` of a union gives only the shared ones). */
type KeyOfAny<T> = T extends unknown ? keyof T : never;

/** The `model` section's values of either kind, its scratch `config`'s and `pretraining`'s (typed: no drift). */
const SPEC_KEYS: Record<KeyOfAny<BertSpec>, true> = {
  architecture: true,
  init: true,
  config: true,
  crf: true,
  source: true,
  hidden_dropout_prob: true,
  attention_probs_dropout_prob: true,
};
const SCRATCH_CONFIG_KEYS: Record<keyof ScratchModelConfig, true> = {
  hidden_size: true,
  num_hidden_layers: true,
  num_attention_heads: true,
  intermediate_size: true,
  max_position_embeddings: true,
  hidden_dropout_prob: true,
  attention_probs_dropout_prob: true,
};
const PRETRAINING_KEYS: Record<keyof MlmOptions, true> = {
  epochs: true,
  learningRate: true,
  warmupRatio: true,
  batchSize: true,
  topTokens: true,
  maskProbability: true,
};

/** The BERT architecture of profiles (`model.architecture: "bert"` or none). */
export const BERT_ARCHITECTURE: Architecture<BertSpec, BertModelSummary> = {
  name: "bert",
  description: "a BERT token classifier",
  profileProblems(profile: ModelProfile<BertSpec>): string[] {
    const { problems, positiveInt, probability, knownKeys } = profileChecks();
    const model = profile.model;
    knownKeys("model", model, Object.keys(SPEC_KEYS));
    knownKeys("pretraining", profile.pretraining, Object.keys(PRETRAINING_KEYS));
    if (model?.init === "scratch") {
      const c = model.config ?? {} as ScratchModelConfig;
      knownKeys("model.config", c, Object.keys(SCRATCH_CONFIG_KEYS));
      for (const key of SCRATCH_SIZES) positiveInt(`model.config.${key}`, c[key]);
      positiveInt("model.config.max_position_embeddings", c.max_position_embeddings);
      if (c.hidden_size % c.num_attention_heads !== 0) {
        problems.push(
          `model.config.num_attention_heads (${c.num_attention_heads}) must divide ` +
            `hidden_size (${c.hidden_size})`,
        );
      }
      probability("model.config.hidden_dropout_prob", c.hidden_dropout_prob);
      probability("model.config.attention_probs_dropout_prob", c.attention_probs_dropout_prob);
      if (c.max_position_embeddings < (profile.maxLength ?? 0)) {
        problems.push(
          `maxLength (${profile.maxLength}) exceeds model.config.max_position_embeddings ` +
            `(${c.max_position_embeddings})`,
        );
      }
      if (!profile.vocab) problems.push("vocab is required for a model trained from scratch");
      const mlm = profile.pretraining;
      if (mlm) {
        for (const key of ["epochs", "batchSize", "topTokens"] as const) {
          positiveInt(`pretraining.${key}`, mlm[key]);
        }
        if (!(mlm.learningRate > 0)) problems.push("pretraining.learningRate must be > 0");
        probability("pretraining.warmupRatio", mlm.warmupRatio);
        probability("pretraining.maskProbability", mlm.maskProbability, { allowUndefined: true });
      }
    } else if (model?.init === "pretrained") {
      if (typeof model.source !== "string" || model.source === "") problems.push("model.source must be set");
      probability("model.hidden_dropout_prob", model.hidden_dropout_prob, { allowUndefined: true });
      probability("model.attention_probs_dropout_prob", model.attention_probs_dropout_prob, {
        allowUndefined: true,
      });
    } else {
      problems.push(`model.init must be "scratch" or "pretrained" (or model.architecture "word-crf")`);
    }
    positiveInt("maxLength", profile.maxLength);
    const { stride = NaN, maxLength = NaN } = profile;
    if (!Number.isInteger(stride) || stride < 0 || stride >= maxLength - 2) {
      problems.push(`stride must be an integer in [0, maxLength - 2)`);
    }
    return problems;
  },
  async summarize(profile) {
    const spec = profile.model;
    let config: BertConfig;
    let source: string;
    if (spec.init === "scratch") {
      const tokenizer = await resolveVocab(profile.vocab!);
      config = makeBertConfig({ ...spec.config, vocab_size: tokenizer.vocabSize }, {
        labels: profile.labels,
      });
      source = "random init (HF: normal, std 0.02)" +
        (profile.pretraining ? ", then MLM on the training text" : "");
    } else {
      const dir = await resolveModelDir(await localOrHub(spec.source));
      config = await readBertConfig(join(dir, "config.json"), { labels: profile.labels });
      source = spec.source;
    }
    const parameters = bertParameterSpecs(config).reduce(
      (sum, parameter) => sum + parameter.shape.reduce((a, b) => a * b, 1),
      0,
    );
    return {
      architecture: "bert",
      init: spec.init,
      source,
      layers: config.num_hidden_layers,
      hidden: config.hidden_size,
      heads: config.num_attention_heads,
      intermediate: config.intermediate_size,
      vocabSize: config.vocab_size,
      parameters,
    };
  },
};
