/**
 * Inference with a word-level model: sentences of words in, per word the decoded label (the CRF's Viterbi
 * path over allowed IOB2 sequences) and each label's marginal probability. One asynchronous read of the
 * emissions per batch; decoding runs in JS (K×K work per word). The emissions come from tfjs
 * ({@link WordCrfScorer}) or from ONNX Runtime on the folder's export (lib/onnx/word_crf.ts, and the static page's
 * lib/page): all go through `scoreWordBatch` (score_words.ts, free of tfjs), the one path from words to decoded
 * labels.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ScoredWords, WordLevelModel } from "../types.ts";
import { readCrfScores } from "../crf/crf.ts";
import type { WordCrfModel } from "./folder.ts";
import type { WordBatch, WordCrfConfig } from "./network.ts";
import { scoreWordBatch, type WordEmissionSource } from "./score_words.ts";

export { scoreWordBatch, type WordEmissionSource } from "./score_words.ts";

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

  get reportedTypes(): WordCrfConfig["reported_types"] {
    return this.model.network.config.reported_types;
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
    return scoreWordBatch(sentences, networkEmissionSource(this.model));
  }

  dispose(): void {
    this.model.network.dispose();
  }
}

/**
 * A word-level model on tfjs as {@link scoreWordBatch}'s source; `emissions` computes a batch's emissions
 * (default: the model's own network; a merged multi-corpus tagger passes its head's, from a shared encoding).
 *
 * @example
 * ```ts
 * import { loadWordCrfModel } from "./folder.ts";
 * const source = networkEmissionSource(await loadWordCrfModel("outputs/bilstm-crf/best"));
 * await scoreWordBatch([["Naloxone", "reverses", "hypotension", "."]], source);
 * ```
 */
export function networkEmissionSource(
  { network, vocab }: WordCrfModel,
  emissions: (batch: WordBatch) => tf.Tensor3D = (batch) => network.emissions(batch),
): WordEmissionSource {
  return {
    vocab,
    async emissions(batch) {
      const values = emissions(batch);
      try {
        return await values.data() as Float32Array;
      } finally {
        values.dispose();
      }
    },
    crfScores: () => readCrfScores(network.crfScores()),
    rules: network.rules,
    labelCount: network.labels.length,
  };
}
