/**
 * Tag schemes of token corpora — IOB2 (`B-X I-X`) and IOBES (`B-X I-X E-X`, `S-X`) — read into entity spans
 * over token indices, and written back. Reading is lenient where the intent is clear and says what it
 * changed: an entity that starts without its `B-` (`I-X` after `O`, or after another type; in IOBES also
 * `E-X` alone) is *repaired* (read as `B-X`, resp. `S-X`) and listed. An IOBES entity that ends without its
 * `E-` (`B-X O`) is IOB2 written into an IOBES file: that is *mixed schemes*, reported for the caller to
 * refuse, since no reading of it is safe.
 *
 * @module
 */
import { OUTSIDE } from "./tags.ts";

/** A token corpus's tag scheme. */
export type TagScheme = "IOB2" | "IOBES";

/** An entity over tokens `[start, end)`. */
export interface TokenSpan {
  start: number;
  end: number;
  type: string;
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

/** A tag's prefix and type; undefined when it is neither `O` nor `B-`/`I-`/`E-`/`S-` + a type. */
export function splitTag(tag: string): { prefix: "O" | "B" | "I" | "E" | "S"; type: string } | undefined {
  if (tag === OUTSIDE) return { prefix: "O", type: "" };
  const match = /^([BIES])-(.+)$/.exec(tag);
  return match ? { prefix: match[1] as "B" | "I" | "E" | "S", type: match[2] } : undefined;
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
    const prefix = tag[0];
    if (tag.length > 2 && tag[1] === "-" && (prefix === "E" || prefix === "S")) return "IOBES";
    if (tag !== OUTSIDE) scheme = "IOB2";
  }
  return scheme;
}

/**
 * The entities of one sentence's tags read in `scheme`, with the repairs made (see the module doc). Throws a
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
    const parsed = splitTag(tag);
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
    if (open?.type === type && (prefix === "I" || prefix === "E")) {
      open.end = i + 1;
    } else {
      close();
      open = { start: i, end: i + 1, type };
      spans.push(open);
      if (prefix === "I" || prefix === "E") {
        const single = scheme === "IOBES" && prefix === "E";
        repairs.push({ index: i, from: tag, to: `${single ? "S" : "B"}-${type}` });
      }
    }
    if (prefix === "E" || prefix === "S") open = undefined; // closed as IOBES wants
  });
  close();
  return unclosedAt === undefined ? { spans, repairs } : { spans, repairs, unclosedAt };
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
    for (let i = start; i < end; i++) {
      const last = i === end - 1;
      const prefix = scheme === "IOB2"
        ? (i === start ? "B" : "I")
        : (i === start ? (last ? "S" : "B") : (last ? "E" : "I"));
      tags[i] = `${prefix}-${type}`;
    }
  }
  return tags;
}
