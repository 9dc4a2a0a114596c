/**
 * What a profile will train, for people: the model's size and the label set.
 *
 * @module
 */
import { join } from "node:path";
import { bertParameterSpecs, makeBertConfig, readBertConfig, resolveModelDir } from "../../model/mod.ts";
import type { BertConfig } from "../../model/types.ts";
import { localOrHub, resolveVocab } from "../../model/bert/folder.ts";
import { withLabels } from "../load_split.ts";
import type { TrainProfile } from "../profile.ts";
import { DEFAULT_OUTPUTS_DIR } from "../run_layout.ts";

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

/** What a profile trains, and the label set it trains for (given by the profile or read from its data). */
export type ModelSummary = (BertModelSummary | WordCrfModelSummary) & { labels: string[] };

/**
 * The model a profile trains (for a pretrained BERT, its config.json is read: downloaded for a hub id).
 *
 * @example
 * ```ts
 * import { loadProfile } from "../profile.ts";
 * const summary = await summarizeModel(await loadProfile("cpu-small")); // { layers: 4, hidden: 256, … }
 * ```
 */
export async function summarizeModel(
  given: TrainProfile,
  options: { outputsDir?: string } = {},
): Promise<ModelSummary> {
  const profile = await withLabels(given, { outputsDir: options.outputsDir ?? DEFAULT_OUTPUTS_DIR });
  const { labels } = profile;
  if (profile.model.architecture === "word-crf") {
    const c = profile.model.config;
    return {
      labels,
      architecture: "word-crf",
      source: "random init; word and character vocabularies from the training split",
      wordFeatures: `word ${c.word_dim} + characters ${c.char_filters} + shape ${c.shape_dim}`,
      hidden: c.hidden_size,
      dropout: c.dropout,
    };
  }
  let config: BertConfig;
  let source: string;
  if (profile.model.init === "scratch") {
    const tokenizer = await resolveVocab(profile.vocab!);
    config = makeBertConfig({ ...profile.model.config, vocab_size: tokenizer.vocabSize }, {
      labels: profile.labels,
    });
    source = "random init (HF: normal, std 0.02)" +
      (profile.pretraining ? ", then MLM on the training text" : "");
  } else {
    const dir = await resolveModelDir(await localOrHub(profile.model.source));
    config = await readBertConfig(join(dir, "config.json"), { labels: profile.labels });
    source = profile.model.source;
  }
  const parameters = bertParameterSpecs(config).reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1),
    0,
  );
  return {
    labels,
    architecture: "bert",
    init: profile.model.init,
    source,
    layers: config.num_hidden_layers,
    hidden: config.hidden_size,
    heads: config.num_attention_heads,
    intermediate: config.intermediate_size,
    vocabSize: config.vocab_size,
    parameters,
  };
}
