/**
 * Word-level model folders: `config.json` (model_type "word-crf", sizes, label maps), `vocab.json` (word and
 * character vocabularies) and `model.safetensors` — read back with every size checked against the others.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, serializeSafetensors } from "../formats/safetensors.ts";
import type { StateDict } from "../types.ts";
import { writeDirAtomic } from "../../util/atomic.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import { type WordCrfConfig, WordCrfNetwork } from "./network.ts";
import type { WordVocab } from "./vocab.ts";
import { validateWordCrfConfig, wordVocabOf } from "./config.ts";

export {
  isWordCrfConfig,
  validateWordCrfConfig,
  WORD_CRF_CONFIG_LIMITS,
  WORD_CRF_MODEL_TYPE,
  type WordCrfSizeKey,
  wordCrfSizeProblems,
  wordVocabOf,
} from "./config.ts";

/** The weights file of a word-level model folder. */
export const WORD_CRF_WEIGHTS_FILE = "model.safetensors";

/** A word-level model with the vocabularies it reads words through. */
export interface WordCrfModel {
  network: WordCrfNetwork;
  vocab: WordVocab;
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
  const vocab = wordVocabOf(await readJsonObject(vocabPath), config, { vocabPath, configPath });
  return { config, vocab };
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
