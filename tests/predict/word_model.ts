/**
 * A word-level model folder for inference tests: the bilstm-crf-smoke profile's sizes, random weights (seeded)
 * over a few words — its tags mean nothing but vary; its costs (memory per word, time per batch) are those of a
 * real model of that size.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { newWordCrfModel, saveWordCrfModel, type WordCrfModel } from "../../lib/model/word_crf/mod.ts";

/** The bilstm-crf-smoke profile's model sizes. */
export const SMOKE_SIZES = {
  word_dim: 16,
  char_dim: 8,
  char_filters: 16,
  char_kernel: 3,
  max_word_chars: 16,
  shape_dim: 4,
  hidden_size: 16,
  dropout: 0.2,
};

export const WORD_LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

const WORDS = ["Cisplatin", "caused", "nephrotoxicity", "in", "rats", "(", ")", ".", ",", "of", "the"];

/**
 * A fresh random word-level model in memory (call after `initBackend`); free with `tf.dispose` of its
 * parameters.
 */
export function newSmokeWordModel(): WordCrfModel {
  const train = [{
    docId: "d",
    index: 0,
    start: 0,
    end: 0,
    words: WORDS.map((text) => ({ text, start: 0, end: 0 })),
    tags: WORDS.map(() => "O"),
  }];
  const model = newWordCrfModel(SMOKE_SIZES, { labels: WORD_LABELS, train, seed: 5 });
  // Freshly initialised, it tags nearly every word alike: wide emission and transition weights make its tags
  // vary from word to word (entities of every length), as a trained model's do.
  let seed = 11;
  for (const name of ["word_embeddings.weight", "emissions.weight"]) {
    const variable = model.network.parameters.get(name)!;
    tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 2, "float32", seed++)));
  }
  return model;
}

/** The model of {@link newSmokeWordModel} saved in a temporary folder, removed on dispose. */
export async function wordModelFolder(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  await initBackend();
  const root = await Deno.makeTempDir();
  const dir = join(root, "word-model");
  const model = newSmokeWordModel();
  await saveWordCrfModel(model, dir);
  tf.dispose([...model.network.parameters.values()]);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}
