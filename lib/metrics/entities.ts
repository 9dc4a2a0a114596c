/**
 * Entity extraction from tag sequences, in seqeval's two modes.
 *
 * - {@link getEntities}: the default, conlleval-compatible mode. It is a permissive state machine: an `I-X`
 *   without a preceding `B-X` starts an entity, a type change ends one, `E-`/`S-` tags open and close
 *   chunks as in IOBES, and sentences are joined with one implicit `O` between them (so offsets are into
 *   that flattened sequence).
 * - {@link getStrictEntities}: strict mode with the IOB2 or the IOBES scheme, read as seqeval's `Tokens`
 *   does: by the scheme's start, inside and end patterns of (previous prefix, prefix, same/other type).
 *   IOB2: only `B-X` starts an entity, which extends over the following `I-X`; a lone `I-X` is no entity.
 *   IOBES: an entity is `S-X`, or `B-X` (`I-X`)* `E-X`; one that does not end with `E-X` is no entity.
 *   Offsets are per sentence.
 *
 * Both reproduce seqeval 1.2.2's behaviour, quirks included (see the tests for the cases).
 *
 * @module
 */
import {
  looksLikeEntityTag,
  parseDefaultTag,
  type ParsedTag,
  parseStrictTag,
  type StrictScheme,
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

/** Options of {@link getStrictEntities}. */
export interface StrictEntityOptions extends TagFormat {
  /** The scheme the tags are read in. Default IOB2. */
  scheme?: StrictScheme;
  /** Names the input in error messages, e.g. "y_pred". Default "tags". */
  name?: string;
}

/** One pattern of a scheme: prefixes of the previous and the current token, and whether types must agree. */
type Pattern = readonly [previous: string, current: string, types: "any" | "same" | "other"];

/** seqeval's `start_patterns`, `inside_patterns` and `end_patterns` of each scheme (prefix sets as strings). */
const SCHEME_PATTERNS: Readonly<
  Record<StrictScheme, { start: Pattern[]; inside: Pattern[]; end: Pattern[] }>
> = {
  IOB2: {
    start: [["IOBES", "B", "any"]],
    inside: [["B", "I", "same"], ["I", "I", "same"]],
    end: [
      ["I", "O", "any"],
      ["I", "I", "other"],
      ["I", "B", "any"],
      ["B", "O", "any"],
      ["B", "I", "other"],
      ["B", "B", "any"],
    ],
  },
  IOBES: {
    start: [["IOBES", "B", "any"], ["IOBES", "S", "any"]],
    inside: [["B", "I", "same"], ["B", "E", "same"], ["I", "I", "same"], ["I", "E", "same"]],
    end: [["S", "IOBES", "any"], ["E", "IOBES", "any"]],
  },
};

function matches(patterns: readonly Pattern[], previous: ParsedTag, current: ParsedTag): boolean {
  return patterns.some(([p, c, types]) =>
    p.includes(previous.prefix) && c.includes(current.prefix) &&
    (types === "any" || (types === "same") === (previous.type === current.type))
  );
}

/** The outside token seqeval appends to every sentence (its type is "_", as strict parsing gives "O"). */
const OUTSIDE_TOKEN: ParsedTag = { prefix: "O", type: "_" };

/**
 * Extracts entities in strict mode with the IOB2 (default) or IOBES scheme; throws on tags the scheme does
 * not allow, naming the place.
 *
 * @example
 * ```ts
 * getStrictEntities([["B-PER", "I-PER", "O", "I-LOC"]]);
 * // [{ sentence: 0, type: "PER", start: 0, end: 2 }]   (the lone I-LOC is no entity)
 * getStrictEntities([["B-PER", "E-PER", "B-LOC", "O", "S-ORG"]], { scheme: "IOBES" });
 * // [{ sentence: 0, type: "PER", start: 0, end: 2 }, { sentence: 0, type: "ORG", start: 4, end: 5 }]
 * ```
 */
export function getStrictEntities(
  sequences: TagSequences,
  options: StrictEntityOptions = {},
): StrictEntity[] {
  const patterns = SCHEME_PATTERNS[options.scheme ?? "IOB2"];
  const parsed = new Map<string, ParsedTag>();
  const entities: StrictEntity[] = [];
  sequences.forEach((sentence, s) => {
    const tokens = sentence.map((tag, j) => {
      let result = parsed.get(tag);
      if (result === undefined) {
        try {
          if (tag.length === 0) throw new Error("empty tag");
          result = parseStrictTag(tag, options);
        } catch (error) {
          throw new Error(`${options.name ?? "tags"}[${s}][${j}]: ${(error as Error).message}`);
        }
        parsed.set(tag, result);
      }
      return result;
    });
    tokens.push(OUTSIDE_TOKEN);
    // seqeval's Tokens.entities: at each start, run forward over inside tokens; an entity only when the
    // token after it ends it by the scheme's end patterns. Tokens passed over are not starts.
    let i = 0;
    let previous = OUTSIDE_TOKEN;
    while (i < tokens.length) {
      if (matches(patterns.start, previous, tokens[i])) {
        let end = i + 1;
        while (matches(patterns.inside, tokens[end - 1], tokens[end])) end++;
        if (matches(patterns.end, tokens[end - 1], tokens[end])) {
          entities.push({ sentence: s, type: tokens[i].type, start: i, end });
        }
        i = end;
      } else {
        i++;
      }
      previous = tokens[i - 1];
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

/** Which seqeval mode reads the tags: `default` (conlleval-compatible) or `strict` (IOB2 or IOBES). */
export type Mode = "default" | "strict";

/** Options of {@link spansBySentence}. */
export interface SpanOptions extends TagFormat {
  mode?: Mode;
  /** Strict mode's scheme. Default IOB2. */
  scheme?: StrictScheme;
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
    for (const entity of getStrictEntities(sequences, options)) {
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
