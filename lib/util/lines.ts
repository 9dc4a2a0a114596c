/**
 * The one line reader of every line-based input (PubTator, JSONL, vocab.txt, IOB/CoNLL files, `ner`'s stdin
 * and files): lines end at "\n" (a "\r" before it is dropped; or, with `lineEnds: "any"`, also at a lone "\r"),
 * the text must be strict UTF-8, and no line may be longer than {@link MAX_LINE_CHARS}. Reading is linear in the input: a long line is collected as a list of
 * pieces and joined once, never re-scanned (the old `(rest + chunk).split("\n")` re-read the whole pending line
 * for every 64 KiB chunk: 40 MB took minutes). Errors name `source:line`, and quote a line only cut to
 * {@link excerpt}'s length.
 *
 * @module
 */
import { FileKind, openRegularFile } from "./bounded_file.ts";
import { decodeUtf8Stream, Utf8Error } from "./utf8.ts";

/** The longest line accepted, in UTF-16 code units (characters for all but rare scripts): 64 Mi. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** Bad line input at `source:line` (1-based). */
export class LineError extends Error {
  constructor(readonly source: string, readonly line: number, readonly problem: string) {
    super(`${source}:${line}: ${problem}`);
    this.name = "LineError";
  }
}

/** Options of the line readers. */
export interface LineOptions {
  /** File name (or "stdin") for errors. Default "input". */
  source?: string;
  /** Longest line accepted. Default {@link MAX_LINE_CHARS}. */
  maxLineChars?: number;
  /**
   * `"lf"` (default): a line ends at "\n", a "\r" before it dropped. `"any"`: "\n", "\r\n" and a lone "\r"
   * each end one line, as Python's universal newlines read text — for formats where a "\r" can only be a line
   * end (CoNLL), so that a file saved with old Mac line ends is not read as one line.
   */
  lineEnds?: LineEnds;
}

/** What ends a line: see {@link LineOptions.lineEnds}. */
export type LineEnds = "lf" | "any";

const ANY_LINE_END = /[\r\n]/g;

/**
 * Where the next line end at or after `from` is, and its length ("\r\n" is one end in "any"); null when none.
 * A "\r" last in `text` is an end of 1 in "any" (a "\n" may follow in the next chunk: the caller's business).
 */
function findLineEnd(
  text: string,
  from: number,
  lineEnds: LineEnds,
): { index: number; length: number } | null {
  if (lineEnds === "lf") {
    const index = text.indexOf("\n", from);
    return index < 0 ? null : { index, length: 1 };
  }
  ANY_LINE_END.lastIndex = from;
  const index = ANY_LINE_END.exec(text)?.index ?? -1;
  if (index < 0) return null;
  return { index, length: text[index] === "\r" && text[index + 1] === "\n" ? 2 : 1 };
}

/**
 * `text` quoted for an error message, cut to `max` characters with its full length said when longer: an error
 * never echoes a 100 MB line.
 *
 * @example
 * ```ts
 * excerpt("short"); // "\"short\""
 * excerpt("x".repeat(1000), 10); // "\"xxxxxxxxxx\"… (1000 characters)"
 * ```
 */
export function excerpt(text: string, max = 80): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

function tooLong(source: string, line: number, length: number, max: number, atLeast: boolean): LineError {
  return new LineError(
    source,
    line,
    `line of ${atLeast ? "more than " : ""}${length} characters, over the limit of ${max}; refused`,
  );
}

/**
 * Splits text already in memory into lines, linearly, with the line limit enforced (a final "\n" does not
 * start another line; a leading BOM is dropped).
 *
 * @example
 * ```ts
 * splitLines("a\r\nb\n"); // ["a", "b"]
 * ```
 */
export function splitLines(text: string, options: LineOptions = {}): string[] {
  const { source = "input", maxLineChars = MAX_LINE_CHARS, lineEnds = "lf" } = options;
  const lines: string[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    const found = findLineEnd(text, start, lineEnds);
    const end = found ? found.index : text.length;
    const line = text.slice(start, end > start && text[end - 1] === "\r" ? end - 1 : end);
    if (line.length > maxLineChars) throw tooLong(source, lines.length + 1, line.length, maxLineChars, false);
    lines.push(line);
    start = found ? end + found.length : end;
  }
  return lines;
}

/**
 * Splits a byte stream into lines, streaming and linearly. Invalid UTF-8 is refused with a {@link LineError}
 * at its line that gives the byte offset (after every line before it); a line over the limit is refused as
 * soon as it passes the limit, without reading the rest of it.
 *
 * @example
 * ```ts
 * for await (const line of readLines(Deno.stdin.readable, { source: "stdin" })) console.log(line);
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: LineOptions = {},
): AsyncGenerator<string> {
  const { source = "input", maxLineChars = MAX_LINE_CHARS, lineEnds = "lf" } = options;
  let pieces: string[] = []; // the current line so far
  let pending = 0; // its length
  let lineNumber = 1;
  // The last chunk ended with a "\r" that ended a line ("any"): a "\n" starting the next one belongs to it.
  let afterCr = false;
  const finish = (last: string): string => {
    const line = pieces.length ? pieces.join("") + last : last;
    pieces = [];
    pending = 0;
    lineNumber++;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  try {
    for await (const chunk of decodeUtf8Stream(stream)) {
      let start = afterCr && chunk.startsWith("\n") ? 1 : 0;
      afterCr = false;
      while (true) {
        const found = findLineEnd(chunk, start, lineEnds);
        const end = found ? found.index : -1;
        const piece = end < 0 ? chunk.slice(start) : chunk.slice(start, end);
        // A "\r" before the "\n" is not part of the line, and may not push it over the limit.
        const length = pending + piece.length - (end >= 0 && piece.endsWith("\r") ? 1 : 0);
        if (length > maxLineChars) {
          throw tooLong(source, lineNumber, maxLineChars, maxLineChars, true);
        }
        if (!found) {
          if (piece) pieces.push(piece), pending += piece.length;
          break;
        }
        yield finish(piece);
        start = end + found.length;
        if (chunk[end] === "\r" && start === chunk.length) afterCr = true;
      }
    }
  } catch (error) {
    if (!(error instanceof Utf8Error)) throw error;
    // Every line before the bad byte has been read (the decoder yields the text before it): `lineNumber` is
    // its line, whatever ends lines.
    throw new LineError(
      source,
      lineNumber,
      `invalid UTF-8 at byte offset ${error.offset} (refused, not replaced)`,
    );
  }
  if (pending > 0) yield finish("");
}

/**
 * The lines of a regular file of at most its kind's size limit (see lib/util/bounded_file.ts), streamed with
 * {@link readLines}; errors name the file.
 *
 * @example
 * ```ts
 * for await (const line of readFileLines("abstracts.txt", { kind: "corpus file" })) console.log(line.length);
 * ```
 */
export async function* readFileLines(
  path: string,
  options: { kind: FileKind } & Omit<LineOptions, "source">,
): AsyncGenerator<string> {
  const { kind, ...lineOptions } = options;
  const file = await openRegularFile(path, { kind });
  yield* readLines(file.readable, { ...lineOptions, source: path });
}
