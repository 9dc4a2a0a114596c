/**
 * What inference hands back: entities with character offsets (Unicode code points) into the caller's text.
 *
 * @module
 */

/**
 * How token predictions become entities — the same five strategies, with the same meanings, as the
 * `aggregation_strategy` of transformers' `TokenClassificationPipeline`
 * (src/transformers/pipelines/token_classification.py: `aggregate`, `aggregate_word`, `group_entities`):
 *
 * - `none`: one entity per subword token whose argmax label is not `O` (no grouping); `tag` holds the label.
 * - `simple`: argmax per token, then adjacent tokens with the same type are grouped unless a token is
 *   `B-`; a word may end up split across groups. Score = mean of the grouped tokens' scores.
 * - `first`: each word takes the label (and score) of its first subword, then words are grouped as in
 *   `simple`.
 * - `average`: each word takes the argmax of its subwords' averaged probabilities.
 * - `max`: each word takes the label of its single most confident subword.
 *
 * Differences from transformers: words are the sentence splitter's words (exact, via the tokenizer's word
 * ids) instead of the "previous character is a space" heuristic; offsets count code points of the original
 * text, as transformers' do (see {@link Entity}).
 */
export type AggregationStrategy = "none" | "simple" | "first" | "average" | "max";

/** Every strategy, in the order of {@link AggregationStrategy}'s documentation. */
export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = [
  "none",
  "simple",
  "first",
  "average",
  "max",
];

/**
 * The default strategy. transformers' own default is `none`, the HF Inference API's is `simple`; ours is
 * `first` because our models are trained with a label on the first subword of each word only (later
 * subwords carry IGNORE_INDEX), so `first` reads exactly the predictions training optimised — the same rule
 * as `tagSentences` and the evaluation.
 */
export const DEFAULT_AGGREGATION: AggregationStrategy = "first";

/**
 * One predicted entity. Its offsets count Unicode code points of the input, end exclusive — as Python counts
 * (`text == input[start:end]` in Python), the same numbers as in `ner`'s JSONL and PubTator output and in
 * `serve`'s JSON. They differ from JavaScript string indices (UTF-16 code units) after a character outside
 * the Basic Multilingual Plane (emoji, 𝛼): to slice in JavaScript, take the spans of
 * lib/util/code_points.js's `spansToUtf16(input, entities)`, or `[...input].slice(start, end).join("")`.
 */
export interface Entity {
  /** Offset of the first character, in code points. */
  start: number;
  /** Offset after the last character, in code points. */
  end: number;
  text: string;
  /** Entity type without the IOB prefix, e.g. "Chemical". */
  type: string;
  /** Mean probability of the label over the grouped tokens or words (0..1). */
  score: number;
  /** Only with aggregation `none`: the token's full label, e.g. "B-Chemical". */
  tag?: string;
}

/** One subword token of a sentence with its probabilities over the labels, after window merging. */
export interface ScoredToken {
  /** The WordPiece string, e.g. "##ine". */
  token: string;
  /** Index of the word (in the sentence) the token belongs to. */
  wordId: number;
  /** UTF-16 offsets of the token in the original text (inside the pipeline; entities leave in code points). */
  start: number;
  end: number;
  /** Softmax probabilities, one per label id. */
  scores: Float32Array;
  /**
   * The label a word-level model decoded for the whole sentence (a CRF's best allowed path): used instead of
   * the argmax of `scores`, which can differ from it and can break IOB2.
   */
  labelId?: number;
}

/** True for a known strategy name. */
export function isAggregationStrategy(value: unknown): value is AggregationStrategy {
  return typeof value === "string" && (AGGREGATION_STRATEGIES as readonly string[]).includes(value);
}

/** Per-call options of a recognizer (the pipeline function). */
export interface RecognizeOptions {
  /** Overrides the pipeline's strategy for this call. */
  aggregation?: AggregationStrategy;
  /** Aborts between batches (e.g. a per-request time limit): the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Text in, entities with offsets into that text out. */
export type Recognizer = (text: string, options?: RecognizeOptions) => Promise<Entity[]>;
