/**
 * The error every corpus reader throws for bad input: it names the file and the line (or row) at fault.
 *
 * @module
 */

/** Bad corpus input at `file:line` (for parquet files, `line` is the 1-based row). */
export class CorpusFormatError extends Error {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = "CorpusFormatError";
  }
}
