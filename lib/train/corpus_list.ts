/**
 * Several corpora trained together (multi-corpus training): a profile's `data` listing corpora separated by
 * commas, e.g. `"bc2gm,bionlp13cg"` (`deno task train --corpus bc2gm,bionlp13cg`). Each entry is what a
 * one-corpus `data` may be (a registry name or a folder); each corpus keeps its own label set, read from its
 * data, and its head is named by the corpus's short name (lib/corpus/names.ts's `corpusSlug`).
 *
 * @module
 */
import { CORPORA, registryEntry } from "../corpus/registry.ts";
import { corpusListEntries, corpusSlug } from "../corpus/names.ts";
import { corpusLines, readTypeMapping, unifiedLabels } from "../corpus/type_mapping.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { labelsFromSentences } from "../bio/labels.ts";
import { labelsOfData, type LoadSplitOptions } from "./load_split.ts";
import { type LabelledProfile, resolveProjectPath, type TrainProfile } from "./profile.ts";

/** One corpus of a list: as written (`spec`, what lib/train/load_split.ts reads) and its head's `name`. */
export interface ListedCorpus {
  spec: string;
  name: string;
}

/**
 * Whether a profile's `data` lists several corpora: it holds a comma, and is not the path of a file or folder
 * (relative to the project, as profile paths are; a path may hold a comma).
 *
 * @example
 * ```ts
 * isCorpusList("bc2gm,bionlp13cg"); // true
 * isCorpusList("bc2gm");            // false
 * ```
 */
export function isCorpusList(data: string): boolean {
  return corpusListEntries(data, { base: PROJECT_ROOT }).length > 1;
}

/**
 * The corpora of a list, checked: at least two, none unknown (not a registry name, file or folder), none
 * twice (nor two whose heads would share a name). Each problem is a one-line error naming the list.
 *
 * @example
 * ```ts
 * (await corpusList("bc2gm,bionlp13cg")).map((c) => c.name); // ["bc2gm", "bionlp13cg"]
 * ```
 */
export async function corpusList(data: string): Promise<ListedCorpus[]> {
  const where = `corpus list "${data}"`;
  const specs = corpusListEntries(data, { base: PROJECT_ROOT }).map((spec) => spec.trim());
  const named = specs.filter((spec) => spec !== "");
  if (named.length < 2) {
    throw new Error(
      `${where}: multi-corpus training needs at least two corpora; train one corpus with --corpus ${
        named[0] ?? "NAME"
      }`,
    );
  }
  if (named.length < specs.length) throw new Error(`${where}: an empty name (two commas, or one at an end)`);
  const corpora: ListedCorpus[] = [];
  for (const spec of named) {
    const isPath = await Deno.stat(resolveProjectPath(spec)).then(() => true, () => false);
    if (!registryEntry(spec) && !isPath) {
      throw new Error(
        `${where}: unknown corpus "${spec}": not a file or folder, and not one of ${
          Object.keys(CORPORA).join(", ")
        }`,
      );
    }
    const name = corpusSlug(spec);
    const same = corpora.find((corpus) => corpus.name === name);
    if (same) {
      throw new Error(
        same.spec === spec
          ? `${where}: "${spec}" is listed twice`
          : `${where}: "${same.spec}" and "${spec}" would share the head name "${name}"`,
      );
    }
    corpora.push({ spec, name });
  }
  return corpora;
}

/**
 * A multi-corpus profile with its label sets: each corpus's own (`corpusLabels`, by head name, read from its
 * data) and, as `labels`, their union (`O`, then B-/I- of every entity type, sorted) — what the run knows as a whole.
 *
 * @example
 * ```ts
 * import { loadProfile } from "./profile.ts";
 * const profile = await loadProfile("bilstm-crf", { data: "bc2gm,bionlp13cg" });
 * const labelled = await withCorpusLabels(profile);
 * labelled.corpusLabels!.bc2gm; // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function withCorpusLabels(
  profile: TrainProfile,
  options: LoadSplitOptions = {},
): Promise<LabelledProfile> {
  const corpora = await corpusList(profile.data);
  if (profile.labels) {
    throw new Error(
      `profile ${profile.name}: a multi-corpus run reads each corpus's labels from its data; remove "labels"`,
    );
  }
  const corpusLabels: Record<string, string[]> = {};
  for (const corpus of corpora) corpusLabels[corpus.name] = await labelsOfData(corpus.spec, options);
  if (profile.unifiedTypes) {
    // One model over the mapping's types: every corpus's types must be mapped, checked before any training.
    const mapping = await readTypeMapping(resolveProjectPath(profile.unifiedTypes.mapping));
    for (const [name, labels] of Object.entries(corpusLabels)) corpusLines(mapping, name, labels);
    return { ...profile, labels: unifiedLabels(mapping), corpusLabels };
  }
  // The union, ordered as every label set is (the labels themselves read as one sentence's tags).
  const labels = labelsFromSentences([{ tags: Object.values(corpusLabels).flat() }]);
  return { ...profile, labels, corpusLabels };
}
