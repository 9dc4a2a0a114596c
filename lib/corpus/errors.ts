/**
 * The error every corpus reader throws for bad input: it names the file and the line (or row) at fault.
 *
 * @module
 */
import { LineError } from "../util/lines.ts";

/** Bad corpus input at `file:line` (for parquet files, `line` is the 1-based row). */
export class CorpusFormatError extends Error {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = "CorpusFormatError";
  }
}

/**
 * A line reader's {@link LineError} as a {@link CorpusFormatError} at the same place; other errors unchanged.
 *
 * @example
 * ```ts
 * import { LineError } from "../util/lines.ts";
 * asCorpusFormatError(new LineError("a.txt", 3, "line too long")); // CorpusFormatError "a.txt:3: line too long"
 * ```
 */
export function asCorpusFormatError(error: unknown): unknown {
  return error instanceof LineError ? new CorpusFormatError(error.source, error.line, error.problem) : error;
}

/** A folder of converted sentences (`train.jsonl`, …) without the file of one split. */
export class MissingSplitError extends Error {
  constructor(readonly split: string, readonly path: string) {
    super(`no ${split} split: ${path} does not exist`);
    this.name = "MissingSplitError";
  }
}
