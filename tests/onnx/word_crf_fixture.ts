/**
 * Word-level model folders (random weights at toy sizes, vocabularies from the synthetic training fixtures) in
 * temporary folders, exported or not: one corpus, or a multi-corpus folder of two.
 *
 * @module
 */
import { join } from "node:path";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import {
  disposeMultiWordCrfModel,
  newMultiWordCrfModel,
  newWordCrfModel,
  saveMultiWordCrfModel,
  saveWordCrfModel,
} from "../../lib/model/word_crf/mod.ts";
import { exportWordCrfOnnx } from "../../lib/model/word_crf/onnx_export.ts";

/** Sizes a few times smaller than the bilstm-crf profile's: a folder in milliseconds. */
export const WORD_SIZES = {
  word_dim: 8,
  char_dim: 6,
  char_filters: 8,
  char_kernel: 3,
  max_word_chars: 8,
  shape_dim: 3,
  hidden_size: 8,
  dropout: 0,
};

export const WORD_LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

/** Sentences the fixtures' vocabularies are built from. */
export const TRAIN_SENTENCES = (await readSentencesJsonl(
  new URL("../../data/fixtures/train/train.jsonl", import.meta.url).pathname,
)).slice(0, 40);

/**
 * A word-level model folder (`dir`, random weights of `seed`, `reportedTypes` in its config), exported unless
 * `exported: false`; with `multi`,
 * a multi-corpus folder of two corpora `a` and `b` (exported each). Removed on dispose.
 *
 * @example
 * ```ts
 * await using model = await wordCrfFixture();
 * ```
 */
export async function wordCrfFixture(
  options: { exported?: boolean; multi?: boolean; seed?: number; reportedTypes?: Record<string, string> } =
    {},
): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const root = await Deno.makeTempDir();
  const dir = join(root, "word-crf");
  const seed = options.seed ?? 3;
  if (options.multi) {
    const corpus = (name: string) => ({ name, labels: WORD_LABELS, sentences: TRAIN_SENTENCES });
    const model = newMultiWordCrfModel(WORD_SIZES, { train: [corpus("a"), corpus("b")], seed });
    await saveMultiWordCrfModel(model, dir);
    disposeMultiWordCrfModel(model);
    if (options.exported ?? true) { for (const name of ["a", "b"]) await exportWordCrfOnnx(join(dir, name)); }
  } else {
    const model = newWordCrfModel(WORD_SIZES, {
      labels: WORD_LABELS,
      train: TRAIN_SENTENCES,
      seed,
      reportedTypes: options.reportedTypes,
    });
    await saveWordCrfModel(model, dir);
    model.network.dispose();
    if (options.exported ?? true) await exportWordCrfOnnx(dir);
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}
