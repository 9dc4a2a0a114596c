/**
 * Inference with a word-level model: sentences of words in, per word the decoded label (the CRF's Viterbi
 * path over allowed IOB2 sequences) and each label's marginal probability. One asynchronous read of the
 * emissions per batch; decoding runs in JS (K×K work per word), in score_words.ts.
 *
 * @module
 */
import type { ScoredWords, WordLevelModel } from "../types.ts";
import { readCrfScores } from "../crf/crf.ts";
import { scoreWordsWith } from "./score_words.ts";
import type { WordCrfModel } from "./folder.ts";
import type { WordCrfConfig } from "./network.ts";

/** A {@link WordCrfModel} as inference uses it. Owns the model: `dispose` frees it. */
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
    return scoreWordsWith(sentences, {
      vocab,
      rules: network.rules,
      async emissions(batch) {
        const emissions = network.emissions(batch);
        try {
          return await emissions.data() as Float32Array;
        } finally {
          emissions.dispose();
        }
      },
      crfScores: () => readCrfScores(network.crfScores()),
    });
  }

  dispose(): void {
    this.model.network.dispose();
  }
}
