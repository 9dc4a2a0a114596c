/**
 * A declared mapping from every corpus's entity types to one set of unified types (lib/corpus/unified_types.json
 * is the shipped one, with the reason for each line): what lets one model learn Chemical, Disease, Gene and
 * Species from corpora that each annotate only some of them.
 *
 * A corpus's type maps to one unified type, or to several when it is coarser than the unified set (AnatEM's
 * Anatomy covers cells and tumours: a mention of it may be Anatomy, Cell or Cancer). A unified type the corpus
 * annotates only in part (`complete: false`: BioNLP13PC annotates cellular components, not all anatomy) or not
 * at all stays *open* on its `O` words: the training loss lets such a word be an entity of that type
 * (lib/bio/types.ts's `PartialAnnotation`). Every type found in a corpus's data must be mapped (`"to": []`
 * drops it, on purpose), and every type the mapping names for a corpus must be in its data: a typo is an
 * error, never a silent loss.
 *
 * A unified type may be learnt apart but reported as another (`reported`: Cancer as Disease): the model's
 * config.json carries it (lib/bio/reported_types.ts), entities leave with the reported type, tags keep the
 * learnt one.
 *
 * Rules for what the data cannot settle: two corpora may map the same source name to different unified types
 * (each corpus's line is its own); the same text in two corpora is two training sentences, each constrained by
 * its own corpus's annotation (no reconciliation between corpora).
 *
 * @module
 */
import { labelsOfTypes } from "../bio/labels.ts";
import { entityTag, OUTSIDE, parseTag } from "../bio/tags.ts";
import type { PartialAnnotation, Sentence } from "../bio/types.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";

/** One corpus type's line of a mapping. */
export interface SourceType {
  /** The unified types a mention of it may be, the first the one its gold tags are written as; [] drops it. */
  to: string[];
  /** False when the source type covers only part of its unified type (the rest is left unannotated). */
  complete?: boolean;
  /** Why, for people. */
  why: string;
}

/** A type mapping file: the unified types, and per corpus (registry name) each of its types' line. */
export interface TypeMapping {
  /** The file it was read from (for errors). */
  path: string;
  types: string[];
  /**
   * Unified types a model learns apart but reports as another in its entities (lib/bio/reported_types.ts):
   * `{"Cancer": {"as": "Disease", "why": "…"}}`.
   */
  reported?: Record<string, { as: string; why: string }>;
  corpora: Record<string, Record<string, SourceType>>;
}

/**
 * Reads and checks a type mapping file: unified types are distinct names, every line maps to known unified
 * types and says why. A problem is one line naming the file and the corpus/type.
 *
 * @example
 * ```ts
 * const mapping = await readTypeMapping("lib/corpus/unified_types.json");
 * mapping.types; // ["Anatomy", "Cancer", "Cell", "Chemical", "Disease", "Gene", "Species"]
 * ```
 */
export async function readTypeMapping(path: string): Promise<TypeMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readTextFileBounded(path, { kind: "JSON settings file" }));
  } catch (error) {
    throw new Error(`type mapping ${path}: ${(error as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`type mapping ${path}: ${what}`);
  };
  const file = raw as Partial<TypeMapping>;
  if (typeof file !== "object" || file === null) fail("expected a JSON object");
  const types = file.types;
  if (
    !Array.isArray(types) || types.length === 0 ||
    types.some((t) => typeof t !== "string" || !parseTag(`B-${t}`))
  ) {
    fail(`"types" must be a non-empty list of entity type names`);
  }
  if (new Set(types).size !== types!.length) fail(`"types" lists a type twice`);
  if (typeof file.corpora !== "object" || file.corpora === null) fail(`"corpora" must be an object`);
  const unified = new Set(types);
  for (const [corpus, lines] of Object.entries(file.corpora!)) {
    if (typeof lines !== "object" || lines === null) {
      fail(`corpus ${corpus}: expected an object of its types`);
    }
    for (const [type, line] of Object.entries(lines)) {
      const where = `corpus ${corpus}, type ${JSON.stringify(type)}`;
      if (!Array.isArray(line?.to) || line.to.some((t) => typeof t !== "string")) {
        fail(`${where}: "to" must be a list of unified types`);
      }
      const unknown = line.to.find((t) => !unified.has(t));
      if (unknown !== undefined) fail(`${where}: ${JSON.stringify(unknown)} is not one of "types"`);
      if (line.complete !== undefined && typeof line.complete !== "boolean") {
        fail(`${where}: "complete" must be true or false`);
      }
      if (typeof line.why !== "string" || line.why.trim() === "") fail(`${where}: "why" must say why`);
    }
  }
  for (const [type, line] of Object.entries(file.reported ?? {})) {
    if (!unified.has(type)) fail(`reported: ${JSON.stringify(type)} is not one of "types"`);
    if (typeof line?.as !== "string" || !unified.has(line.as) || line.as === type) {
      fail(`reported: ${JSON.stringify(type)} must be reported "as" another of "types"`);
    }
    if (typeof line.why !== "string" || line.why.trim() === "") fail(`reported: ${type}: "why" must say why`);
  }
  return {
    path,
    types: types!,
    ...(file.reported ? { reported: file.reported } : {}),
    corpora: file.corpora!,
  };
}

/**
 * A mapping's reported types as a model stores them (learnt type → reported type), or undefined if none.
 *
 * @example
 * ```ts
 * declare const mapping: TypeMapping; // the example's inputs
 * reportedTypesOf(mapping); // { Cancer: "Disease" }
 * ```
 */
export function reportedTypesOf(mapping: TypeMapping): Record<string, string> | undefined {
  const entries = Object.entries(mapping.reported ?? {});
  return entries.length > 0 ? Object.fromEntries(entries.map(([type, line]) => [type, line.as])) : undefined;
}

/**
 * The lines of `corpus`, checked against the entity types its data has (`labels`, its IOB2 label set): every
 * type of the data is mapped, every mapped type is in the data. Throws one line otherwise.
 *
 * @example
 * ```ts
 * declare const mapping: TypeMapping; // the example's inputs
 * corpusLines(mapping, "bc2gm", ["O", "B-GENE", "I-GENE"]); // { GENE: { to: ["Gene"], … } }
 * ```
 */
export function corpusLines(
  mapping: TypeMapping,
  corpus: string,
  labels: readonly string[],
): Record<string, SourceType> {
  const lines = Object.hasOwn(mapping.corpora, corpus) ? mapping.corpora[corpus] : undefined;
  if (!lines) throw new Error(`type mapping ${mapping.path}: no line for corpus ${corpus}`);
  const dataTypes = new Set(labels.map((label) => parseTag(label)?.type).filter((type) => type));
  const unmapped = [...dataTypes].filter((type) => !Object.hasOwn(lines, type!));
  if (unmapped.length > 0) {
    throw new Error(
      `type mapping ${mapping.path}: corpus ${corpus} has types it does not map: ${unmapped.join(", ")} ` +
        `(map each, or drop it with "to": [])`,
    );
  }
  const absent = Object.keys(lines).filter((type) => !dataTypes.has(type));
  if (absent.length > 0) {
    throw new Error(
      `type mapping ${mapping.path}: corpus ${corpus} has no type ${absent.join(", ")} in its data ` +
        `(its types: ${[...dataTypes].join(", ")})`,
    );
  }
  return lines;
}

/**
 * Each type of a corpus's lines as the unified type its gold tags are written as (the first of `to`); a
 * dropped type is left out. What a head of that corpus reports its entities as, in a model that merges
 * per-corpus heads (lib/model/word_crf/merged_heads.ts).
 *
 * @example
 * ```ts
 * declare const mapping: TypeMapping; // the example's inputs
 * headUnifiedTypes(corpusLines(mapping, "bc5cdr", ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"]));
 * // { Chemical: "Chemical", Disease: "Disease" }
 * ```
 */
export function headUnifiedTypes(lines: Record<string, SourceType>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(lines).flatMap(([type, line]) => line.to.length > 0 ? [[type, line.to[0]]] : []),
  );
}

/**
 * The unified label set of a mapping: `O`, then `B-`/`I-` of each unified type.
 *
 * @example
 * ```ts
 * declare const mapping: TypeMapping; // the example's inputs
 * unifiedLabels(mapping); // ["O", "B-Anatomy", "I-Anatomy", "B-Cancer", …]
 * ```
 */
export function unifiedLabels(mapping: TypeMapping): string[] {
  return labelsOfTypes(mapping.types);
}

/**
 * What `corpus`'s annotation allows besides its own mapped tags: the labels of the unified types it leaves
 * open, and each coarse type's alternatives.
 *
 * @example
 * ```ts
 * declare const lines: any; // { GENE: { to: ["Gene"], why: "…" } }
 * partialAnnotation(["Chemical", "Gene"], lines).open; // ["B-Chemical", "I-Chemical"]
 * ```
 */
export function partialAnnotation(
  types: readonly string[],
  lines: Record<string, SourceType>,
): PartialAnnotation {
  const complete = new Set<string>();
  const alternatives = new Map<string, string[]>();
  for (const line of Object.values(lines)) {
    if (line.to.length === 0) continue;
    if (line.complete !== false) { for (const type of line.to) complete.add(type); }
    for (const prefix of ["B", "I"] as const) {
      alternatives.set(entityTag(prefix, line.to[0]), line.to.map((type) => entityTag(prefix, type)));
    }
  }
  const open = labelsOfTypes(types.filter((type) => !complete.has(type))).slice(1);
  return { open, alternatives };
}

/**
 * `corpus`'s sentences with their tags in unified types (each source type as its first unified type; dropped
 * types read `O`), each carrying the corpus's partial annotation unless `partial` is false (the naive merge:
 * every `O` is taught as not an entity of any type).
 *
 * @example
 * ```ts
 * declare const mapping: TypeMapping, sentences: any; // the example's inputs
 * const unified = unifySentences(mapping, { corpus: "bc2gm", labels: ["O", "B-GENE", "I-GENE"], sentences });
 * unified[0].tags; // ["O", "B-Gene", …]
 * ```
 */
export function unifySentences(
  mapping: TypeMapping,
  options: { corpus: string; labels: readonly string[]; sentences: readonly Sentence[]; partial?: boolean },
): Sentence[] {
  const lines = corpusLines(mapping, options.corpus, options.labels);
  const partial = options.partial === false ? undefined : partialAnnotation(mapping.types, lines);
  return options.sentences.map((sentence) => ({
    ...sentence,
    tags: unifiedTags(lines, sentence.tags),
    ...(partial ? { partial } : {}),
  }));
}

/**
 * A corpus's tags in unified types, by its lines of a mapping (each source type as its first unified type;
 * dropped types read `O`).
 *
 * @example
 * ```ts
 * const lines = { GENE: { to: ["Gene"], why: "genes" } };
 * unifiedTags(lines, ["B-GENE", "I-GENE", "O"]); // ["B-Gene", "I-Gene", "O"]
 * ```
 */
export function unifiedTags(lines: Record<string, SourceType>, tags: readonly string[]): string[] {
  return tags.map((tag) => {
    const parsed = parseTag(tag);
    if (!parsed || parsed.prefix === "O") return OUTSIDE;
    const to = lines[parsed.type]?.to ?? [];
    return to.length === 0 ? OUTSIDE : entityTag(parsed.prefix as "B" | "I", to[0]);
  });
}

/**
 * Tags in unified types as `corpus` can judge them: a type the corpus annotates (fully or in part) is kept,
 * written as the unified type its gold uses (AnatEM's Cell and Cancer → Anatomy); others become `O`. Applied
 * to gold and predicted tags alike, it scores a unified model on a corpus in that corpus's own terms.
 *
 * @example
 * ```ts
 * declare const lines: any; // AnatEM: { Anatomy: { to: ["Anatomy", "Cell", "Cancer"], why: "…" } }
 * projectTags(lines, ["B-Cell", "B-Gene", "I-Anatomy"]); // ["B-Anatomy", "O", "I-Anatomy"]
 * ```
 */
export function projectTags(lines: Record<string, SourceType>, tags: readonly string[]): string[] {
  const judged = new Map<string, string>();
  for (const line of Object.values(lines)) {
    for (const type of line.to) if (!judged.has(type)) judged.set(type, line.to[0]);
  }
  return tags.map((tag) => {
    const parsed = parseTag(tag);
    const as = parsed && parsed.prefix !== "O" ? judged.get(parsed.type) : undefined;
    return as === undefined ? OUTSIDE : entityTag(parsed!.prefix as "B" | "I", as);
  });
}
