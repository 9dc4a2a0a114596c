/**
 * The lossless check shared by every way sentences are made — from annotated documents (lib/bio/convert.ts)
 * or from token files (lib/corpus/token_conversion.ts): every word must be the document text at its offsets,
 * and the entities read back from the tags ({@link spansFromBioTags}) must be the documents' mentions, one
 * for one, by document, span and type. It checks the result, not how it was made.
 *
 * @module
 */
import type { AnnotatedDocument, Sentence, TextMention } from "./types.ts";
import { spansFromBioTags } from "./tags.ts";

/** A mention that did not survive, with the document it came from. */
export interface LostMention {
  docId: string;
  mention: TextMention;
}

/** What {@link checkLossless} found. */
export interface LosslessCheck {
  /** Mentions that did not come out as exactly one entity with the same span and type. */
  lostMentions: LostMention[];
  /** Entities in the sentences that match no mention (0 unless something is wrong). */
  spurious: number;
  /** Words whose text is not the document text at their offsets (0 unless something is wrong). */
  misplacedWords: number;
  /** Entities of the sentences, per type (keys sorted). */
  entities: Record<string, number>;
}

/**
 * Counts per type, keys sorted (stable JSON). Counted in a Map: a type may be named like an Object property
 * (`constructor`, `toString`, `__proto__`), which a `{}` would read as that property.
 *
 * @example
 * ```ts
 * countByType([{ type: "Gene" }, { type: "Cell" }, { type: "Gene" }]); // { Cell: 1, Gene: 2 }
 * ```
 */
export function countByType(items: readonly { type: string }[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { type } of [...items].sort((a, b) => a.type.localeCompare(b.type))) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

/**
 * Compares `sentences` with the `documents` they were made from (see the module doc).
 *
 * @example
 * ```ts
 * import { sentencesFromDocument } from "./convert.ts";
 * declare const documents: any[]; // the example's inputs
 * const check = checkLossless(documents, documents.flatMap(sentencesFromDocument));
 * check.lostMentions.length; // 0 unless mentions overlap
 * ```
 */
export function checkLossless(
  documents: readonly AnnotatedDocument[],
  sentences: readonly Sentence[],
): LosslessCheck {
  const key = (docId: string, s: { start: number; end: number; type: string }) =>
    `${docId}\t${s.start}\t${s.end}\t${s.type}`;
  const texts = new Map(documents.map((d) => [d.id, d.text]));
  let misplacedWords = 0;
  for (const sentence of sentences) {
    const text = texts.get(sentence.docId);
    for (const w of sentence.words) if (text?.slice(w.start, w.end) !== w.text) misplacedWords++;
  }
  const entities = sentences.flatMap((s) =>
    spansFromBioTags(s.words, s.tags).map((e) => ({ ...e, docId: s.docId }))
  );
  const entityKeys = new Set(entities.map((e) => key(e.docId, e)));
  const mentionKeys = new Set<string>();
  const lostMentions: LostMention[] = [];
  for (const doc of documents) {
    for (const mention of doc.mentions) {
      const k = key(doc.id, mention);
      if (!entityKeys.has(k) || mentionKeys.has(k)) lostMentions.push({ docId: doc.id, mention });
      mentionKeys.add(k);
    }
  }
  return {
    lostMentions,
    spurious: entities.filter((e) => !mentionKeys.has(key(e.docId, e))).length,
    misplacedWords,
    entities: countByType(entities),
  };
}
