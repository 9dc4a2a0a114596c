/**
 * Multi-corpus word-level models: one encoder (word, character and shape features, BiLSTM) shared by one
 * output head (emissions + CRF, its own label set) per corpus. On disk a folder of ordinary word-level model
 * folders, one per corpus, each holding the shared encoder and that corpus's head — so every tool that loads a
 * word-level folder (ner, serve, evaluation, the notebooks) uses a corpus's model as it is:
 *
 * ```
 * <dir>/
 *   corpora.json     {"corpora": ["bc5cdr", "bionlp13cg"]}: the heads, in training order
 *   bc5cdr/          config.json, vocab.json, model.safetensors (encoder + the bc5cdr head)
 *   bionlp13cg/      the same encoder and vocabularies + the bionlp13cg head
 * ```
 *
 * @module
 */
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs-core";
import { writeDirAtomic } from "../../util/atomic.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";
import { loadWordCrfModel, saveWordCrfModel, type WordCrfModel } from "./folder.ts";
import { WORD_CRF_HEAD_PARAMETERS } from "./network.ts";

/** The file naming a multi-corpus folder's heads. */
export const CORPORA_FILE = "corpora.json";

/** A multi-corpus model: per corpus an ordinary word-level model; all share one encoder and vocabulary. */
export interface MultiWordCrfModel {
  /** Head names (corpus names as in file names), in training order; each is a subfolder's name. */
  corpora: string[];
  /** The model of each corpus (same order): the shared encoder's variables, its own head's. */
  models: WordCrfModel[];
}

/**
 * The encoder variables of a word-level model (everything but the head): what the other corpora's models share.
 *
 * @example
 * ```ts
 * import type { WordCrfModel } from "./folder.ts";
 * declare const model: WordCrfModel; // the example's inputs
 * encoderVariables(model).has("lstm.input_kernel"); // true
 * ```
 */
export function encoderVariables(model: WordCrfModel): Map<string, tf.Variable> {
  return new Map(
    [...model.network.parameters].filter(([name]) => !WORD_CRF_HEAD_PARAMETERS.includes(name)),
  );
}

/**
 * Saves a multi-corpus model folder atomically: corpora.json and one word-level folder per corpus.
 *
 * @example
 * ```ts
 * declare const model: MultiWordCrfModel; // the example's inputs
 * await saveMultiWordCrfModel(model, "outputs/bilstm-crf-bc5cdr-bionlp13cg/best");
 * ```
 */
export async function saveMultiWordCrfModel(model: MultiWordCrfModel, dir: string): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    for (const [i, name] of model.corpora.entries()) await saveWordCrfModel(model.models[i], join(tmp, name));
    await Deno.writeTextFile(join(tmp, CORPORA_FILE), JSON.stringify({ corpora: model.corpora }) + "\n");
  });
}

/**
 * Whether `dir` holds a multi-corpus model (a corpora.json).
 *
 * @example
 * ```ts
 * await isMultiWordCrfFolder("outputs/bilstm-crf/best"); // false: a one-corpus run's folder
 * ```
 */
export async function isMultiWordCrfFolder(dir: string): Promise<boolean> {
  return await Deno.stat(join(dir, CORPORA_FILE)).then((info) => info.isFile, () => false);
}

/**
 * The corpus folders of multi-corpus folder `dir` (corpora.json's `corpora`: at least two folder names), in
 * training order; a one-line error naming the file otherwise.
 *
 * @example
 * ```ts
 * await readCorpusFolders("outputs/bilstm-crf-bc5cdr-bionlp13cg/best"); // ["bc5cdr", "bionlp13cg"]
 * ```
 */
export async function readCorpusFolders(dir: string): Promise<string[]> {
  const path = join(dir, CORPORA_FILE);
  let corpora: unknown;
  try {
    corpora = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" })).corpora;
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (
    !Array.isArray(corpora) || corpora.length < 2 ||
    corpora.some((name) => typeof name !== "string" || !/^[\w.-]+$/.test(name) || /^\.+$/.test(name))
  ) {
    throw new Error(`${path}: "corpora" must list at least two folder names`);
  }
  return corpora;
}

/**
 * Loads a folder saved by {@link saveMultiWordCrfModel}: the encoder is read once (from the first corpus's
 * folder) and shared; each other folder contributes its head.
 *
 * @example
 * ```ts
 * const { corpora, models } = await loadMultiWordCrfModel("outputs/bilstm-crf-bc5cdr-bionlp13cg/checkpoint");
 * ```
 */
export async function loadMultiWordCrfModel(dir: string): Promise<MultiWordCrfModel> {
  const corpora = await readCorpusFolders(dir);
  const models: WordCrfModel[] = [];
  try {
    for (const name of corpora) {
      const shared = models.length > 0 ? encoderVariables(models[0]) : undefined;
      models.push(await loadWordCrfModel(join(dir, name), { shared }));
    }
  } catch (error) {
    disposeMultiWordCrfModel({ corpora, models });
    throw error;
  }
  return { corpora, models };
}

/**
 * Frees a multi-corpus model: every head, and the shared encoder once.
 *
 * @example
 * ```ts
 * declare const model: MultiWordCrfModel; // the example's inputs
 * disposeMultiWordCrfModel(model);
 * ```
 */
export function disposeMultiWordCrfModel(model: MultiWordCrfModel): void {
  // The first model owns the encoder: the others (which borrow it) go first.
  for (const { network } of [...model.models].reverse()) network.dispose();
}
