/**
 * The pipeline's recognition, model loading aside: documents → sentences → scored tokens → the document
 * consistency rules of a word-level model → entities with code-point offsets. `createNerPipeline` (Deno,
 * tfjs or ONNX Runtime) and the static page (lib/page: a browser, ONNX Runtime Web) both run this one
 * function, so they find the same entities at the same offsets. It reads no files and loads no runtime.
 *
 * @module
 */
import type { ConsistencyOptions } from "../bio/consistency.ts";
import { type ReportedTypes, reportEntities } from "../bio/reported_types.ts";
import type { Sentence, Word } from "../bio/types.ts";
import { aggregateTokens } from "./aggregate.ts";
import { consistentTokens } from "./consistency.ts";
import { documentSentences, type TextDocument } from "./document_sentences.ts";
import { type ScoreOptions, scoreSentences } from "./score.ts";
import { spansToCodePoints } from "../util/code_points.js";
import type { AggregationStrategy, Entity, ScoredToken } from "./types.ts";

/** What recognition needs besides the documents. */
export interface RecognitionParts {
  /** The model (and, for a subword model, its tokenizer) and how to batch. */
  score: Omit<ScoreOptions, "signal">;
  /** Label names in id order. */
  labels: readonly string[];
  /** A word-level model's document consistency rules (lib/bio/consistency.ts), applied per document. */
  consistency?: ConsistencyOptions;
  /** A word-level model's types reported as others (lib/bio/reported_types.ts), applied to its entities. */
  reportedTypes?: ReportedTypes;
  /** Text → sentences with word offsets into the text (lib/bio's `sentencesFromText` in the pipeline). */
  splitSentences: (text: string) => Sentence[];
  strategy: AggregationStrategy;
  /** Aborts between batches (see {@link ScoreOptions.signal}). */
  signal?: AbortSignal;
}

/**
 * Entities of many documents, streamed in input order; windows (or sentences) of consecutive documents share
 * batches. Offsets count code points of each document's text.
 *
 * @example
 * ```ts
 * import { sentencesFromText } from "../bio/convert.ts";
 * import type { WordLevelModel } from "../model/types.ts";
 * declare const classifier: WordLevelModel; // the example's inputs
 * const parts = {
 *   score: { classifier },
 *   labels: ["O", "B-Chemical", "I-Chemical"],
 *   splitSentences: sentencesFromText,
 *   strategy: "first" as const,
 * };
 * for await (const { entities } of recognizeDocuments([{ text: "😀 Cisplatin." }], parts)) console.log(entities);
 * ```
 */
export async function* recognizeDocuments<D extends TextDocument>(
  docs: Iterable<D> | AsyncIterable<D>,
  parts: RecognitionParts,
): AsyncGenerator<{ doc: D; entities: Entity[] }> {
  const { labels, consistency, splitSentences, strategy } = parts;
  // Every document becomes its sentences (at least one item, so empty documents come out too, in order).
  async function* items() {
    for await (const doc of docs) {
      if (typeof doc?.text !== "string") throw new TypeError("each document needs a string `text`");
      const sentences = documentSentences(doc, splitSentences);
      if (sentences.length === 0) yield { doc, words: [] as Word[], last: true };
      for (const [i, sentence] of sentences.entries()) {
        yield { doc, words: sentence.words, last: i === sentences.length - 1 };
      }
    }
  }
  const scored = scoreSentences(items(), (item) => item.words, { ...parts.score, signal: parts.signal });
  // A document's sentences are grouped once all are scored: consistency rules read the whole document.
  let words: Word[][] = [], tokens: ScoredToken[][] = [];
  for await (const { item, tokens: sentenceTokens } of scored) {
    words.push(item.words);
    tokens.push(sentenceTokens);
    if (!item.last) continue;
    const final = consistency ? consistentTokens(words, tokens, labels, consistency) : tokens;
    const entities = reportEntities(
      final.flatMap((row) => aggregateTokens(row, { labels, text: item.doc.text, strategy })),
      parts.reportedTypes,
    );
    // Words and tokens carry UTF-16 offsets; entities leave in code points (see Entity).
    yield { doc: item.doc, entities: spansToCodePoints(item.doc.text, entities) };
    words = [];
    tokens = [];
  }
}
