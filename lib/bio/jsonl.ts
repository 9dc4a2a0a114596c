/**
 * JSON Lines of {@link Sentence}s: the format of `outputs/bio/{train,dev,test}.jsonl`, one sentence per line.
 * Other stages read these files through {@link readSentencesJsonl}.
 *
 * @module
 */
import { isIob2Tag } from "./tags.ts";
import type { Sentence } from "./types.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { readFileLines, splitLines } from "../util/lines.ts";

function validateSentence(value: unknown): string | undefined {
  const s = value as Sentence;
  if (!s || typeof s !== "object") return "not a JSON object";
  if (typeof s.docId !== "string") return `"docId" must be a string`;
  for (const field of ["index", "start", "end"] as const) {
    if (!Number.isInteger(s[field])) return `"${field}" must be an integer`;
  }
  if (!Array.isArray(s.words) || !Array.isArray(s.tags)) return `"words" and "tags" must be lists`;
  if (s.words.length !== s.tags.length) return `${s.words.length} words but ${s.tags.length} tags`;
  const badWord = s.words.findIndex((w) =>
    typeof w?.text !== "string" || !Number.isInteger(w.start) || !Number.isInteger(w.end)
  );
  if (badWord >= 0) return `word ${badWord} must be {text, start, end}`;
  const badTag = s.tags.findIndex((t) => typeof t !== "string" || !isIob2Tag(t));
  if (badTag >= 0) return `tag ${badTag} ${JSON.stringify(s.tags[badTag])} is not O, B-… or I-…`;
  return undefined;
}

/**
 * Parses JSONL text into sentences; a bad line is an error naming `source:line`.
 *
 * @example
 * ```ts
 * const sentences = parseSentencesJsonl(await Deno.readTextFile("outputs/bio/dev.jsonl"), { source: "dev.jsonl" });
 * ```
 */
export function parseSentencesJsonl(content: string, options: { source?: string } = {}): Sentence[] {
  const source = options.source ?? "<jsonl>";
  const sentences: Sentence[] = [];
  splitLines(content, { source }).forEach((line, i) => {
    const sentence = parseSentenceLine(line, source, i + 1);
    if (sentence) sentences.push(sentence);
  });
  return sentences;
}

/** One JSONL line's sentence (undefined for a blank line); a bad line is an error naming `source:line`. */
function parseSentenceLine(line: string, source: string, lineNumber: number): Sentence | undefined {
  if (line.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`${source}:${lineNumber}: not JSON (${(error as Error).message})`);
  }
  const problem = validateSentence(value);
  if (problem) throw new Error(`${source}:${lineNumber}: not a sentence: ${problem}`);
  return value as Sentence;
}

/**
 * Reads a JSONL file of sentences (see {@link parseSentencesJsonl}), streamed through the bounded line reader
 * (lib/util/lines.ts: a regular file within the corpus file limit, lines within the line limit).
 *
 * @example
 * ```ts
 * const train = await readSentencesJsonl("outputs/bio/train.jsonl");
 * console.log(train.length, train[0].words[0].text, train[0].tags[0]);
 * ```
 */
export async function readSentencesJsonl(path: string): Promise<Sentence[]> {
  const sentences: Sentence[] = [];
  let lineNumber = 0;
  for await (const line of readFileLines(path, { kind: "corpus file" })) {
    const sentence = parseSentenceLine(line, path, ++lineNumber);
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

/**
 * Formats sentences as JSONL (one compact JSON object per line, keys in a fixed order).
 *
 * @example
 * ```ts
 * declare const sentences: any; // the example's inputs
 * formatSentencesJsonl(sentences).split("\n").length - 1 === sentences.length; // true
 * ```
 */
export function formatSentencesJsonl(sentences: readonly Sentence[]): string {
  return sentences.map(({ docId, index, start, end, words, tags }) =>
    JSON.stringify({
      docId,
      index,
      start,
      end,
      words: words.map(({ text, start, end }) => ({ text, start, end })),
      tags,
    }) + "\n"
  ).join("");
}

/**
 * Writes sentences as JSONL, atomically (readers never see a half-written file).
 *
 * @example
 * ```ts
 * declare const sentences: any; // the example's inputs
 * await writeSentencesJsonl("outputs/bio/train.jsonl", sentences);
 * ```
 */
export async function writeSentencesJsonl(path: string, sentences: readonly Sentence[]): Promise<void> {
  await writeFileAtomic(path, formatSentencesJsonl(sentences));
}
