/**
 * Inference with a word-level model: sentences of words in, per word the decoded label (the CRF's Viterbi
 * path over allowed IOB2 sequences) and each label's marginal probability. One asynchronous read of the
 * emissions per batch; decoding runs in JS (K×K work per word).
 *
 * @module
 */
import type { ScoredWords, WordLevelModel } from "../types.ts";
import { makeWordBatch } from "./batch.ts";
import { decodeSentence, readCrfScores } from "../crf/crf.ts";
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
  async scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
    const results: ScoredWords[] = sentences.map(() => ({ labelIds: [], scores: [] }));
    const rows = sentences.flatMap((words, i) => words.length > 0 ? [i] : []);
    if (rows.length === 0) return results;
    const { network, vocab } = this.model;
    const batch = makeWordBatch(rows.map((i) => vocab.encode(sentences[i])));
    const emissions = network.emissions(batch);
    const [values, scores] = await Promise.all([
      emissions.data() as Promise<Float32Array>,
      readCrfScores(network.crfScores()),
    ]);
    emissions.dispose();
    const k = network.labels.length;
    rows.forEach((sentence, row) => {
      const n = batch.lengths[row];
      const own = values.subarray(row * batch.seqLength * k, (row * batch.seqLength + n) * k);
      results[sentence] = decodeSentence(own, n, scores, network.rules);
    });
    return results;
  }

  dispose(): void {
    this.model.network.dispose();
  }
}
