/**
 * The example sentences a demo (notebook 05, the web page) shows for a model: BC5CDR's six demo sentences
 * for a Chemical/Disease model, else sentences of the test split of the model's corpus (any corpus, through
 * lib/corpus) — chosen so that together they show as many of the model's types as they can — or none, with
 * the reason, when that corpus cannot be read or has no sentence of the model's types.
 *
 * @module
 */
import type { Corpus } from "../corpus/corpus.ts";
import { loadCorpus } from "../corpus/load.ts";
import { chosenCorpus, corpusDisplayName } from "../corpus/names.ts";
import { tagType } from "../bio/tags.ts";
import type { Sentence } from "../bio/types.ts";
import { ENTITY_PALETTE } from "../highlight/palette.js";
import { EXAMPLE_SENTENCES } from "./examples.ts";

/** What {@link demoExamples} found: the sentences, and where they come from in words. */
export interface DemoExamples {
  sentences: string[];
  source: string;
}

/** Options of {@link demoExamples}. */
export interface DemoExamplesOptions {
  /** The corpus (registry name or folder) whose test split gives the examples. Default: `NER_CORPUS`, else BC5CDR. */
  corpus?: string;
  /** How many sentences at most. Default 6, as BC5CDR's demo. */
  count?: number;
  /** Longest sentence shown, in characters. Default 300. */
  maxChars?: number;
}

/**
 * Example sentences for a model of these entity types (see the module doc). Never throws for a corpus that
 * cannot be loaded: the demo then has no examples and `source` says why.
 *
 * @example
 * ```ts
 * (await demoExamples(["Chemical", "Disease"])).sentences.length; // 6: BC5CDR's demo sentences
 * const { sentences, source } = await demoExamples(["GENE"], { corpus: "bc2gm" });
 * ```
 */
export async function demoExamples(
  types: readonly string[],
  options: DemoExamplesOptions = {},
): Promise<DemoExamples> {
  const count = options.count ?? 6;
  if (types.length > 0 && types.every((type) => Object.hasOwn(ENTITY_PALETTE, type))) {
    return { sentences: EXAMPLE_SENTENCES.slice(0, count), source: "BC5CDR's demo sentences" };
  }
  const corpus = options.corpus ?? chosenCorpus();
  const none = (why: string): DemoExamples => ({ sentences: [], source: `no examples: ${why}` });
  let loaded: Corpus;
  try {
    loaded = await loadCorpus(corpus);
  } catch (error) {
    return none(`corpus ${corpus} cannot be read (${(error as Error).message})`);
  }
  const test = loaded.conversion("test").sentences;
  const texts = new Map(loaded.splits.test.map((d) => [d.id, d.text]));
  const typesOf = (s: Sentence) => new Set(s.tags.map(tagType).filter((type) => type !== undefined));
  const wanted = new Set(types);
  const candidates = test.filter((s) =>
    s.end - s.start <= (options.maxChars ?? 300) && [...typesOf(s)].some((type) => wanted.has(type))
  );
  if (candidates.length === 0) {
    const why = `the test split of ${corpus} has no sentence with the model's types (${types.join(", ")})`;
    const corpusTypes = [...new Set(test.flatMap((s) => [...typesOf(s)]))].sort();
    if (corpusTypes.some((type) => wanted.has(type))) return none(why);
    return none(
      `${why}: the corpus is ${corpusDisplayName(corpus)} (${corpusTypes.join(", ")}); set NER_CORPUS to ` +
        `the model's corpus`,
    );
  }
  // Greedy cover: each next sentence is the first that shows the most types not shown yet.
  const chosen: Sentence[] = [];
  const shown = new Set<string>();
  while (chosen.length < count) {
    let best: Sentence | undefined, bestNew = 0;
    for (const s of candidates) {
      const fresh = [...typesOf(s)].filter((type) => wanted.has(type) && !shown.has(type)).length;
      if (fresh > bestNew) [best, bestNew] = [s, fresh];
    }
    if (!best) break;
    chosen.push(best);
    for (const type of typesOf(best)) if (wanted.has(type)) shown.add(type);
  }
  // The rest spread evenly over the split.
  for (let i = 0; i < count && chosen.length < count; i++) {
    const s = candidates[Math.floor((i * candidates.length) / count)];
    if (!chosen.includes(s)) chosen.push(s);
  }
  return {
    sentences: chosen.map((s) => texts.get(s.docId)!.slice(s.start, s.end)),
    source: `the test split of ${corpus} (${chosen.length} sentences showing ${shown.size} of the model's ` +
      `${types.length} types)`,
  };
}
