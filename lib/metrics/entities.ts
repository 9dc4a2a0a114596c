/**
 * Entity extraction from tag sequences, in seqeval's two modes.
 *
 * - {@link getEntities}: the default, conlleval-compatible mode. It is a permissive state machine: an `I-X`
 *   without a preceding `B-X` starts an entity, a type change ends one, `E-`/`S-` tags open and close
 *   chunks as in IOBES, and sentences are joined with one implicit `O` between them (so offsets are into
 *   that flattened sequence).
 * - {@link getIob2Entities}: strict mode with the IOB2 scheme. Only `B-X` starts an entity, which extends
 *   over the following `I-X` of the same type; a lone `I-X` is no entity. Offsets are per sentence.
 *
 * Both reproduce seqeval 1.2.2's behaviour, quirks included (see the tests for the cases).
 *
 * @module
 */
import {
  looksLikeEntityTag,
  parseDefaultTag,
  type ParsedTag,
  parseIob2Tag,
  type TagFormat,
  type TagSequences,
} from "./tags.ts";
import { type WarningSink, warnOnce } from "./warnings.ts";

/** A default-mode chunk, as seqeval's `get_entities` tuple: `end` is inclusive. */
export type Chunk = [type: string, start: number, end: number];

/** Options of {@link getEntities}. */
export interface DefaultEntityOptions extends TagFormat {
  /** Receives "X seems not to be NE tag." warnings. Default: {@link warnOnce}. */
  onWarning?: WarningSink;
}

/** Default mode: does a chunk end between `prev` and `cur`? */
function chunkEndsBefore(prev: ParsedTag, cur: ParsedTag): boolean {
  if (prev.prefix === "E" || prev.prefix === "S") return true;
  const closes = cur.prefix === "B" || cur.prefix === "S" || cur.prefix === "O";
  if ((prev.prefix === "B" || prev.prefix === "I") && closes) return true;
  // "." is conlleval's sentence-boundary tag: it neither ends nor starts a chunk by a type change.
  return prev.prefix !== "O" && prev.prefix !== "." && prev.type !== cur.type;
}

/** Default mode: does a chunk start at `cur`? */
function chunkStartsAt(prev: ParsedTag, cur: ParsedTag): boolean {
  if (cur.prefix === "B" || cur.prefix === "S") return true;
  const afterChunk = prev.prefix === "E" || prev.prefix === "S" || prev.prefix === "O";
  if ((cur.prefix === "I" || cur.prefix === "E") && afterChunk) return true;
  return cur.prefix !== "O" && cur.prefix !== "." && prev.type !== cur.type;
}

/** Joins sentences with one `O` after each, as seqeval does for nested input. */
function flatten(sequences: TagSequences): string[] {
  const flat: string[] = [];
  for (const sentence of sequences) {
    for (const tag of sentence) flat.push(tag);
    flat.push("O");
  }
  return flat;
}

/**
 * Extracts chunks the way seqeval's `get_entities` does (default mode).
 *
 * @example
 * ```ts
 * getEntities(["B-PER", "I-PER", "O", "B-LOC"]);     // [["PER", 0, 1], ["LOC", 3, 3]]
 * getEntities([["O", "I-PER"], ["B-LOC"]]);          // [["PER", 1, 1], ["LOC", 3, 3]] (implicit O at 2)
 * ```
 */
export function getEntities(
  seq: TagSequences | readonly string[],
  options: DefaultEntityOptions = {},
): Chunk[] {
  const nested = seq.some((item) => Array.isArray(item));
  const tags = nested ? flatten(seq as TagSequences) : seq as readonly string[];
  const warn = options.onWarning ?? warnOnce;
  const parsed = new Map<string, ParsedTag>();
  const parse = (tag: string): ParsedTag => {
    let result = parsed.get(tag);
    if (result === undefined) {
      if (tag.length === 0) throw new Error("empty tag: every tag needs at least a prefix such as O, B or I");
      if (!looksLikeEntityTag(tag, options)) warn(`${tag} seems not to be NE tag.`);
      result = parseDefaultTag(tag, options);
      parsed.set(tag, result);
    }
    return result;
  };

  const chunks: Chunk[] = [];
  let prev: ParsedTag = { prefix: "O", type: "" };
  let begin = 0;
  // One extra "O" closes a chunk that runs to the end.
  for (let i = 0; i <= tags.length; i++) {
    const cur = i < tags.length ? parse(tags[i]) : parse("O");
    if (chunkEndsBefore(prev, cur)) chunks.push([prev.type, begin, i - 1]);
    if (chunkStartsAt(prev, cur)) begin = i;
    prev = cur;
  }
  return chunks;
}

/** A strict-mode entity, as seqeval's `Entity`: `end` is exclusive and offsets are within the sentence. */
export interface StrictEntity {
  sentence: number;
  type: string;
  start: number;
  end: number;
}

/** Options of {@link getIob2Entities}. */
export interface StrictEntityOptions extends TagFormat {
  /** Names the input in error messages, e.g. "y_pred". Default "tags". */
  name?: string;
}

/**
 * Extracts entities in strict mode with the IOB2 scheme; throws on tags IOB2 does not allow (E-, S-, …).
 *
 * @example
 * ```ts
 * getIob2Entities([["B-PER", "I-PER", "O", "I-LOC"]]);
 * // [{ sentence: 0, type: "PER", start: 0, end: 2 }]   (the lone I-LOC is no entity)
 * ```
 */
export function getIob2Entities(sequences: TagSequences, options: StrictEntityOptions = {}): StrictEntity[] {
  const parsed = new Map<string, ParsedTag>();
  const entities: StrictEntity[] = [];
  sequences.forEach((sentence, s) => {
    const tokens = sentence.map((tag, j) => {
      let result = parsed.get(tag);
      if (result === undefined) {
        try {
          if (tag.length === 0) throw new Error("empty tag");
          result = parseIob2Tag(tag, options);
        } catch (error) {
          throw new Error(`${options.name ?? "tags"}[${s}][${j}]: ${(error as Error).message}`);
        }
        parsed.set(tag, result);
      }
      return result;
    });
    let i = 0;
    while (i < tokens.length) {
      if (tokens[i].prefix !== "B") {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < tokens.length && tokens[end].prefix === "I" && tokens[end].type === tokens[i].type) end++;
      entities.push({ sentence: s, type: tokens[i].type, start: i, end });
      i = end;
    }
  });
  return entities;
}

/** An entity within one sentence: words `[start, end)` of type `type`. */
export interface SentenceSpan {
  type: string;
  start: number;
  end: number;
}

/** Which seqeval mode reads the tags: `default` (conlleval-compatible) or `strict` (IOB2). */
export type Mode = "default" | "strict";

/** Options of {@link spansBySentence}. */
export interface SpanOptions extends TagFormat {
  mode?: Mode;
  /** Names the input in error messages. */
  name?: string;
  onWarning?: WarningSink;
}

/**
 * The entities of each sentence as word spans, read in the given mode (default: `default`). In default mode a
 * chunk is assigned to the sentence it starts in; chunks never cross the implicit `O` between sentences
 * unless the tags are malformed (then the chunk is cut at its sentence's end).
 *
 * @example
 * ```ts
 * spansBySentence([["O", "I-PER"], ["B-LOC"]]);
 * // [[{ type: "PER", start: 1, end: 2 }], [{ type: "LOC", start: 0, end: 1 }]]
 * ```
 */
export function spansBySentence(sequences: TagSequences, options: SpanOptions = {}): SentenceSpan[][] {
  const spans: SentenceSpan[][] = sequences.map(() => []);
  if (options.mode === "strict") {
    for (const entity of getIob2Entities(sequences, options)) {
      spans[entity.sentence].push({ type: entity.type, start: entity.start, end: entity.end });
    }
    return spans;
  }
  // Offset of each sentence in the flattened sequence (each sentence is followed by one implicit O).
  const offsets: number[] = [];
  let offset = 0;
  for (const sentence of sequences) {
    offsets.push(offset);
    offset += sentence.length + 1;
  }
  const sentenceAt = (position: number): number => {
    let lo = 0, hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const [type, start, last] of getEntities(sequences as string[][], options)) {
    const s = sentenceAt(start);
    const localStart = start - offsets[s];
    const localEnd = Math.min(last - offsets[s] + 1, sequences[s].length);
    if (localStart < localEnd) spans[s].push({ type, start: localStart, end: localEnd });
  }
  return spans;
}
