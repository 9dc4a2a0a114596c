/**
 * Saved predictions of a model on a split: `outputs/<run>/predictions/<split>.jsonl`, one {@link Sentence} per
 * line whose tags are the model's (first-subword rule, as in training's evaluation). Reused while they are
 * newer than the model and match the sentences; otherwise the model tags the sentences again.
 *
 * @module
 */
import { join } from "node:path";
import { readSentencesJsonl, writeSentencesJsonl } from "../bio/jsonl.ts";
import type { Sentence } from "../bio/types.ts";

/** Options of {@link loadOrPredict}. */
export interface PredictionsOptions {
  /** A trained model folder (Hugging Face layout: config.json, model.safetensors, vocab.txt). */
  modelDir: string;
  /** The sentences to tag (their gold tags are not used). */
  sentences: readonly Sentence[];
  /** Where the predictions are kept, e.g. outputs/<run>/predictions/test.jsonl. */
  path: string;
  /** Windows per forward pass. Default 64. */
  batchSize?: number;
  /** Progress messages. Default: stderr. */
  log?: (message: string) => void;
}

/** Modification time of a file in ms, or undefined when it does not exist. */
async function modified(path: string): Promise<number | undefined> {
  return await Deno.stat(path).then((s) => s.mtime?.getTime(), () => undefined);
}

/** Whether saved predictions belong to these sentences (same count, documents, sentence indices, words). */
function matches(saved: readonly Sentence[], sentences: readonly Sentence[]): boolean {
  return saved.length === sentences.length &&
    saved.every((s, i) =>
      s.docId === sentences[i].docId && s.index === sentences[i].index &&
      s.words.length === sentences[i].words.length
    );
}

/**
 * The model's predictions for `sentences`: read from `path` when they are up to date, else computed with
 * the model (lib/predict's pipeline, on the backend it picks) and saved there atomically.
 *
 * @example
 * ```ts
 * declare const test: any; // the example's inputs
 * const predicted = await loadOrPredict({
 *   modelDir: "outputs/cpu-small/best",
 *   sentences: test,
 *   path: "outputs/cpu-small/predictions/test.jsonl",
 * });
 * ```
 */
export async function loadOrPredict(options: PredictionsOptions): Promise<Sentence[]> {
  const log = options.log ?? ((message: string) => console.error(`[predictions] ${message}`));
  const { modelDir, sentences, path } = options;
  const modelTime = await modified(join(modelDir, "model.safetensors")) ??
    await modified(join(modelDir, "config.json"));
  if (modelTime === undefined) {
    throw new Error(`${modelDir} is not a model folder (no model.safetensors / config.json)`);
  }
  const savedTime = await modified(path);
  if (savedTime !== undefined && savedTime >= modelTime) {
    const saved = await readSentencesJsonl(path);
    if (matches(saved, sentences)) {
      log(`reusing ${path}`);
      return saved;
    }
    log(`${path} is for other sentences: predicting again`);
  }
  // The model stack (tfjs) loads only when there is something to predict.
  const { createNerPipeline } = await import("../predict/pipeline.ts");
  // Evaluation scores the trained weights themselves (tfjs), whatever an ONNX export beside them would give.
  const ner = await createNerPipeline({
    model: modelDir,
    batchSize: options.batchSize ?? 64,
    runtime: "tfjs",
  });
  try {
    const started = performance.now();
    const tags = await ner.tagSentences(sentences);
    const predicted = sentences.map((s, i) => ({ ...s, tags: tags[i] }));
    await writeSentencesJsonl(path, predicted);
    log(
      `tagged ${sentences.length} sentences with ${modelDir} on ${ner.backend} in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s → ${path}`,
    );
    return predicted;
  } finally {
    ner.dispose();
  }
}
