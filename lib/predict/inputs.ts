/**
 * Documents for batch inference, streamed from text lines, JSONL or PubTator, with every malformed line
 * reported as `file:line` through a callback (which may throw to make it fatal) — never silently dropped.
 *
 * @module
 */
import { CorpusFormatError } from "../corpus/errors.ts";
import { parsePubTator } from "../corpus/readers/pubtator.ts";
import { LineError, readLines as readTextLines } from "../util/lines.ts";

/** Input formats: one text per line, JSON objects with a "text" per line, or PubTator documents. */
export type InputFormat = "text" | "jsonl" | "pubtator";

/** The formats {@link readDocuments} accepts; "auto" decides from the first non-blank line. */
export const INPUT_FORMATS: readonly (InputFormat | "auto")[] = ["auto", "text", "jsonl", "pubtator"];

/** One document to run the model on. PubTator input keeps its title and abstract (`text` joins them). */
export interface InputDocument {
  id: string;
  text: string;
  title?: string;
  abstract?: string;
  /** Where it came from: file (or "stdin") and its first line. */
  source: string;
  line: number;
}

/** A malformed input line: what is wrong, and where. */
export class InputProblem extends Error {
  constructor(readonly source: string, readonly line: number, problem: string) {
    super(`${source}:${line}: ${problem}`);
    this.name = "InputProblem";
  }
}

/** Options of {@link readDocuments}. */
export interface ReadDocumentsOptions {
  /** File name (or "stdin") for ids and problems. */
  source: string;
  format?: InputFormat | "auto";
  /** Called for every malformed line or document (skipped); throw from it to stop instead. */
  onProblem: (problem: InputProblem) => void;
}

/**
 * Splits a byte stream into lines with lib/util/lines.ts's reader (linear, strict UTF-8, the line limit
 * enforced); its errors come as an {@link InputProblem} at `source:line`.
 *
 * @example
 * ```ts
 * for await (const line of readLines(Deno.stdin.readable, "stdin")) console.log(line);
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  source = "input",
): AsyncGenerator<string> {
  try {
    yield* readTextLines(stream, { source });
  } catch (error) {
    throw error instanceof LineError ? new InputProblem(source, error.line, error.problem) : error;
  }
}

/** The format of a first non-blank line: a PubTator title line, a JSON object, or plain text. */
function sniff(line: string): InputFormat {
  if (/^[^|\t]+\|t\|/.test(line)) return "pubtator";
  return line.trimStart().startsWith("{") ? "jsonl" : "text";
}

/**
 * Streams the documents of `lines` in `format` (default "auto"). Text: each non-blank line is a document
 * (id `source:line`). JSONL: each non-blank line is an object with a string "text" and an optional "id".
 * PubTator: blank-line separated documents read by lib/corpus's parser; an annotation line it cannot read
 * (mention, relation, or anything else after the abstract) is reported at its line and skipped — its
 * document's title and abstract are still read; a document whose title and abstract lines cannot be read
 * (no abstract, a duplicate id, two titles without a blank line) is reported at its bad line and skipped.
 *
 * @example
 * ```ts
 * const lines = readLines((await Deno.open("abstracts.jsonl")).readable);
 * for await (const doc of readDocuments(lines, { source: "abstracts.jsonl", onProblem: console.error })) {
 *   console.log(doc.id, doc.text.length);
 * }
 * ```
 */
export async function* readDocuments(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ReadDocumentsOptions,
): AsyncGenerator<InputDocument> {
  const { source, onProblem } = options;
  let format = options.format === "auto" ? undefined : options.format;
  let lineNumber = 0;
  let block: { first: number; lines: string[] } | undefined; // the PubTator document being collected

  function* flushBlock(): Generator<InputDocument> {
    if (!block) return;
    const { first, lines: blockLines } = block;
    block = undefined;
    // At its place in the input, what the parser found at a line of the block.
    const inInput = (error: CorpusFormatError, consequence: string) =>
      new InputProblem(
        source,
        first + error.line - 1,
        `${error.message.slice(`${error.file}:${error.line}: `.length)} (${consequence})`,
      );
    // Only the text is tagged: an annotation line that cannot be read is reported and skipped, never its
    // document (whose title and abstract are tagged whatever lines follow them).
    const onAnnotationProblem = (error: CorpusFormatError) => onProblem(inInput(error, "line skipped"));
    let docs;
    try {
      docs = parsePubTator(blockLines.join("\n"), { source, onAnnotationProblem });
    } catch (error) {
      if (!(error instanceof CorpusFormatError)) throw error;
      onProblem(inInput(error, "document skipped"));
      return;
    }
    for (const doc of docs) {
      yield { id: doc.id, text: doc.text, title: doc.title, abstract: doc.abstract, source, line: first };
    }
  }

  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") {
      yield* flushBlock();
      continue;
    }
    format ??= sniff(line);
    if (format === "pubtator") {
      (block ??= { first: lineNumber, lines: [] }).lines.push(line);
    } else if (format === "text") {
      yield { id: `${source}:${lineNumber}`, text: line, source, line: lineNumber };
    } else {
      const doc = parseJsonLine(line, source, lineNumber);
      if (doc instanceof InputProblem) onProblem(doc);
      else yield doc;
    }
  }
  yield* flushBlock();
}

function parseJsonLine(line: string, source: string, lineNumber: number): InputDocument | InputProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return new InputProblem(source, lineNumber, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return new InputProblem(source, lineNumber, 'expected a JSON object like {"id": "1", "text": "..."}');
  }
  const { id, text } = value as Record<string, unknown>;
  if (typeof text !== "string") return new InputProblem(source, lineNumber, 'no string "text" field');
  if (id !== undefined && typeof id !== "string" && typeof id !== "number") {
    return new InputProblem(source, lineNumber, '"id" must be a string or a number');
  }
  return { id: id === undefined ? `${source}:${lineNumber}` : String(id), text, source, line: lineNumber };
}
