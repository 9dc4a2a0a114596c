/**
 * Reading and writing sentence JSONL files (`outputs/bio/*.jsonl`, `outputs/<run>/predictions/*.jsonl`):
 * one {@link Sentence} per line.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { writeFileAtomic } from "../util/atomic.ts";

/** Checks the shape of one parsed line; returns a problem description or undefined. */
function sentenceProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "not a JSON object";
  const s = value as Record<string, unknown>;
  if (typeof s.docId !== "string") return `"docId" must be a string`;
  if (typeof s.index !== "number") return `"index" must be a number`;
  if (!Array.isArray(s.words)) return `"words" must be an array`;
  if (!Array.isArray(s.tags)) return `"tags" must be an array`;
  if (s.tags.length !== s.words.length) return `${s.tags.length} tags for ${s.words.length} words`;
  if (!s.tags.every((tag) => typeof tag === "string")) return `"tags" must hold strings`;
  const bad = s.words.findIndex((w) =>
    typeof w?.text !== "string" || typeof w?.start !== "number" || typeof w?.end !== "number"
  );
  if (bad >= 0) return `words[${bad}] must be {text, start, end}`;
}

/**
 * Parses sentence JSONL text; `source` names the file in errors ("path:line: problem").
 *
 * @example
 * ```ts
 * const sentences = parseSentencesJsonl(await Deno.readTextFile("outputs/bio/test.jsonl"), "test.jsonl");
 * ```
 */
export function parseSentencesJsonl(text: string, source = "input"): Sentence[] {
  const sentences: Sentence[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const problem = sentenceProblem(value);
    if (problem) throw new Error(`${source}:${i + 1}: ${problem}`);
    sentences.push(value as Sentence);
  });
  return sentences;
}

/**
 * Reads a sentence JSONL file.
 *
 * @example
 * ```ts
 * const predicted = await readSentencesJsonl("outputs/cpu-small/predictions/test.jsonl");
 * ```
 */
export async function readSentencesJsonl(path: string): Promise<Sentence[]> {
  return parseSentencesJsonl(await Deno.readTextFile(path), path);
}

/**
 * Writes sentences as JSONL, atomically.
 *
 * @example
 * ```ts
 * await writeSentencesJsonl("outputs/run/predictions/test.jsonl", predicted);
 * ```
 */
export async function writeSentencesJsonl(path: string, sentences: readonly Sentence[]): Promise<void> {
  await writeFileAtomic(path, sentences.map((s) => JSON.stringify(s) + "\n").join(""));
}
