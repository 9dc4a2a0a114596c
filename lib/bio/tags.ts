// Over 300 lines: the one place that knows the IOB syntax (parsing, schemes, tags ↔ spans share its rules).
/**
 * The one place that knows how entity tags are written: `O`, and a prefix + `-` + type — IOB2 (`B-X I-X`) and
 * IOBES (`B-X I-X E-X`, `S-X`). Tags are parsed, written and read into typed spans here and nowhere else
 * (lib/metrics keeps its own seqeval-exact reader: it is the evaluation's specification).
 *
 * **One rule for an entity that starts without its `B-`.** A stray `I-X` — first in a sentence, after `O`,
 * after another type, or (IOBES) after an entity closed by `E-`/`S-` — starts an entity of type X, as if it
 * were `B-X` (IOBES: a stray `E-X` is read as `S-X`). That is how seqeval's default mode and conlleval read
 * it, and what transformers' "simple" aggregation does, so the spans of a model's raw tags are the entities
 * its users' tools count; dropping them instead would silently lose predicted entities. Readers that report
 * what they changed (corpus conversion) list each such start as a repair.
 *
 * An IOBES entity that ends without its `E-` (`B-X O`) is IOB2 written into an IOBES file: that is *mixed
 * schemes*, reported for the caller to refuse, since no reading of it is safe.
 *
 * @module
 */
import type { Word } from "./types.ts";

/** The outside tag. */
export const OUTSIDE = "O";

/** The prefix of an entity tag: Begin, Inside, and IOBES's End and Single. */
export type EntityPrefix = "B" | "I" | "E" | "S";

/** A tag split into its prefix and type (`O`: prefix "O", type ""). */
export interface ParsedTag {
  prefix: "O" | EntityPrefix;
  type: string;
}

/** A tag scheme: IOB2 (`B-X I-X`) or IOBES (`B-X I-X E-X`, `S-X`). */
export type TagScheme = "IOB2" | "IOBES";

/** An entity over tokens (or words) `[start, end)`. */
export interface TokenSpan {
  start: number;
  end: number;
  type: string;
}

/** A typed [start, end) character span (e.g. a mention or a predicted entity). */
export type TypedSpan = TokenSpan;

// A type name may hold any character but a line break (U+2028/2029 included: labels are data).
const ENTITY_TAG = /^([BIES])-([^\n\r]+)$/;

/**
 * A tag's prefix and type; undefined when it is neither `O` nor `B-`/`I-`/`E-`/`S-` + a non-empty type.
 *
 * @example
 * ```ts
 * parseTag("B-E-cadherin"); // { prefix: "B", type: "E-cadherin" }
 * parseTag("O");            // { prefix: "O", type: "" }
 * parseTag("Chemical");     // undefined
 * ```
 */
export function parseTag(tag: string): ParsedTag | undefined {
  if (tag === OUTSIDE) return { prefix: "O", type: "" };
  const match = ENTITY_TAG.exec(tag);
  return match ? { prefix: match[1] as EntityPrefix, type: match[2] } : undefined;
}

/**
 * Whether `tag` is an IOB2 tag: `O`, `B-X` or `I-X`.
 *
 * @example
 * ```ts
 * isIob2Tag("I-Gene"); // true
 * isIob2Tag("S-Gene"); // false
 * ```
 */
export function isIob2Tag(tag: string): boolean {
  const prefix = parseTag(tag)?.prefix;
  return prefix === "O" || prefix === "B" || prefix === "I";
}

/**
 * The tag of `type` with `prefix`.
 *
 * @example
 * ```ts
 * entityTag("I", "Chemical"); // "I-Chemical"
 * ```
 */
export function entityTag(prefix: EntityPrefix, type: string): string {
  return `${prefix}-${type}`;
}

/**
 * The entity type of a tag; undefined for `O` (and for a string that is no tag).
 *
 * @example
 * ```ts
 * tagType("I-Disease"); // "Disease"
 * tagType("O");         // undefined
 * ```
 */
export function tagType(tag: string): string | undefined {
  const parsed = parseTag(tag);
  return parsed && parsed.prefix !== "O" ? parsed.type : undefined;
}

/** The rule of the module doc: `tag` continues the entity of type `open` (undefined: none is open). */
function continues(open: string | undefined, tag: ParsedTag): boolean {
  return open !== undefined && open === tag.type && (tag.prefix === "I" || tag.prefix === "E");
}

/**
 * Whether IOB2 `tag` continues the entity of the tag before it (`previous`; undefined at a sentence start):
 * `I-X` after `B-X` or `I-X`. Any other entity tag starts an entity, a stray `I-X` included (the module doc).
 *
 * @example
 * ```ts
 * continuesEntity("B-Gene", "I-Gene"); // true
 * continuesEntity("O", "I-Gene");      // false: this I-Gene starts an entity
 * ```
 */
export function continuesEntity(previous: string | undefined, tag: string): boolean {
  const before = previous === undefined ? undefined : parseTag(previous);
  const current = parseTag(tag);
  const open = before?.prefix === "B" || before?.prefix === "I" ? before.type : undefined;
  return current !== undefined && continues(open, current);
}

/** A tag read differently from how it was written. */
export interface TagRepair {
  /** Token index in its sentence. */
  index: number;
  from: string;
  to: string;
}

/** A tag that is not in the scheme, at token `index` of its sentence. */
export class TagSchemeError extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
    this.name = "TagSchemeError";
  }
}

/** What {@link readSchemeSpans} found in one sentence's tags. */
export interface SchemeReading {
  spans: TokenSpan[];
  repairs: TagRepair[];
  /** IOBES only: the token index of the first entity that ends without `E-`/`S-` (IOB2 style), if any. */
  unclosedAt?: number;
}

/**
 * The scheme tags are written in: IOBES when any tag has an `E-` or `S-` prefix, IOB2 when there are entity
 * tags but none of those, undefined without entity tags (such a file fits either).
 *
 * @example
 * ```ts
 * detectScheme(["B-Gene", "I-Gene", "O"]); // "IOB2"
 * detectScheme(["S-Gene", "O"]);           // "IOBES"
 * detectScheme(["O", "O"]);                // undefined
 * ```
 */
export function detectScheme(tags: Iterable<string>): TagScheme | undefined {
  let scheme: TagScheme | undefined;
  for (const tag of tags) {
    const prefix = parseTag(tag)?.prefix;
    if (prefix === "E" || prefix === "S") return "IOBES";
    if (tag !== OUTSIDE) scheme = "IOB2";
  }
  return scheme;
}

/**
 * The entities of one sentence's tags read in `scheme`, with the repairs made (the module doc's rule). Throws a
 * {@link TagSchemeError} on a tag that is not `O`/`B-`/`I-`/`E-`/`S-` + type, or an `E-`/`S-` tag in IOB2.
 *
 * @example
 * ```ts
 * readSchemeSpans(["O", "I-Gene", "I-Gene"], "IOB2");
 * // { spans: [{ start: 1, end: 3, type: "Gene" }], repairs: [{ index: 1, from: "I-Gene", to: "B-Gene" }] }
 * readSchemeSpans(["B-Gene", "E-Gene", "S-Cell"], "IOBES").spans;
 * // [{ start: 0, end: 2, type: "Gene" }, { start: 2, end: 3, type: "Cell" }]
 * ```
 */
export function readSchemeSpans(tags: readonly string[], scheme: TagScheme): SchemeReading {
  const spans: TokenSpan[] = [], repairs: TagRepair[] = [];
  let unclosedAt: number | undefined;
  let open: TokenSpan | undefined;
  const close = () => {
    if (open && scheme === "IOBES" && unclosedAt === undefined) unclosedAt = open.end - 1;
    open = undefined;
  };
  tags.forEach((tag, i) => {
    const parsed = parseTag(tag);
    if (!parsed || (scheme === "IOB2" && (parsed.prefix === "E" || parsed.prefix === "S"))) {
      throw new TagSchemeError(
        i,
        `tag ${JSON.stringify(tag)} is not ${
          scheme === "IOB2" ? "O, B-… or I-…" : "O, B-…, I-…, E-… or S-…"
        }`,
      );
    }
    const { prefix, type } = parsed;
    if (prefix === "O") return close();
    if (continues(open?.type, parsed)) {
      open!.end = i + 1;
    } else {
      close();
      open = { start: i, end: i + 1, type };
      spans.push(open);
      if (prefix === "I" || prefix === "E") {
        repairs.push({
          index: i,
          from: tag,
          to: entityTag(scheme === "IOBES" && prefix === "E" ? "S" : "B", type),
        });
      }
    }
    if (prefix === "E" || prefix === "S") open = undefined; // closed as IOBES wants
  });
  close();
  return unclosedAt === undefined ? { spans, repairs } : { spans, repairs, unclosedAt };
}

/**
 * The entities of one sentence's IOB2 tags, over token indices (a stray `I-X` starts one: the module doc).
 * Throws a {@link TagSchemeError} on a tag that is not `O`, `B-…` or `I-…`.
 *
 * @example
 * ```ts
 * entitySpans(["B-Gene", "I-Gene", "O", "I-Cell"]);
 * // [{ start: 0, end: 2, type: "Gene" }, { start: 3, end: 4, type: "Cell" }]
 * ```
 */
export function entitySpans(tags: readonly string[]): TokenSpan[] {
  return readSchemeSpans(tags, "IOB2").spans;
}

/**
 * Tags of `length` tokens for non-overlapping `spans`, written in `scheme`.
 *
 * @example
 * ```ts
 * tagsFromSpans([{ start: 0, end: 3, type: "Gene" }, { start: 4, end: 5, type: "Cell" }], 5, "IOBES");
 * // ["B-Gene", "I-Gene", "E-Gene", "O", "S-Cell"]
 * ```
 */
export function tagsFromSpans(spans: readonly TokenSpan[], length: number, scheme: TagScheme): string[] {
  const tags: string[] = Array.from({ length }, () => OUTSIDE);
  for (const { start, end, type } of spans) {
    for (let i = start; i < end; i++) tags[i] = entityTag(spanPrefix(i, start, end, scheme), type);
  }
  return tags;
}

/** The prefix of token `i` of the entity `[start, end)` in `scheme`. */
function spanPrefix(i: number, start: number, end: number, scheme: TagScheme): EntityPrefix {
  const last = i === end - 1;
  if (scheme === "IOB2") return i === start ? "B" : "I";
  return i === start ? (last ? "S" : "B") : (last ? "E" : "I");
}

/**
 * One IOB2 tag per word: `B-<type>` on a span's first word, `I-<type>` on the others, `O` elsewhere.
 * Character spans and words round-trip: `spansFromBioTags(words, bioTagsFromSpans(words, spans))` gives the
 * spans back exactly (for non-overlapping spans that align with words). Throws if a span does not align with
 * word boundaries or two spans share a word.
 *
 * @example
 * ```ts
 * import { tokenizeWords } from "./words.ts";
 * const words = tokenizeWords("Naloxone reverses clonidine-induced hypotension");
 * bioTagsFromSpans(words, [{ start: 0, end: 8, type: "Chemical" }, { start: 36, end: 47, type: "Disease" }]);
 * // ["B-Chemical", "O", "O", "O", "O", "B-Disease"]
 * ```
 */
export function bioTagsFromSpans(words: readonly Word[], spans: readonly TypedSpan[]): string[] {
  const tags = words.map(() => OUTSIDE);
  const firstWord = new Map(words.map((w, i) => [w.start, i]));
  const lastWord = new Map(words.map((w, i) => [w.end, i]));
  for (const span of spans) {
    const first = firstWord.get(span.start), last = lastWord.get(span.end);
    if (first === undefined || last === undefined || last < first) {
      throw new Error(
        `span ${span.type} [${span.start}, ${span.end}) does not start and end at word boundaries`,
      );
    }
    for (let i = first; i <= last; i++) {
      if (tags[i] !== OUTSIDE) {
        throw new Error(
          `span ${span.type} [${span.start}, ${span.end}) overlaps another span at word "${words[i].text}"`,
        );
      }
      tags[i] = entityTag(spanPrefix(i, first, last + 1, "IOB2"), span.type);
    }
  }
  return tags;
}

/**
 * Typed character spans from IOB2 tags over words ({@link entitySpans}: a stray `I-X` starts an entity).
 * Throws on a tag that is not `O`, `B-…` or `I-…`, or when tags and words differ in length.
 *
 * @example
 * ```ts
 * declare const words: any; // the example's inputs
 * spansFromBioTags(words, ["B-Chemical", "O", "O", "O", "O", "B-Disease"]);
 * // [{ start: 0, end: 8, type: "Chemical" }, { start: 36, end: 47, type: "Disease" }]
 * ```
 */
export function spansFromBioTags(words: readonly Word[], tags: readonly string[]): TypedSpan[] {
  if (words.length !== tags.length) throw new Error(`${tags.length} tags for ${words.length} words`);
  try {
    return entitySpans(tags).map(({ start, end, type }) => ({
      start: words[start].start,
      end: words[end - 1].end,
      type,
    }));
  } catch (error) {
    if (!(error instanceof TagSchemeError)) throw error;
    const i = error.index;
    throw new Error(`invalid IOB2 tag ${JSON.stringify(tags[i])} at word ${i} ("${words[i].text}")`);
  }
}
