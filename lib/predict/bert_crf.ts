/**
 * A BERT classifier with a CRF head (lib/model/crf/head.ts) as a word-level model: its windows are scored as
 * usual (scoreSentences: windows merged, each word read from the window that owns it), each word's
 * first-subword log-probabilities are the CRF's emissions, and a sentence is decoded whole (Viterbi over
 * allowed IOB2 sequences, marginals as scores). Log-softmax differs from the logits by one constant per word,
 * which changes neither the best path nor the marginals.
 *
 * {@link scoreOptionsOf} turns a model's scoring parts (lib/model/trainable.ts: what a model type loads for
 * inference, or a model in training tags with) into what scoring takes: a window model with a CRF head becomes
 * such a scorer.
 *
 * @module
 */
import type { Word } from "../bio/types.ts";
import { labelNames } from "../model/bert/config.ts";
import {
  decodeSentence,
  iob2TransitionRules,
  readCrfScores,
  type TransitionRules,
} from "../model/crf/crf.ts";
import { type CrfHead, crfHeadScores } from "../model/crf/head.ts";
import type { ScoringParts, TaggingParts } from "../model/trainable.ts";
import type { BertConfig, ScoredWords, WindowModel, WordLevelModel } from "../model/types.ts";
import { type ScoreOptions, scoreSentences, type WindowEncoder } from "./score.ts";

/**
 * What scoring takes of a model's parts: a window model with a CRF head as a {@link BertCrfScorer} (it
 * decodes whole sentences; the parts' batching applies to its windows), any other model as it is.
 *
 * @example
 * ```ts
 * import { tagSentences } from "./tag.ts";
 * import type { TaggingParts } from "../model/trainable.ts";
 * declare const parts: TaggingParts, sentences: any; // the example's inputs
 * const tags = await tagSentences(sentences, scoreOptionsOf(parts));
 * ```
 */
export function scoreOptionsOf(parts: ScoringParts | TaggingParts): ScoreOptions {
  if (!parts.crfHead) return parts;
  const { classifier, tokenizer, crfHead, ...windows } = parts;
  const scorer = new BertCrfScorer({ classifier, tokenizer, head: crfHead, ...windows });
  return "batchSize" in windows
    ? { classifier: scorer, batchSize: windows.batchSize }
    : { classifier: scorer };
}

/** Options of {@link BertCrfScorer}. */
export interface BertCrfScorerOptions {
  classifier: WindowModel;
  tokenizer: WindowEncoder;
  /** The CRF head (`crf.transitions`, `crf.start_transitions`, `crf.end_transitions`). */
  head: CrfHead;
  /** Windows per forward pass. Default 32. */
  batchSize?: number;
  maxLength?: number;
  stride?: number;
}

/** A BERT classifier + CRF head, scoring whole sentences. Owns both: `dispose` frees them. */
export class BertCrfScorer implements WordLevelModel {
  readonly kind = "bert-crf" as const;
  readonly options: BertCrfScorerOptions;
  #rules: TransitionRules;

  constructor(options: BertCrfScorerOptions) {
    this.options = options;
    this.#rules = iob2TransitionRules(labelNames(options.classifier.config));
  }

  get config(): BertConfig {
    return this.options.classifier.config;
  }

  /**
   * Decoded labels and marginals of each sentence's words.
   *
   * @example
   * ```ts
   * declare const scorer: BertCrfScorer; // the example's inputs
   * const [first] = await scorer.scoreWords([["Naloxone", "reverses", "hypotension", "."]]);
   * ```
   */
  async scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
    const { classifier, tokenizer, head } = this.options;
    const k = this.#rules.allowedStart.length;
    const scores = await readCrfScores(crfHeadScores(head));
    const asWords = sentences.map((texts) => {
      let offset = 0;
      return texts.map((text): Word => {
        const word = { text, start: offset, end: offset + text.length };
        offset = word.end + 1;
        return word;
      });
    });
    const results: ScoredWords[] = [];
    const scored = scoreSentences(asWords, (words) => words, { ...this.options, classifier, tokenizer });
    for await (const { item: words, tokens } of scored) {
      // A word without a token (characters the tokenizer drops) has no preference: equal emissions.
      const emissions = new Float32Array(words.length * k);
      const seen = new Set<number>();
      for (const token of tokens) {
        if (seen.has(token.wordId)) continue;
        seen.add(token.wordId);
        token.scores.forEach((p, j) => emissions[token.wordId * k + j] = Math.log(Math.max(p, 1e-30)));
      }
      results.push(decodeSentence(emissions, words.length, scores, this.#rules));
    }
    return results;
  }

  dispose(): void {
    this.options.classifier.dispose();
    for (const variable of this.options.head.values()) variable.dispose();
  }
}
