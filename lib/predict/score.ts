/**
 * The streaming core of inference: sentences in, per-token label probabilities out, in input order.
 * Windows of many sentences share a batch, batches are formed from windows of similar length (throughput),
 * and a sentence is released as soon as all its windows are scored, so memory stays bounded by the pool of
 * windows in flight (`batchSize × poolBatches`) whatever the input length.
 *
 * @module
 */
import type { Word } from "../bio/types.ts";
import { batchLogits } from "../model/batch_logits.ts";
import { labelNames } from "../model/bert/config.ts";
import {
  isWordLevelModel,
  type ScoredWords,
  type ScoringModel,
  type WindowModel,
  type WordLevelModel,
} from "../model/types.ts";
// The tokenizer's files, not its mod.ts: the static page bundles this module and needs no WordPiece tokenizer.
import type { EncodedWindow, EncodeOptions } from "../tokenizer/types.ts";
import { makeBatches } from "../tokenizer/batch.ts";
import { wordTokenValues } from "../tokenizer/windows.ts";
import { softmaxRows } from "./aggregate.ts";
import { joinPieces, type SentencePiece, sentencePieces } from "./long_sentences.ts";
import type { ScoredToken } from "./types.ts";

/** What scoring needs from a tokenizer (a `BertTokenizer` has it; a word-level model needs none). */
export interface WindowEncoder {
  encodeWords(words: Word[], options: EncodeOptions): EncodedWindow[];
  readonly specialIds: { pad: number };
}

/** Options of {@link scoreSentences}. */
export interface ScoreOptions {
  classifier: ScoringModel;
  /** The subword tokenizer of a window model; unused by a word-level model. */
  tokenizer?: WindowEncoder;
  /** Windows (sentences, for a word-level model) per forward pass. Default 32. */
  batchSize?: number;
  /**
   * Windows are gathered `poolBatches` batches at a time and sorted by length before batching, so a batch
   * pads to similar lengths: on BC5CDR test sentences (BioBERT vocab, 128) padding falls from 58 % of the
   * positions (input order) to 19 % with 8. Default 8; 1 keeps input order.
   */
  poolBatches?: number;
  /** Window length, [CLS] and [SEP] included. Default 128 (capped by the model's position embeddings). */
  maxLength?: number;
  /** Subwords two windows of one long sentence share. Default: the tokenizer's (32). */
  stride?: number;
  /**
   * Checked before every batch, after yielding to the event loop (so a timeout can fire and a server can
   * interleave requests); aborting rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

interface Pending<T> {
  item: T;
  windows: EncodedWindow[];
  /** Per window, per token: the scored token, or null for [CLS] and [SEP]. */
  scored: (ScoredToken | null)[][];
  unscoredWindows: number;
}

/** The window length to use: the requested one, but never more than the model has positions for. */
export function effectiveMaxLength(classifier: Pick<WindowModel, "config">, maxLength = 128): number {
  return Math.min(maxLength, classifier.config.max_position_embeddings);
}

/**
 * Scores every subword of every item's words, yielding `{ item, tokens }` in input order, where `tokens` are
 * the item's tokens (windows merged: each word read from the window that owns it) with probabilities.
 * An item with no words yields no tokens.
 *
 * @example
 * ```ts
 * import type { Sentence } from "../bio/types.ts";
 * import { isWordLevelModel, type ScoringModel, type WindowModel, type WordLevelModel } from "../model/types.ts";
 * declare const sentences: Sentence[], classifier: ScoringModel, tokenizer: WindowEncoder; // the example's inputs
 * for await (const { item, tokens } of scoreSentences(sentences, (s) => s.words, { classifier, tokenizer })) {
 *   console.log(item.index, tokens.length);
 * }
 * ```
 */
export async function* scoreSentences<T>(
  items: Iterable<T> | AsyncIterable<T>,
  wordsOf: (item: T) => Word[],
  options: ScoreOptions,
): AsyncGenerator<{ item: T; tokens: ScoredToken[] }> {
  const { classifier, batchSize = 32, poolBatches = 8, signal } = options;
  if (isWordLevelModel(classifier)) {
    yield* scoreWordSentences(items, wordsOf, { ...options, classifier, batchSize, poolBatches });
    return;
  }
  const windowModel: WindowModel = classifier;
  if (!options.tokenizer) throw new Error("scoring with a subword model needs its tokenizer");
  const tokenizer: WindowEncoder = options.tokenizer;
  const encodeOptions: EncodeOptions = { maxLength: effectiveMaxLength(windowModel, options.maxLength) };
  if (options.stride !== undefined) encodeOptions.stride = options.stride;
  const numLabels = Object.keys(windowModel.config.id2label).length;
  const pending: Pending<T>[] = [];
  let pool: { entry: Pending<T>; window: number }[] = [];

  async function scoreBatch(rows: { entry: Pending<T>; window: number }[]): Promise<void> {
    if (signal) {
      // A forward pass blocks the event loop: let timers (a timeout signal) and other requests run first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      signal.throwIfAborted();
    }
    const windows = rows.map(({ entry, window }) => entry.windows[window]);
    const [batch] = makeBatches(windows, { batchSize: rows.length, padId: tokenizer.specialIds.pad });
    const values = await batchLogits(windowModel, batch);
    rows.forEach(({ entry, window }, row) => {
      const encoded = entry.windows[window];
      const rowLogits = values.subarray(
        row * batch.seqLength * numLabels,
        (row + 1) * batch.seqLength * numLabels,
      );
      const probabilities = softmaxRows(
        rowLogits.subarray(0, encoded.inputIds.length * numLabels),
        numLabels,
      );
      // Every word token is scored; wordTokenValues then reads each word from the window that owns it.
      entry.scored[window] = encoded.wordIds.map((wordId, t) =>
        wordId === null ? null : {
          token: encoded.tokens[t],
          wordId,
          start: encoded.offsets[t][0],
          end: encoded.offsets[t][1],
          scores: probabilities[t],
        }
      );
      entry.unscoredWindows--;
    });
  }

  function* finished(): Generator<{ item: T; tokens: ScoredToken[] }> {
    while (pending.length > 0 && pending[0].unscoredWindows === 0) {
      const { item, windows, scored } = pending.shift()!;
      const tokens = windows.length === 0 ? [] : wordTokenValues(windows, scored).flat() as ScoredToken[];
      yield { item, tokens };
    }
  }

  /** Scores the pooled windows shortest first, releasing sentences as soon as they are complete. */
  async function* scorePool(): AsyncGenerator<{ item: T; tokens: ScoredToken[] }> {
    const rows = pool.sort((a, b) =>
      a.entry.windows[a.window].inputIds.length - b.entry.windows[b.window].inputIds.length
    );
    pool = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      await scoreBatch(rows.slice(start, start + batchSize));
      yield* finished();
    }
  }

  for await (const item of items) {
    const words = wordsOf(item);
    const windows = words.length === 0 ? [] : tokenizer.encodeWords(words, encodeOptions);
    const entry: Pending<T> = { item, windows, scored: [], unscoredWindows: windows.length };
    pending.push(entry);
    windows.forEach((_, window) => pool.push({ entry, window }));
    if (pool.length >= batchSize * poolBatches) yield* scorePool();
    yield* finished();
  }
  yield* scorePool();
  yield* finished();
}

/**
 * {@link scoreSentences} for a word-level model: a sentence longer than `MAX_SENTENCE_WORDS` (256) words is
 * read in overlapping pieces (lib/predict/long_sentences.ts), pieces are pooled and sorted by length like
 * windows, and each word is one scored token carrying the label the model decoded for its piece.
 */
async function* scoreWordSentences<T>(
  items: Iterable<T> | AsyncIterable<T>,
  wordsOf: (item: T) => Word[],
  options: Omit<ScoreOptions, "classifier"> & {
    classifier: WordLevelModel;
    batchSize: number;
    poolBatches: number;
  },
): AsyncGenerator<{ item: T; tokens: ScoredToken[] }> {
  const { classifier, batchSize, poolBatches, signal } = options;
  const outsideId = labelNames(classifier.config).indexOf("O");
  interface Entry {
    item: T;
    words: Word[];
    pieces: SentencePiece[];
    scored: ScoredWords[];
  }
  let entries: Entry[] = [];
  let pool: { entry: Entry; piece: number; length: number }[] = [];

  async function* scorePool(): AsyncGenerator<{ item: T; tokens: ScoredToken[] }> {
    const rows = pool.sort((a, b) => a.length - b.length);
    pool = [];
    const batches: (typeof rows)[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      batches.push(rows.slice(start, start + batchSize));
    }
    // Up to `concurrency` batches in flight (the same batches, each read back in order): a model whose
    // forward passes run off the JS thread (ONNX Runtime) computes some while the others are encoded and decoded.
    const inFlight: Promise<ScoredWords[]>[] = [];
    const concurrency = Math.max(1, classifier.concurrency ?? 1);
    for (const [b, batch] of batches.entries()) {
      while (inFlight.length < concurrency && b + inFlight.length < batches.length) {
        if (signal) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          signal.throwIfAborted();
        }
        const next = batches[b + inFlight.length];
        const scoring = classifier.scoreWords(next.map(({ entry, piece }) => {
          const { start, end } = entry.pieces[piece];
          return entry.words.slice(start, end).map((word) => word.text);
        }));
        scoring.catch(() => {}); // awaited below; not an unhandled rejection if an earlier batch stops the pool
        inFlight.push(scoring);
      }
      const scored = await inFlight.shift()!;
      batch.forEach(({ entry, piece }, row) => entry.scored[piece] = scored[row]);
    }
    const done = entries;
    entries = [];
    for (const { item, words, pieces, scored } of done) {
      const { labelIds, scores } = joinPieces(pieces, scored, outsideId);
      const tokens = words.map((word, wordId): ScoredToken => ({
        token: word.text,
        wordId,
        start: word.start,
        end: word.end,
        scores: scores[wordId],
        labelId: labelIds[wordId],
      }));
      yield { item, tokens };
    }
  }

  for await (const item of items) {
    const words = wordsOf(item);
    const entry: Entry = { item, words, pieces: sentencePieces(words.length), scored: [] };
    entries.push(entry);
    entry.pieces.forEach(({ start, end }, piece) => pool.push({ entry, piece, length: end - start }));
    if (pool.length >= batchSize * poolBatches) yield* scorePool();
  }
  yield* scorePool();
}
