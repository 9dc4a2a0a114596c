/**
 * Words in, decoded labels and marginals out, whatever computes the emissions: each sentence's words looked up
 * in the vocabularies, one padded batch, one call for the emissions `[batch, time, K]`, then the CRF decoder
 * (lib/model/crf/decode.ts) per sentence. The tfjs network (scorer.ts) and an ONNX export — in Deno or in the
 * static page's browser (lib/page) — differ only in that one call. No tensors here.
 *
 * @module
 */
import type { ScoredWords } from "../types.ts";
import { makeWordBatch } from "./batch.ts";
import { type CrfScores, decodeSentence, type TransitionRules } from "../crf/decode.ts";
import type { WordBatch } from "./network.ts";
import type { WordVocab } from "./vocab.ts";

/** What {@link scoreWordsWith} decodes with. */
export interface WordScoringParts {
  vocab: WordVocab;
  /** Emission scores of a batch, `[batchSize, seqLength, K]` row-major (padding rows included). */
  emissions(batch: WordBatch): Promise<Float32Array>;
  /** The CRF's scores (read once per call: a model being trained changes them). */
  crfScores(): Promise<CrfScores<Float32Array>>;
  rules: TransitionRules;
}

/**
 * Scores sentences (each a list of word strings) in one batch; an empty sentence gets empty results.
 *
 * @example
 * ```ts
 * import { buildWordVocab, WordVocab } from "./vocab.ts";
 * import { iob2TransitionRules } from "../crf/decode.ts";
 * const vocab = new WordVocab(buildWordVocab(["Naloxone", "."]), { maxWordChars: 16 });
 * const k = 3, rules = iob2TransitionRules(["O", "B-Chemical", "I-Chemical"]);
 * const [scored] = await scoreWordsWith([["Naloxone", "."]], {
 *   vocab,
 *   rules,
 *   // Every word leans to B-Chemical.
 *   emissions: (batch) => Promise.resolve(new Float32Array(batch.batchSize * batch.seqLength * k).map((_, i) => i % k === 1 ? 1 : 0)),
 *   crfScores: () => Promise.resolve({ transitions: new Float32Array(k * k), start: new Float32Array(k), end: new Float32Array(k) }),
 * });
 * scored.labelIds; // [1, 1]
 * ```
 */
export async function scoreWordsWith(
  sentences: readonly (readonly string[])[],
  parts: WordScoringParts,
): Promise<ScoredWords[]> {
  const results: ScoredWords[] = sentences.map(() => ({ labelIds: [], scores: [] }));
  const rows = sentences.flatMap((words, i) => words.length > 0 ? [i] : []);
  if (rows.length === 0) return results;
  const batch = makeWordBatch(rows.map((i) => parts.vocab.encode(sentences[i])));
  const [values, scores] = await Promise.all([parts.emissions(batch), parts.crfScores()]);
  const k = scores.start.length;
  if (values.length !== batch.batchSize * batch.seqLength * k) {
    throw new Error(
      `emissions: ${values.length} values, expected ${batch.batchSize}×${batch.seqLength}×${k} (batch × words × labels)`,
    );
  }
  rows.forEach((sentence, row) => {
    const n = batch.lengths[row];
    const own = values.subarray(row * batch.seqLength * k, (row * batch.seqLength + n) * k);
    results[sentence] = decodeSentence(own, n, scores, parts.rules);
  });
  return results;
}
