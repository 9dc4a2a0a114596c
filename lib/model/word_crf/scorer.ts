/**
 * Inference with a word-level model: sentences of words in, per word the decoded label (the CRF's Viterbi
 * path over allowed IOB2 sequences) and each label's marginal probability. One asynchronous read of the
 * emissions per batch; decoding runs in JS (K×K work per word). The emissions come from tfjs
 * ({@link WordCrfScorer}) or from ONNX Runtime on the folder's export (lib/onnx/word_crf.ts): both go through
 * {@link scoreWordBatch}, the one path from words to decoded labels.
 *
 * @module
 */
import type { ScoredWords, WordLevelModel } from "../types.ts";
import { makeWordBatch } from "./batch.ts";
import { type CrfScores, decodeSentence, readCrfScores, type TransitionRules } from "../crf/crf.ts";
import type { WordCrfModel } from "./folder.ts";
import type { WordBatch, WordCrfConfig } from "./network.ts";
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

/** A {@link WordCrfModel} as inference uses it, on tfjs. Owns the model: `dispose` frees it. */
export class WordCrfScorer implements WordLevelModel {
  readonly kind = "word-crf" as const;
  readonly model: WordCrfModel;

  constructor(model: WordCrfModel) {
    this.model = model;
  }

  get config(): WordCrfConfig {
    return this.model.network.config;
  }

  get consistency(): WordCrfConfig["consistency"] {
    return this.model.network.config.consistency;
  }

  /**
   * Scores sentences (each a list of word strings) in one batch; an empty sentence gets empty results.
   *
   * @example
   * ```ts
   * import { loadWordCrfModel } from "./folder.ts";
   * const scorer = new WordCrfScorer(await loadWordCrfModel("outputs/bilstm-crf/best"));
   * const [first] = await scorer.scoreWords([["Naloxone", "reverses", "hypotension", "."]]);
   * console.log(first.labelIds, first.scores[0]);
   * ```
   */
  scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
    const { network, vocab } = this.model;
    return scoreWordBatch(sentences, {
      vocab,
      async emissions(batch) {
        const emissions = network.emissions(batch);
        try {
          return await emissions.data() as Float32Array;
        } finally {
          emissions.dispose();
        }
      },
      crfScores: () => readCrfScores(network.crfScores()),
      rules: network.rules,
      labelCount: network.labels.length,
    });
  }

  dispose(): void {
    this.model.network.dispose();
  }
}
