/**
 * Tag parsing shared by the two seqeval modes, and the input checks every metric runs first.
 *
 * A tag such as `B-Chemical` has a one-character *prefix* (`B`) and an entity *type* (`Chemical`); with
 * `suffix: true` the order is reversed (`Chemical-B`). The two modes split tags differently, as seqeval does:
 *
 * - default mode: type = text after the first `-` (or after the prefix when there is no `-`), `_` when empty;
 * - strict mode: type = text after the prefix with every leading/trailing `-` removed, `_` when empty; the
 *   scheme (IOB2 or IOBES) decides which prefixes are allowed.
 *
 * @module
 */

/** How a tag is read: prefix first (`B-PER`, the default) or suffix last (`PER-B`). */
export interface TagFormat {
  /** Tags are written `TYPE-B` instead of `B-TYPE`. Default false. */
  suffix?: boolean;
}

/** A tag split into its one-character prefix and its type. */
export interface ParsedTag {
  prefix: string;
  type: string;
}

/** The schemes strict mode reads (seqeval's `scheme=IOB2` / `scheme=IOBES`). */
export type StrictScheme = "IOB2" | "IOBES";

/** Prefixes strict mode knows at all (anything else is "not supported"), and those each scheme allows. */
const STRICT_KNOWN_PREFIXES = new Set(["I", "O", "B", "E", "S", "U", "L"]);
const SCHEME_PREFIXES: Readonly<Record<StrictScheme, readonly string[]>> = {
  IOB2: ["I", "O", "B"],
  IOBES: ["I", "O", "B", "E", "S"],
};

/** Splits off the prefix character (a code point, as Python indexes strings) and the remainder. */
function splitPrefix(tag: string, suffix: boolean): [prefix: string, rest: string] {
  const chars = Array.from(tag);
  return suffix
    ? [chars[chars.length - 1], chars.slice(0, -1).join("")]
    : [chars[0], chars.slice(1).join("")];
}

/**
 * Parses a tag the way seqeval's default (conlleval-compatible) mode does.
 *
 * @example
 * ```ts
 * parseDefaultTag("B-PER");                    // { prefix: "B", type: "PER" }
 * parseDefaultTag("O");                        // { prefix: "O", type: "_" }
 * parseDefaultTag("PER-I", { suffix: true });  // { prefix: "I", type: "PER" }
 * ```
 */
export function parseDefaultTag(tag: string, format: TagFormat = {}): ParsedTag {
  const [prefix, rest] = splitPrefix(tag, format.suffix ?? false);
  let type: string;
  if (format.suffix) {
    const dash = rest.lastIndexOf("-");
    type = dash < 0 ? rest : rest.slice(0, dash);
  } else {
    const dash = rest.indexOf("-");
    type = dash < 0 ? rest : rest.slice(dash + 1);
  }
  return { prefix, type: type || "_" };
}

/**
 * Whether seqeval's default mode would warn that `tag` "seems not to be NE tag" (it still uses it).
 *
 * @example
 * ```ts
 * looksLikeEntityTag("B-PER"); // true
 * looksLikeEntityTag("MISC");  // false
 * ```
 */
export function looksLikeEntityTag(tag: string, format: TagFormat = {}): boolean {
  if (["O", "B", "I", "E", "S"].includes(tag)) return true;
  const marks = ["B", "I", "E", "S"];
  return format.suffix
    ? marks.some((mark) => tag.endsWith(`-${mark}`))
    : marks.some((mark) => tag.startsWith(`${mark}-`));
}

/**
 * Parses a tag for strict mode with `scheme` (default IOB2); throws on prefixes the scheme does not allow.
 *
 * @example
 * ```ts
 * parseStrictTag("B-PER");                       // { prefix: "B", type: "PER" }
 * parseStrictTag("I");                           // { prefix: "I", type: "_" }
 * parseStrictTag("S-PER", { scheme: "IOBES" });  // { prefix: "S", type: "PER" }
 * parseStrictTag("E-PER");                       // throws: IOB2 allows only I, O, B
 * ```
 */
export function parseStrictTag(tag: string, format: TagFormat & { scheme?: StrictScheme } = {}): ParsedTag {
  const scheme = format.scheme ?? "IOB2";
  const [prefix, rest] = splitPrefix(tag, format.suffix ?? false);
  if (!STRICT_KNOWN_PREFIXES.has(prefix)) {
    throw new Error(`tag ${JSON.stringify(tag)}: this scheme is not supported`);
  }
  if (!SCHEME_PREFIXES[scheme].includes(prefix)) {
    throw new Error(
      `tag ${JSON.stringify(tag)}: invalid in the ${scheme} scheme (allowed prefixes: ${
        SCHEME_PREFIXES[scheme].join(", ")
      })`,
    );
  }
  return { prefix, type: rest.replace(/^-+|-+$/g, "") || "_" };
}

/** Label sequences: one array of tags per sentence. */
export type TagSequences = readonly (readonly string[])[];

/**
 * Checks that `yTrue` and `yPred` are lists of sentences of non-empty string tags with matching lengths, as
 * seqeval's `check_consistent_length` does, and names the first place where they are not.
 *
 * @example
 * ```ts
 * checkSequences([["B-PER", "O"]], [["B-PER", "O"]]); // ok
 * checkSequences([["B-PER"]], [["B-PER", "O"]]);      // throws: sentence 0 has 1 true tags but 2 predicted
 * ```
 */
export function checkSequences(yTrue: unknown, yPred: unknown): void {
  for (const [name, value] of [["y_true", yTrue], ["y_pred", yPred]] as const) {
    if (!Array.isArray(value)) {
      throw new Error(`${name} must be a list of sentences (a list of lists of tags)`);
    }
    value.forEach((sentence, i) => {
      if (!Array.isArray(sentence)) {
        throw new Error(`${name}[${i}] must be a list of tags, got ${typeof sentence}`);
      }
      sentence.forEach((tag, j) => {
        if (typeof tag !== "string" || tag.length === 0) {
          throw new Error(`${name}[${i}][${j}] must be a non-empty string tag, got ${JSON.stringify(tag)}`);
        }
      });
    });
  }
  const truth = yTrue as string[][], predicted = yPred as string[][];
  if (truth.length !== predicted.length) {
    throw new Error(`y_true has ${truth.length} sentences but y_pred has ${predicted.length}`);
  }
  truth.forEach((sentence, i) => {
    if (sentence.length !== predicted[i].length) {
      throw new Error(
        `sentence ${i} has ${sentence.length} true tags but ${predicted[i].length} predicted tags`,
      );
    }
  });
}
