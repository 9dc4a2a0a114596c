/**
 * Types a model learns apart but reports as another (`{"Cancer": "Disease"}`): the all-corpora model learns
 * cancers as a type of their own so that corpora which disagree on tumours can agree on one label
 * (lib/corpus/unified_types.json), while which of its other diseases land in Cancer or Disease is not learnt
 * by any corpus — so entities leave as the reported type. Stored in a word-level model's config.json
 * (`reported_types`) and applied wherever entities leave the pipeline (lib/predict/recognize.ts); tags
 * (evaluation, cross-corpus scores) keep the learnt types.
 *
 * @module
 */
import { type EntityPrefix, entityTag, parseTag } from "./tags.ts";

/** Learnt type → the type entities of it are reported as. */
export type ReportedTypes = Readonly<Record<string, string>>;

/**
 * What is wrong with a `reported_types` value for a model of `labels`: every key an entity type of the
 * labels, every value a type name, no type reported as itself or as a type that is itself reported.
 *
 * @example
 * ```ts
 * reportedTypesProblems({ Cancer: "Disease" }, ["O", "B-Cancer", "I-Cancer"], "reported_types"); // []
 * reportedTypesProblems({ Tumour: "Disease" }, ["O", "B-Cancer", "I-Cancer"], "reported_types");
 * // ['reported_types: "Tumour" is not a type of the labels (Cancer)']
 * ```
 */
export function reportedTypesProblems(value: unknown, labels: readonly string[], name: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`${name} must be an object of type names (learnt type → reported type)`];
  }
  const types = [...new Set(labels.map((label) => parseTag(label)?.type).filter((type) => type))];
  const problems: string[] = [];
  for (const [from, to] of Object.entries(value)) {
    if (!types.includes(from)) {
      problems.push(`${name}: ${JSON.stringify(from)} is not a type of the labels (${types.join(", ")})`);
    } else if (typeof to !== "string" || !parseTag(`B-${to}`) || to === from) {
      problems.push(`${name}: ${JSON.stringify(from)} must be reported as another type name`);
    } else if (Object.hasOwn(value, to)) {
      problems.push(
        `${name}: ${JSON.stringify(from)} is reported as ${JSON.stringify(to)}, which is reported too`,
      );
    }
  }
  return problems;
}

/**
 * Entities with their reported types (the same objects when nothing is reported).
 *
 * @example
 * ```ts
 * reportEntities([{ type: "Cancer", start: 0, end: 6 }], { Cancer: "Disease" }); // [{ type: "Disease", … }]
 * ```
 */
export function reportEntities<E extends { type: string }>(entities: E[], reported?: ReportedTypes): E[] {
  if (!reported) return entities;
  return entities.map((entity) =>
    Object.hasOwn(reported, entity.type) ? { ...entity, type: reported[entity.type] } : entity
  );
}

/**
 * Labels as entities report them (`B-Cancer` → `B-Disease`), each once, in first-seen order: what a legend
 * or `/healthz` should list.
 *
 * @example
 * ```ts
 * reportedLabels(["O", "B-Cancer", "I-Cancer", "B-Disease", "I-Disease"], { Cancer: "Disease" });
 * // ["O", "B-Disease", "I-Disease"]
 * ```
 */
export function reportedLabels(labels: readonly string[], reported?: ReportedTypes): string[] {
  if (!reported) return [...labels];
  return [
    ...new Set(labels.map((label) => {
      const tag = parseTag(label);
      return tag && tag.prefix !== "O" && Object.hasOwn(reported, tag.type)
        ? entityTag(tag.prefix as EntityPrefix, reported[tag.type])
        : label;
    })),
  ];
}
