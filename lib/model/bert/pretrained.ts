/**
 * Model folders in the Hugging Face layout: load a token classifier from a folder or a hub id (weights from
 * model.safetensors or pytorch_model.bin), and save a fine-tuned one (config.json with its labels,
 * model.safetensors, vocab.txt, tokenizer.json, tokenizer_config.json), atomically.
 *
 * @module
 */
import { join } from "node:path";
import { validateLabelSet } from "../../bio/labels.ts";
import { bertTokenizerConfig, bertTokenizerJson } from "../../tokenizer/bert.ts";
import { writeDirAtomic } from "../../util/atomic.ts";
import type { BertForTokenClassification } from "./network.ts";
import { labelNames, readBertConfig, validateBertConfig } from "./config.ts";
import { downloadModel, type DownloadModelOptions, findWeights, isLocalModelPath } from "../hub.ts";
import { readPytorchCheckpoint } from "../formats/pytorch.ts";
import { readSafetensors, serializeSafetensors } from "../formats/safetensors.ts";
import { formatLoadReport, type LoadReport, modelFromStateDict, stateDictFromModel } from "./state_dict.ts";
import type { StateDict } from "../types.ts";

/** Options of {@link loadTokenClassifier}. */
export interface LoadOptions {
  /**
   * Label names for a NEW classification head (fine-tuning a base model such as BioBERT): the checkpoint's
   * head, if any, must match them in size; parameters the checkpoint lacks are initialised and reported.
   * Without labels, the folder must hold a complete token classifier (missing weights are an error).
   */
  labels?: readonly string[];
  /** Seed of newly initialised parameters. Default 0. */
  seed?: number;
  /** Config values to override (e.g. dropout rates). */
  overrides?: Record<string, unknown>;
  /** Where HF's load report and download messages go. Default stderr. */
  log?: (message: string) => void;
  /** Hub download options, when `source` is a model id. */
  download?: DownloadModelOptions;
}

/**
 * The folder of `source`: itself when it is a directory, else the download of hub model id `source`. A
 * `source` that reads as a path ({@link isLocalModelPath}) is never looked up on the hub.
 *
 * @example
 * ```ts
 * await resolveModelDir("dmis-lab/biobert-base-cased-v1.1"); // "…/data/cache/models/dmis-lab/biobert-base-cased-v1.1"
 * ```
 */
export async function resolveModelDir(source: string, download: DownloadModelOptions = {}): Promise<string> {
  if (await Deno.stat(source).then((stat) => stat.isDirectory, () => false)) return source;
  if (await isLocalModelPath(source)) {
    throw new Error(`model folder "${source}" does not exist (a path: not looked up on the hub)`);
  }
  return await downloadModel(source, download);
}

/**
 * The state dict of a model folder: model.safetensors, else pytorch_model.bin.
 *
 * @example
 * ```ts
 * const stateDict = await readModelWeights("data/fixtures/model/tiny-bert");
 * ```
 */
export async function readModelWeights(dir: string): Promise<StateDict> {
  const path = await findWeights(dir);
  if (!path) throw new Error(`${dir}: no model.safetensors or pytorch_model.bin`);
  return path.endsWith(".safetensors") ? await readSafetensors(path) : await readPytorchCheckpoint(path);
}

/**
 * Loads a BertForTokenClassification from a HF-layout folder or a hub model id. Its labels (the folder's, or
 * `labels` for a new head) must be a label set lib/bio/labels.ts accepts.
 *
 * @example
 * ```ts
 * // A fine-tuned model, for inference:
 * const model = await loadTokenClassifier("outputs/biobert/best");
 * // A base model with a new head, for fine-tuning (HF's missing/unexpected keys report goes to stderr):
 * const base = await loadTokenClassifier("dmis-lab/biobert-base-cased-v1.1", { labels: ["O", "B-Chemical", "I-Chemical"] });
 * ```
 */
export async function loadTokenClassifier(
  source: string,
  options: LoadOptions = {},
): Promise<BertForTokenClassification> {
  return (await loadTokenClassifierWithReport(source, options)).model;
}

/**
 * {@link loadTokenClassifier}, also returning the folder it loaded and the load report.
 *
 * @example
 * ```ts
 * declare const dir: any, labels: any; // the example's inputs
 * const { model, report } = await loadTokenClassifierWithReport(dir, { labels });
 * report.missingKeys; // ["classifier.weight", "classifier.bias"] for a base model
 * ```
 */
export async function loadTokenClassifierWithReport(
  source: string,
  options: LoadOptions = {},
): Promise<{ model: BertForTokenClassification; report: LoadReport; dir: string }> {
  const log = options.log ?? ((message: string) => console.error(message));
  // Without an explicit log, downloads draw their progress bar on stderr.
  const dir = await resolveModelDir(source, { ...(options.log ? { log } : {}), ...options.download });
  const config = await readBertConfig(join(dir, "config.json"), { labels: options.labels });
  validateLabelSet(labelNames(config), options.labels ? "the labels given" : `${dir}/config.json`);
  Object.assign(config, options.overrides);
  validateBertConfig(config, `${dir}/config.json with overrides`);
  const { model, report } = modelFromStateDict(config, await readModelWeights(dir), {
    seed: options.seed,
    source: dir,
    requireComplete: !options.labels,
  });
  const message = formatLoadReport(report, source);
  if (message) log(message);
  return { model, report, dir };
}

/**
 * Saves `model` as a HF-layout folder that transformers and this project load: config.json (with
 * architectures, id2label/label2id), model.safetensors, vocab.txt, tokenizer.json and tokenizer_config.json
 * (do_lower_case false). The folder appears complete or not at all.
 *
 * @example
 * ```ts
 * declare const model: any, tokenizer: any; // the example's inputs
 * await saveTokenClassifier(model, "outputs/run/best", { vocab: tokenizer.vocab });
 * ```
 */
export async function saveTokenClassifier(
  model: BertForTokenClassification,
  dir: string,
  options: {
    vocab: readonly string[];
    /** More files of the folder, by name (e.g. a CRF head), written inside the same atomic swap. */
    extraFiles?: Record<string, Uint8Array>;
  },
): Promise<void> {
  const { vocab } = options;
  if (vocab.length !== model.config.vocab_size) {
    throw new Error(`vocab has ${vocab.length} tokens, the model's vocab_size is ${model.config.vocab_size}`);
  }
  const weights = serializeSafetensors(await stateDictFromModel(model));
  const config = { ...model.config, architectures: ["BertForTokenClassification"], model_type: "bert" };
  const tokenizerConfig = bertTokenizerConfig(model.config.max_position_embeddings);
  await writeDirAtomic(dir, async (tmp) => {
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    await Deno.writeFile(join(tmp, "model.safetensors"), weights);
    for (const [name, bytes] of Object.entries(options.extraFiles ?? {})) {
      await Deno.writeFile(join(tmp, name), bytes);
    }
    await Deno.writeTextFile(join(tmp, "vocab.txt"), vocab.map((token) => `${token}\n`).join(""));
    await Deno.writeTextFile(join(tmp, "tokenizer.json"), JSON.stringify(bertTokenizerJson(vocab)));
    await Deno.writeTextFile(
      join(tmp, "tokenizer_config.json"),
      JSON.stringify(tokenizerConfig, null, 2) + "\n",
    );
  });
}
