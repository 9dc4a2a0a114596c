/**
 * The one path from words to decoded labels, whatever computes the emissions: each sentence's words looked up
 * in the vocabularies, one padded batch, one call for the emissions `[batch, time, K]`, then the CRF decoder
 * (lib/model/crf/decode.ts) per sentence. The tfjs network (scorer.ts), ONNX Runtime in Deno (lib/onnx) and
 * ONNX Runtime Web in the static page (lib/page) differ only in that one call. No tensors here, so a browser
 * bundle carries no tfjs.
 *
 * @module
 */
import type { ScoredWords } from "../types.ts";
import { makeWordBatch } from "./batch.ts";
import { type CrfScores, decodeSentence, type TransitionRules } from "../crf/decode.ts";
import type { WordBatch } from "./network.ts";
import type { WordVocab } from "./vocab.ts";

/** What scores a batch of words: the vocabularies, the emissions of a batch, and the CRF. */
export interface WordEmissionSource {
  vocab: WordVocab;
  /** Emission scores of `batch`, `[batch, seqLength, K]` row-major (rows past a sentence's end unread). */
  emissions(batch: WordBatch): Promise<Float32Array>;
  /** The CRF's transition, start and end scores. */
  crfScores(): Promise<CrfScores<Float32Array>>;
  /** The IOB2 rules decoding keeps to. */
  rules: TransitionRules;
  /** Number of labels (K). */
  labelCount: number;
}

/**
 * Scores sentences (each a list of word strings) in one batch through `source`; an empty sentence gets empty
 * results.
 *
 * @example
 * ```ts
 * declare const source: WordEmissionSource; // the example's inputs
 * const [first] = await scoreWordBatch([["Naloxone", "reverses", "hypotension", "."]], source);
 * ```
 */
export async function scoreWordBatch(
  sentences: readonly (readonly string[])[],
  source: WordEmissionSource,
): Promise<ScoredWords[]> {
  const results: ScoredWords[] = sentences.map(() => ({ labelIds: [], scores: [] }));
  const rows = sentences.flatMap((words, i) => words.length > 0 ? [i] : []);
  if (rows.length === 0) return results;
  const batch = makeWordBatch(rows.map((i) => source.vocab.encode(sentences[i])));
  const [values, scores] = await Promise.all([source.emissions(batch), source.crfScores()]);
  const k = source.labelCount;
  if (values.length !== batch.batchSize * batch.seqLength * k) {
    throw new Error(
      `emissions of ${values.length} values, expected [${batch.batchSize}, ${batch.seqLength}, ${k}]`,
    );
  }
  rows.forEach((sentence, row) => {
    const n = batch.lengths[row];
    const own = values.subarray(row * batch.seqLength * k, (row * batch.seqLength + n) * k);
    results[sentence] = decodeSentence(own, n, scores, source.rules);
  });
  return results;
}
