/**
 * BERT configuration: Hugging Face `config.json` keys, HF's defaults for the keys an old config leaves out,
 * label maps, and validation with errors that say which key is wrong.
 *
 * @module
 */
import type { BertConfig } from "../types.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";

/** The defaults of transformers' `BertConfig` (BERT-base), used for keys a `config.json` does not set. */
export const BERT_DEFAULTS: Omit<BertConfig, "id2label" | "label2id"> = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: "gelu",
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  model_type: "bert",
};

/**
 * The largest value of each size key this project accepts: far above any BERT (BERT-large: 24 layers of 1024,
 * 4096 intermediate; multilingual vocabs: 250k), yet small enough that a typo (`num_hidden_layers: 1e9`) is
 * refused before anything is allocated.
 */
export const CONFIG_LIMITS = {
  vocab_size: 1_000_000,
  hidden_size: 16_384,
  num_hidden_layers: 256,
  num_attention_heads: 256,
  intermediate_size: 65_536,
  max_position_embeddings: 65_536,
  type_vocab_size: 1024,
  labels: 10_000,
  /** Of the whole model, counted by {@link bertParameterCount} (BERT-large has 0.33 billion). */
  parameters: 2_000_000_000,
} as const;

/**
 * How many parameters a BERT token classifier of `config` has (embeddings, encoder layers, the head).
 *
 * @example
 * ```ts
 * bertParameterCount({
 *   vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, intermediate_size: 3072,
 *   max_position_embeddings: 512, type_vocab_size: 2, labels: 2,
 * }); // 108_893_186 (BERT-base with a 2-label head)
 * ```
 */
export function bertParameterCount(
  config:
    & Pick<
      BertConfig,
      | "vocab_size"
      | "hidden_size"
      | "num_hidden_layers"
      | "intermediate_size"
      | "max_position_embeddings"
      | "type_vocab_size"
    >
    & { labels: number },
): number {
  const h = config.hidden_size, ffn = config.intermediate_size;
  const embeddings = (config.vocab_size + config.max_position_embeddings + config.type_vocab_size + 2) * h;
  const layer = 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h) + 4 * h;
  return embeddings + config.num_hidden_layers * layer + config.labels * (h + 1);
}

/** Options of {@link makeBertConfig}. */
export interface MakeConfigOptions {
  /** Label names in id order; sets `id2label`/`label2id` (replacing any in the config). */
  labels?: readonly string[];
  /** Where the values came from, named in errors (e.g. a config.json path). */
  source?: string;
}

/**
 * Builds a complete, validated {@link BertConfig} from a (partial) HF `config.json` object: missing keys take
 * HF's defaults; `labels` replaces the label maps; without labels and without maps, HF's default of two labels
 * `LABEL_0`, `LABEL_1` applies. Unknown keys are kept (they round-trip to config.json).
 *
 * @example
 * ```ts
 * const config = makeBertConfig({ hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2,
 *   intermediate_size: 512, vocab_size: 28996 }, { labels: ["O", "B-Chemical", "I-Chemical"] });
 * ```
 */
export function makeBertConfig(values: Record<string, unknown>, options: MakeConfigOptions = {}): BertConfig {
  const source = options.source ?? "BERT config";
  // Defaults would otherwise fill in a BERT around another architecture's config (e.g. a word-level model).
  if (values.model_type !== undefined && values.model_type !== "bert") {
    throw new Error(`${source}: model_type ${JSON.stringify(values.model_type)} is not a BERT model`);
  }
  const config = { ...BERT_DEFAULTS, ...values } as BertConfig;
  let labels = options.labels ? [...options.labels] : labelsFromMaps(values, source);
  if (labels.length === 0) {
    const count = typeof values.num_labels === "number" ? values.num_labels : 2;
    if (!(Number.isInteger(count) && count > 0 && count <= CONFIG_LIMITS.labels)) {
      throw new Error(
        `${source}: num_labels must be an integer in 1…${CONFIG_LIMITS.labels}, got ${JSON.stringify(count)}`,
      );
    }
    labels = Array.from({ length: count }, (_, i) => `LABEL_${i}`);
  }
  config.id2label = Object.fromEntries(labels.map((label, i) => [String(i), label]));
  config.label2id = Object.fromEntries(labels.map((label, i) => [label, i]));
  delete config.num_labels; // derived from id2label, as HF does; a stale copy could disagree
  validateBertConfig(config, source);
  return config;
}

/** Label names in id order, from `id2label` (HF writes string keys "0", "1", …). */
export function labelNames(config: Pick<BertConfig, "id2label">): string[] {
  return Object.keys(config.id2label).sort((a, b) => Number(a) - Number(b)).map((key) =>
    config.id2label[key]
  );
}

function labelsFromMaps(values: Record<string, unknown>, source: string): string[] {
  const id2label = values.id2label as Record<string, unknown> | undefined;
  if (id2label === undefined) return [];
  const ids = Object.keys(id2label).map(Number).sort((a, b) => a - b);
  ids.forEach((id, index) => {
    if (id !== index) {
      throw new Error(`${source}: id2label ids must be 0…${ids.length - 1} without gaps; found id ${id}`);
    }
  });
  return ids.map((id) => {
    const label = id2label[String(id)];
    if (typeof label !== "string") throw new Error(`${source}: id2label["${id}"] is not a string`);
    return label;
  });
}

/**
 * Throws a clear error naming the key when `config` cannot describe a BERT token classifier this model runs.
 *
 * @example
 * ```ts
 * declare const config: any; // the example's inputs
 * validateBertConfig(config, "outputs/run/config.json");
 * ```
 */
export function validateBertConfig(config: BertConfig, source = "BERT config"): void {
  const positiveIntegers = [
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "max_position_embeddings",
    "type_vocab_size",
  ] as const;
  for (const key of positiveIntegers) {
    const value = config[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${source}: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    if (value > CONFIG_LIMITS[key]) {
      throw new Error(
        `${source}: ${key} ${value} is over this project's limit of ${
          CONFIG_LIMITS[key]
        } (refused before allocating)`,
      );
    }
  }
  if (config.hidden_size % config.num_attention_heads !== 0) {
    throw new Error(
      `${source}: hidden_size ${config.hidden_size} is not a multiple of num_attention_heads ` +
        `${config.num_attention_heads}`,
    );
  }
  for (const key of ["hidden_dropout_prob", "attention_probs_dropout_prob"] as const) {
    const value = config[key];
    if (typeof value !== "number" || !(value >= 0 && value < 1)) {
      throw new Error(`${source}: ${key} must be a number in [0, 1), got ${JSON.stringify(value)}`);
    }
  }
  const classifierDropout = config.classifier_dropout;
  if (
    classifierDropout != null && !(typeof classifierDropout === "number" && classifierDropout >= 0 &&
      classifierDropout < 1)
  ) {
    throw new Error(`${source}: classifier_dropout must be null or a number in [0, 1)`);
  }
  for (const key of ["initializer_range", "layer_norm_eps"] as const) {
    if (typeof config[key] !== "number" || !(config[key] > 0)) {
      throw new Error(`${source}: ${key} must be a positive number, got ${JSON.stringify(config[key])}`);
    }
  }
  if (config.hidden_act !== "gelu") {
    throw new Error(
      `${source}: hidden_act ${JSON.stringify(config.hidden_act)} is not supported (only "gelu")`,
    );
  }
  const positionType = config.position_embedding_type ?? "absolute";
  if (positionType !== "absolute") {
    throw new Error(`${source}: position_embedding_type ${JSON.stringify(positionType)} is not supported`);
  }
  if (config.model_type !== undefined && config.model_type !== "bert") {
    throw new Error(`${source}: model_type ${JSON.stringify(config.model_type)} is not "bert"`);
  }
  const labels = labelNames(config);
  if (labels.length === 0) throw new Error(`${source}: id2label is empty`);
  if (labels.length > CONFIG_LIMITS.labels) {
    throw new Error(
      `${source}: ${labels.length} labels, over this project's limit of ${CONFIG_LIMITS.labels}`,
    );
  }
  const parameters = bertParameterCount({ ...config, labels: labels.length });
  if (parameters > CONFIG_LIMITS.parameters) {
    throw new Error(
      `${source}: the config describes ${(parameters / 1e9).toPrecision(3)} billion parameters ` +
        `(${(parameters * 4 / 2 ** 30).toPrecision(3)} GiB in float32), over this project's limit of ` +
        `${CONFIG_LIMITS.parameters / 1e9} billion (refused before allocating)`,
    );
  }
  labels.forEach((label, id) => {
    if (config.label2id[label] !== id) {
      throw new Error(
        `${source}: label2id["${label}"] is ${config.label2id[label]}, but id2label says ${id}`,
      );
    }
  });
  if (Object.keys(config.label2id).length !== labels.length) {
    throw new Error(`${source}: label2id and id2label have different sizes (duplicate label names?)`);
  }
}

/**
 * Reads and validates a `config.json`.
 *
 * @example
 * ```ts
 * const config = await readBertConfig("data/fixtures/model/tiny-bert/config.json");
 * ```
 */
export async function readBertConfig(
  path: string,
  options: Omit<MakeConfigOptions, "source"> = {},
): Promise<BertConfig> {
  let values: unknown;
  try {
    values = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" }));
  } catch (error) {
    throw new Error(`cannot read BERT config ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new Error(`${path}: expected a JSON object`);
  }
  return makeBertConfig(values as Record<string, unknown>, { ...options, source: path });
}

/**
 * Checks that a vocabulary of `vocabSize` tokens (`vocabPath`) fits the model's word embeddings
 * (`config.vocab_size` rows): a larger vocab gives ids the model has no row for, which fail at the first text
 * that uses them. A smaller one is fine (embeddings padded to a round size). Throws one line naming both.
 *
 * @example
 * ```ts
 * checkVocabFitsModel(28996, "m/vocab.txt", { vocab_size: 28996 }); // fine
 * checkVocabFitsModel(30000, "m/vocab.txt", { vocab_size: 28996 }); // throws: 30000 tokens, 28996 rows
 * ```
 */
export function checkVocabFitsModel(
  vocabSize: number,
  vocabPath: string,
  config: { vocab_size: number },
): void {
  if (vocabSize <= config.vocab_size) return;
  throw new Error(
    `${vocabPath} has ${vocabSize} tokens but the model has ${config.vocab_size} word embeddings ` +
      `(config.json vocab_size): this vocab is not the model's`,
  );
}
