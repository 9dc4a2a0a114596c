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

const SIZE_KEYS = [
  "word_vocab_size",
  "char_vocab_size",
  "word_dim",
  "char_dim",
  "char_filters",
  "char_kernel",
  "max_word_chars",
  "shape_dim",
  "hidden_size",
] as const;

/** Largest value a size may have: ten times BC5CDR's needs, far below what would exhaust memory. */
const MAX_SIZE = 1_000_000;

/**
 * Checks a parsed config.json of a word-level model: every size a positive integer (≤ 10⁶), dropout in [0, 1),
 * labels with ids 0..K−1 forming a label set lib/bio/labels.ts accepts.
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
  for (const key of SIZE_KEYS) {
    const value = values[key];
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SIZE) {
      problems.push(`${key} must be an integer in [1, ${MAX_SIZE}], got ${JSON.stringify(value)}`);
    }
  }
  if (!(Number.isInteger(values.max_word_chars) && (values.max_word_chars as number) >= 2)) {
    problems.push("max_word_chars must be at least 2");
  }
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
