/**
 * Label sets: the one a corpus's data defines (`O`, then `B-`/`I-` of every entity type found, types sorted by
 * code point as seqeval sorts them, so the same data always gives the same list and ids), and the one check
 * every label set passes where it enters — model configs, training data, corpus conversion — so that a set
 * the rest of the project cannot handle is refused in one line there, not deep inside a later stage.
 *
 * @module
 */
import { compareCodePoints } from "../util/code_points.ts";
import { entityTag, OUTSIDE, parseTag } from "./tags.ts";
import type { PartialAnnotation } from "./types.ts";

/**
 * The most entity types a label set may have. The word-level model and BERT+CRF hold K × K transition scores
 * (K = 2·types + 1 labels), and a CRF training step holds its pair marginals, (T − 1)·B·K² floats, about six
 * times over (sentence length T, batch B). Measured peak memory of `train --profile bilstm-crf-smoke --set
 * batchSize=32` on 30-word sentences: 0.33 GB at 16 types, 0.74 GB at 64, 1.9 GB at 128, 6.3 GB at 256; at
 * 5,000 types the transition rules alone take 1.3 GB before the first step. At 64 types a step of 100-word
 * sentences stays near 1.5 GB (estimated from the formula); the registry's corpora have at most 16 types.
 */
export const MAX_ENTITY_TYPES = 64;

/** Problems listed at most (a set of 5,000 bad labels must not print 5,000 in its error line). */
const SHOWN_PROBLEMS = 3;

/**
 * The IOB2 labels of `sentences` (see the module doc). Throws on a tag that is not `O`, `B-…` or `I-…`.
 *
 * @example
 * ```ts
 * labelsFromSentences([{ tags: ["B-Gene", "O", "I-Cell"] }, { tags: ["B-Cancer"] }]);
 * // ["O", "B-Cancer", "I-Cancer", "B-Cell", "I-Cell", "B-Gene", "I-Gene"]
 * ```
 */
export function labelsFromSentences(sentences: Iterable<{ tags: readonly string[] }>): string[] {
  const types = new Set<string>();
  for (const { tags } of sentences) {
    for (const tag of tags) {
      const parsed = parseTag(tag);
      if (parsed?.prefix === "O") continue;
      if (parsed?.prefix !== "B" && parsed?.prefix !== "I") {
        throw new Error(`tag ${JSON.stringify(tag)} is not an IOB2 tag (O, B-… or I-…)`);
      }
      types.add(parsed.type);
    }
  }
  return labelsOfTypes(types);
}

/**
 * What is wrong with `labels` as an IOB2 label set; empty when nothing is. A label set is a list of distinct
 * strings holding `O` and, for each of 1 to {@link MAX_ENTITY_TYPES} entity types, both `B-X` and `I-X`; no
 * type is named `O` (its tags would read as the outside tag and its entities vanish). The first few problems
 * are listed, then how many more there are.
 *
 * @example
 * ```ts
 * labelSetProblems(["O", "B-Gene", "I-Gene"]); // []
 * labelSetProblems(["B-Gene", "I-Gene"]);      // ['no "O" label']
 * ```
 */
export function labelSetProblems(labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string")) {
    return ["labels must be a list of label names"];
  }
  const problems: string[] = [];
  if (!labels.includes(OUTSIDE)) problems.push(`no "O" label`);
  const seen = new Set<string>();
  const prefixesByType = new Map<string, Set<string>>();
  for (const label of labels as string[]) {
    if (seen.has(label)) problems.push(`label ${JSON.stringify(label)} appears twice`);
    seen.add(label);
    const parsed = parseTag(label);
    if (parsed?.prefix === "O") continue;
    if (parsed?.prefix !== "B" && parsed?.prefix !== "I") {
      problems.push(`label ${JSON.stringify(label)} is not O, B-… or I-…`);
    } else {
      const prefixes = prefixesByType.get(parsed.type) ?? new Set<string>();
      prefixes.add(parsed.prefix);
      prefixesByType.set(parsed.type, prefixes);
    }
  }
  for (const [type, prefixes] of prefixesByType) {
    const missing = prefixes.has("B") ? entityTag("I", type) : entityTag("B", type);
    if (type === OUTSIDE) {
      const tags = [...prefixes].map((prefix) => `${prefix}-O`);
      problems.push(`an entity type named "O" (${tags}) reads as the outside tag`);
    } else if (prefixes.size < 2) {
      problems.push(`${JSON.stringify(missing)} is missing (every type needs B- and I-)`);
    }
  }
  const types = prefixesByType.size;
  if (types === 0) problems.push("no entity type (only O): there is nothing to learn or tag");
  if (types > MAX_ENTITY_TYPES) {
    problems.unshift(
      `${types} entity types, over this project's limit of ${MAX_ENTITY_TYPES} (a CRF holds ` +
        `(2·types + 1)² transition scores and its training step that many floats per word)`,
    );
  }
  if (problems.length <= SHOWN_PROBLEMS) return problems;
  return [...problems.slice(0, SHOWN_PROBLEMS), `and ${problems.length - SHOWN_PROBLEMS} more`];
}

/**
 * Throws one line, `<where>: invalid label set: <problems>`, when `labels` is not a label set this project
 * handles ({@link labelSetProblems}).
 *
 * @example
 * ```ts
 * validateLabelSet(["O", "B-Gene", "I-Gene"], "outputs/run/best/config.json"); // passes
 * ```
 */
export function validateLabelSet(labels: unknown, where: string): asserts labels is string[] {
  const problems = labelSetProblems(labels);
  if (problems.length > 0) throw new Error(`${where}: invalid label set: ${problems.join("; ")}`);
}

/**
 * The labels one gold tag allows under `partial` (itself only when there is no partial annotation).
 *
 * @example
 * ```ts
 * const partial = { open: ["B-Gene", "I-Gene"], alternatives: new Map([["B-Anatomy", ["B-Anatomy", "B-Cell"]]]) };
 * allowedLabels("O", partial);         // ["O", "B-Gene", "I-Gene"]
 * allowedLabels("B-Anatomy", partial); // ["B-Anatomy", "B-Cell"]
 * allowedLabels("I-Anatomy", partial); // ["I-Anatomy"]
 * ```
 */
export function allowedLabels(tag: string, partial: PartialAnnotation | undefined): readonly string[] {
  if (!partial) return [tag];
  if (tag === OUTSIDE) return [OUTSIDE, ...partial.open];
  return partial.alternatives.get(tag) ?? [tag];
}

/**
 * The IOB2 labels of entity types: `O`, then `B-`/`I-` of each type, types sorted by code point (as
 * {@link labelsFromSentences} orders them).
 *
 * @example
 * ```ts
 * labelsOfTypes(["Gene", "Chemical"]); // ["O", "B-Chemical", "I-Chemical", "B-Gene", "I-Gene"]
 * ```
 */
export function labelsOfTypes(types: Iterable<string>): string[] {
  return [
    OUTSIDE,
    ...[...new Set(types)].sort(compareCodePoints).flatMap((type) => [
      entityTag("B", type),
      entityTag("I", type),
    ]),
  ];
}
