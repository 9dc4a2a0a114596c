/**
 * Word-level model folders: `config.json` (model_type "word-crf", sizes, label maps), `vocab.json` (word and
 * character vocabularies) and `model.safetensors` — read back with every size checked against the others.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { consistencyOptionsProblems } from "../../bio/consistency.ts";
import { labelSetProblems } from "../../bio/labels.ts";
import { readSafetensors, serializeSafetensors } from "../formats/safetensors.ts";
import type { StateDict } from "../types.ts";
import { writeDirAtomic } from "../../util/atomic.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import { type WordCrfConfig, WordCrfNetwork } from "./network.ts";
import { WordVocab, type WordVocabFile } from "./vocab.ts";

/** The `model_type` of a word-level model's config.json. */
export const WORD_CRF_MODEL_TYPE = "word-crf";

/** The weights file of a word-level model folder. */
export const WORD_CRF_WEIGHTS_FILE = "model.safetensors";

/** A word-level model with the vocabularies it reads words through. */
export interface WordCrfModel {
  network: WordCrfNetwork;
  vocab: WordVocab;
}

/**
 * The largest value of each size of a word-level model (config.json and profiles): ten times the largest in
 * common use or more — Lample et al. (words 100, characters 25, LSTM 100), Ma & Hovy (words 100, characters
 * 30, 30 filters of width 3, LSTM 200), ELMo's character CNN (2,048 filters of widths up to 7 over words cut at
 * 50 characters; LSTMs of 4,096 units), this project's bilstm-crf profile (100, 30, 100 filters of width 3, 24
 * characters, 200) — yet a typo is refused before anything is allocated. They matter most where no weight
 * bounds a size: `max_word_chars` has none (each distinct spelling of a batch is a row of up to that many
 * characters: 1,000,000 passed 2.5 GB on a 215 KB line of 20,000 distinct words and one of 100,000
 * characters), and beside a tiny other dimension `char_kernel`, `word_dim`, `char_dim` or `shape_dim` keep the
 * weight file small while each word's activations grow with them (`char_kernel: 1000000` with an 8 MB weight
 * file ran past 60 s and 1 GB on one short sentence). Vocabularies: up to a million word keys or characters
 * (BC5CDR's training split has 8,312 word keys and 80 characters).
 */
export const WORD_CRF_CONFIG_LIMITS = {
  word_vocab_size: 1_000_000,
  char_vocab_size: 1_000_000,
  word_dim: 4_096,
  char_dim: 1_024,
  char_filters: 4_096,
  char_kernel: 16,
  max_word_chars: 256,
  shape_dim: 1_024,
  hidden_size: 4_096,
} as const;

/** A size of a word-level model with a limit in {@link WORD_CRF_CONFIG_LIMITS}. */
export type WordCrfSizeKey = keyof typeof WORD_CRF_CONFIG_LIMITS;

/**
 * One line per size of `keys` in `values` that is not an integer within its bounds: at least 1 (2 for
 * `max_word_chars`: a cut word keeps its first and last characters), at most its
 * {@link WORD_CRF_CONFIG_LIMITS}. Each names its key after `prefix` (`"model.config."` in a profile).
 *
 * @example
 * ```ts
 * wordCrfSizeProblems({ char_kernel: 1e6 }, ["char_kernel"]);
 * // ["char_kernel must be an integer in [1, 16], got 1000000"]
 * ```
 */
export function wordCrfSizeProblems(
  values: Readonly<Record<string, unknown>>,
  keys: readonly WordCrfSizeKey[],
  prefix = "",
): string[] {
  return keys.flatMap((key) => {
    const value = values[key], least = key === "max_word_chars" ? 2 : 1;
    const most = WORD_CRF_CONFIG_LIMITS[key];
    return Number.isInteger(value) && (value as number) >= least && (value as number) <= most
      ? []
      : [`${prefix}${key} must be an integer in [${least}, ${most}], got ${JSON.stringify(value)}`];
  });
}

/**
 * Checks a parsed config.json of a word-level model: every size an integer within
 * {@link WORD_CRF_CONFIG_LIMITS}, dropout in [0, 1), labels with ids 0..K−1 forming a label set
 * lib/bio/labels.ts accepts.
 *
 * @example
 * ```ts
 * declare const values: any; // the example's inputs
 * const config = validateWordCrfConfig(values, "outputs/run/best/config.json");
 * ```
 */
export function validateWordCrfConfig(values: Record<string, unknown>, source: string): WordCrfConfig {
  const problems: string[] = [];
  if (values.model_type !== WORD_CRF_MODEL_TYPE) problems.push(`model_type must be "${WORD_CRF_MODEL_TYPE}"`);
  problems.push(...wordCrfSizeProblems(values, Object.keys(WORD_CRF_CONFIG_LIMITS) as WordCrfSizeKey[]));
  const dropout = values.dropout;
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1)) {
    problems.push("dropout must be in [0, 1)");
  }
  if (typeof values.initializer_range !== "number" || !(values.initializer_range > 0)) {
    problems.push("initializer_range must be > 0");
  }
  problems.push(...consistencyOptionsProblems(values.consistency, "consistency"));
  const id2label = values.id2label as Record<string, unknown> | undefined;
  const ids = Object.keys(id2label ?? {});
  if (!id2label || ids.length < 2 || ids.some((id, i) => id !== String(i) && !ids.includes(String(i)))) {
    problems.push("id2label must map ids 0..K−1 (K ≥ 2) to labels");
  } else {
    problems.push(...labelSetProblems(ids.sort((a, b) => Number(a) - Number(b)).map((id) => id2label[id])));
  }
  if (problems.length > 0) throw new Error(`${source}: invalid word-crf config: ${problems.join("; ")}`);
  const labels = Object.entries(id2label!).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, l]) =>
    String(l)
  );
  return {
    ...(values as unknown as WordCrfConfig),
    label2id: Object.fromEntries(labels.map((label, id) => [label, id])),
  };
}

/**
 * Saves a word-level model folder atomically (it appears complete or not at all).
 *
 * @example
 * ```ts
 * declare const model: WordCrfModel; // the example's inputs
 * await saveWordCrfModel(model, "outputs/bilstm-crf/best");
 * ```
 */
export async function saveWordCrfModel(model: WordCrfModel, dir: string): Promise<void> {
  const stateDict: StateDict = new Map();
  for (const [name, variable] of model.network.parameters) {
    stateDict.set(name, {
      shape: variable.shape,
      data: await variable.data() as Float32Array,
      storedAs: "F32",
    });
  }
  const weights = serializeSafetensors(stateDict);
  await writeDirAtomic(dir, async (tmp) => {
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(model.network.config, null, 2) + "\n");
    await Deno.writeTextFile(join(tmp, "vocab.json"), JSON.stringify(model.vocab.file) + "\n");
    await Deno.writeFile(join(tmp, WORD_CRF_WEIGHTS_FILE), weights);
  });
}

/**
 * Whether a folder's parsed config.json (undefined: none readable) is a word-level model's: model_type
 * "word-crf".
 *
 * @example
 * ```ts
 * isWordCrfConfig({ model_type: "bert" }); // false
 * ```
 */
export function isWordCrfConfig(config: Record<string, unknown> | undefined): boolean {
  return config?.model_type === WORD_CRF_MODEL_TYPE;
}

/** Reads a JSON object file, naming the file in every error. */
async function readJsonObject(path: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    // vocab.json holds a vocabulary: it gets a vocab file's limit, config.json a settings file's.
    const kind = path.endsWith("vocab.json") ? "vocab file" : "JSON settings file";
    value = JSON.parse(await readTextFileBounded(path, { kind }));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${path}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads a word-level model folder's config.json and vocab.json, checked against each other (the vocabularies
 * must have the sizes the config gives): what every runtime reads words through.
 *
 * @example
 * ```ts
 * const { config, vocab } = await readWordCrfConfigAndVocab("outputs/bilstm-crf/best");
 * ```
 */
export async function readWordCrfConfigAndVocab(
  dir: string,
): Promise<{ config: WordCrfConfig; vocab: WordVocab }> {
  const configPath = join(dir, "config.json");
  const config = validateWordCrfConfig(await readJsonObject(configPath), configPath);
  const vocabPath = join(dir, "vocab.json");
  const file = await readJsonObject(vocabPath) as unknown as WordVocabFile;
  const lists = ["words", "wordCounts", "chars"] as const;
  if (lists.some((key) => !Array.isArray(file[key]))) {
    throw new Error(`${vocabPath}: needs words, wordCounts, chars`);
  }
  if (file.words.length !== config.word_vocab_size || file.chars.length !== config.char_vocab_size) {
    throw new Error(
      `${vocabPath}: ${file.words.length} words and ${file.chars.length} characters, but ${configPath} says ` +
        `word_vocab_size ${config.word_vocab_size} and char_vocab_size ${config.char_vocab_size}`,
    );
  }
  return { config, vocab: new WordVocab(file, { maxWordChars: config.max_word_chars }) };
}

/**
 * Loads a word-level model folder saved by {@link saveWordCrfModel}: the vocabularies must have the sizes the
 * config gives and every weight the shape the config implies. `shared` variables (a multi-corpus model's
 * encoder, already loaded) are used instead of the folder's copies of them.
 *
 * @example
 * ```ts
 * const { network, vocab } = await loadWordCrfModel("outputs/bilstm-crf/best");
 * ```
 */
export async function loadWordCrfModel(
  dir: string,
  options: { shared?: ReadonlyMap<string, tf.Variable> } = {},
): Promise<WordCrfModel> {
  const { config, vocab } = await readWordCrfConfigAndVocab(dir);
  const weightsPath = join(dir, WORD_CRF_WEIGHTS_FILE);
  const stateDict = await readSafetensors(weightsPath);
  const parameters = new Map<string, tf.Tensor>();
  try {
    for (const [name, tensor] of stateDict) {
      parameters.set(name, tf.tensor(tensor.data, tensor.shape, "float32"));
    }
    return { network: new WordCrfNetwork(config, { parameters, shared: options.shared }), vocab };
  } catch (error) {
    throw new Error(`${weightsPath}: ${(error as Error).message}`, { cause: error });
  } finally {
    tf.dispose([...parameters.values()]);
  }
}
