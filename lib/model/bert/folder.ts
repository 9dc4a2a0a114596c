/**
 * BERT folders as training uses them: the vocab of a from-scratch model, pretrained weights to fine-tune
 * (local folder or hub id), and trained models saved/loaded as Hugging Face layout folders together with their
 * tokenizer.
 *
 * @module
 */
import { join } from "node:path";
import { downloadModel, isLocalModelPath } from "../hub.ts";
import type { BertForTokenClassification } from "./network.ts";
import { loadTokenClassifier, loadTokenClassifierWithReport, saveTokenClassifier } from "./pretrained.ts";
import { type BertTokenizer, loadBertTokenizer } from "../../tokenizer/mod.ts";
import { isEnvName, readEnv } from "../../util/config.ts";
import { PROJECT_ROOT, resolveProjectPath } from "../../util/paths.ts";

/**
 * The tokenizer of the first vocab source that resolves: `$VAR` (an environment variable holding a vocab.txt
 * path; skipped when unset), a path to a vocab.txt, or a hub model id (its vocab.txt, downloaded).
 *
 * @example
 * ```ts
 * const tokenizer = await resolveVocab(["$BIOBERT_VOCAB", "dmis-lab/biobert-base-cased-v1.1"]);
 * ```
 */
export async function resolveVocab(
  sources: readonly string[],
  log: (message: string) => void = () => {},
): Promise<BertTokenizer> {
  const tried: string[] = [];
  for (const source of sources) {
    if (source.startsWith("$")) {
      const name = source.slice(1);
      if (!isEnvName(name)) {
        throw new Error(`vocab source ${source}: not a variable lib/util/config.ts documents`);
      }
      const value = readEnv(name);
      if (!value) {
        tried.push(`${source} (not set)`);
        continue;
      }
      log(`vocab ${value} (from ${source})`);
      return await loadBertTokenizer(value);
    }
    const path = resolveProjectPath(source);
    if (await Deno.stat(path).then((s) => s.isFile, () => false)) return await loadBertTokenizer(path);
    if (!await isLocalModelPath(source, PROJECT_ROOT)) {
      const dir = await downloadModel(source, { files: ["vocab.txt"], weights: false });
      log(`vocab of ${source} (${dir})`);
      return await loadBertTokenizer(join(dir, "vocab.txt"));
    }
    tried.push(`${source} (no such file)`);
  }
  throw new Error(`no vocab found; tried ${tried.join(", ")}`);
}

/**
 * A profile's model source as lib/model takes it: a folder (relative paths are relative to the project root)
 * when one exists there or the source reads as a path (see isLocalModelPath), else the string itself (a hub
 * model id).
 *
 * @example
 * ```ts
 * await localOrHub("data/fixtures/model/tiny-bert"); // "/…/data/fixtures/model/tiny-bert"
 * await localOrHub("dmis-lab/biobert-base-cased-v1.1"); // "dmis-lab/biobert-base-cased-v1.1"
 * ```
 */
export async function localOrHub(source: string): Promise<string> {
  const local = resolveProjectPath(source);
  if (await Deno.stat(local).then((s) => s.isDirectory, () => false)) return local;
  // A path (even a mistyped one) stays a path: lib/model then says it does not exist.
  return await isLocalModelPath(source, PROJECT_ROOT) ? local : source;
}

/** Options of {@link loadPretrained}. */
export interface LoadPretrainedOptions {
  labels: readonly string[];
  /** Vocab sources overriding the model folder's vocab.txt (see {@link resolveVocab}). */
  vocab?: readonly string[];
  /** Seed of the new classifier head. */
  seed: number;
  /** Config overrides, e.g. dropout rates (undefined values are ignored). */
  overrides?: Record<string, unknown>;
  log?: (message: string) => void;
}

/**
 * Pretrained BERT weights with a new token-classification head for `labels`, from a local Hugging Face folder
 * or a hub model id (downloaded into the cache), and its tokenizer. HF's missing/unexpected keys report goes
 * to `log`.
 *
 * @example
 * ```ts
 * declare const labels: any; // the example's inputs
 * const { model, tokenizer } = await loadPretrained("dmis-lab/biobert-base-cased-v1.1", { labels, seed: 42 });
 * ```
 */
export async function loadPretrained(
  source: string,
  options: LoadPretrainedOptions,
): Promise<{ model: BertForTokenClassification; tokenizer: BertTokenizer }> {
  const log = options.log ?? (() => {});
  const overrides = Object.fromEntries(
    Object.entries(options.overrides ?? {}).filter(([, v]) => v !== undefined),
  );
  const { model, dir } = await loadTokenClassifierWithReport(await localOrHub(source), {
    labels: options.labels,
    seed: options.seed,
    overrides,
    log,
  });
  try {
    const tokenizer = options.vocab
      ? await resolveVocab(options.vocab, log)
      : await loadBertTokenizer(join(dir, "vocab.txt"));
    if (tokenizer.vocabSize !== model.config.vocab_size) {
      throw new Error(
        `the vocab has ${tokenizer.vocabSize} tokens but ${dir}/config.json says vocab_size ` +
          `${model.config.vocab_size}`,
      );
    }
    log(`pretrained ${source} (${dir})`);
    return { model, tokenizer };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * A trained model folder loaded back with its tokenizer (the folder's vocab.txt).
 *
 * @example
 * ```ts
 * const { model, tokenizer } = await loadModelFolder("outputs/cpu-small/best");
 * ```
 */
export async function loadModelFolder(
  dir: string,
): Promise<{ model: BertForTokenClassification; tokenizer: BertTokenizer }> {
  const model = await loadTokenClassifier(dir);
  try {
    return { model, tokenizer: await loadBertTokenizer(join(dir, "vocab.txt")) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Saves `model` with its tokenizer's vocab as a Hugging Face layout folder, atomically (see
 * lib/model's `saveTokenClassifier`).
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any; // the example's inputs
 * await saveModelFolder(model, tokenizer, "outputs/cpu-small/best");
 * ```
 */
export async function saveModelFolder(
  model: BertForTokenClassification,
  tokenizer: BertTokenizer,
  dir: string,
): Promise<void> {
  await saveTokenClassifier(model, dir, { vocab: tokenizer.vocab });
}
