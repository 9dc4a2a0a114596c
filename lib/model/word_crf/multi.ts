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
 * A multi-corpus model trained for unified types (profile `unifiedTypes.heads: "per-corpus"`) also carries, in
 * corpora.json's `unified`, which unified type each head's types are: what merges its heads into one tagger of
 * the unified types (merged_heads.ts).
 *
 * @module
 */
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs-core";
import { labelsOfTypes } from "../../bio/labels.ts";
import { type ReportedTypes, reportedTypesProblems } from "../../bio/reported_types.ts";
import { parseTag } from "../../bio/tags.ts";
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
  /** The unified types its heads tag, when it was trained for them (absent: heads used one at a time). */
  unified?: UnifiedHeads;
}

/** Which unified type each head's entity types are (corpora.json's `unified`). */
export interface UnifiedHeads {
  /** The unified types; the merged tagger's labels are lib/bio/labels.ts's `labelsOfTypes` of them. */
  types: string[];
  /** Per head (corpus name), its entity types' unified types; a type not listed is not reported. */
  heads: Record<string, Record<string, string>>;
  /** Unified types reported as another in entities (lib/bio/reported_types.ts). */
  reported?: ReportedTypes;
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
    const file = { corpora: model.corpora, ...(model.unified ? { unified: model.unified } : {}) };
    await Deno.writeTextFile(join(tmp, CORPORA_FILE), JSON.stringify(file, null, 2) + "\n");
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
  return (await readCorporaFile(dir)).corpora;
}

/**
 * corpora.json of multi-corpus folder `dir`, checked: its corpus folders and, when it has them, its unified
 * types; a one-line error naming the file and the field otherwise.
 *
 * @example
 * ```ts
 * const { corpora, unified } = await readCorporaFile("outputs/bilstm-crf-all/best");
 * unified?.heads.bc5cdr; // { Chemical: "Chemical", Disease: "Disease" }
 * ```
 */
export async function readCorporaFile(dir: string): Promise<{ corpora: string[]; unified?: UnifiedHeads }> {
  const path = join(dir, CORPORA_FILE);
  let file: { corpora?: unknown; unified?: unknown };
  try {
    file = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" }));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const { corpora, unified } = file ?? {};
  if (
    !Array.isArray(corpora) || corpora.length < 2 ||
    corpora.some((name) => typeof name !== "string" || !/^[\w.-]+$/.test(name) || /^\.+$/.test(name))
  ) {
    throw new Error(`${path}: "corpora" must list at least two folder names`);
  }
  if (unified === undefined) return { corpora };
  const problem = unifiedHeadsProblems(unified, corpora)[0];
  if (problem) throw new Error(`${path}: ${problem}`);
  return { corpora, unified: unified as UnifiedHeads };
}

/** What is wrong with corpora.json's `unified` for heads `corpora`, one line each. */
function unifiedHeadsProblems(value: unknown, corpora: readonly string[]): string[] {
  const unified = value as Partial<UnifiedHeads>;
  const isObject = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObject(unified)) return [`"unified" must be an object`];
  const { types, heads, reported } = unified;
  if (
    !Array.isArray(types) || types.length === 0 || new Set(types).size !== types.length ||
    types.some((type) => typeof type !== "string" || !parseTag(`B-${type}`))
  ) {
    return [`"unified.types" must list distinct entity type names`];
  }
  if (!isObject(heads)) return [`"unified.heads" must be an object (corpus → its types' unified types)`];
  const problems: string[] = [];
  for (const corpus of corpora) {
    const own = heads![corpus];
    if (!isObject(own)) problems.push(`"unified.heads" has no object for corpus ${corpus}`);
    else {
      for (const [from, to] of Object.entries(own)) {
        if (typeof to !== "string" || !types.includes(to)) {
          problems.push(
            `"unified.heads.${corpus}.${from}": ${JSON.stringify(to)} is not one of unified.types`,
          );
        }
      }
    }
  }
  return [...problems, ...reportedTypesProblems(reported, labelsOfTypes(types), '"unified.reported"')];
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
  const { corpora, unified } = await readCorporaFile(dir);
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
  return { corpora, models, ...(unified ? { unified } : {}) };
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
