/**
 * Comparison with an independent IOB conversion of the same documents (for BC5CDR the MTL-Bioinformatics-2016
 * `BC5CDR-IOB` files, read by lib/corpus/readers/iob_reference.ts). Tokenizations differ, so entities are
 * compared by type and surface string with whitespace removed, as a per-document sequence (aligned by longest
 * common subsequence).
 *
 * @module
 */
import type { Sentence } from "./types.ts";
import { spansFromBioTags } from "./tags.ts";

/** One sentence of the reference: its tokens and their IOB2 tags. */
export interface IobSentence {
  tokens: string[];
  tags: string[];
}

/** Entities of a tagged token sequence as `Type:surface` strings (whitespace removed), in order. */
function entityStrings(tokens: readonly string[], tags: readonly string[]): string[] {
  // Stand-in words: only the token indices matter for spansFromBioTags here.
  const words = tokens.map((text, i) => ({ text, start: i, end: i + 1 }));
  return spansFromBioTags(words, tags).map((s) => `${s.type}:${tokens.slice(s.start, s.end).join("")}`);
}

/** Length of a longest common subsequence, and the unmatched items of each side. */
function alignSequences(a: string[], b: string[]): { matched: number; onlyA: string[]; onlyB: string[] } {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const onlyA: string[] = [], onlyB: string[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (i++, j++);
    else if (table[i + 1][j] >= table[i][j + 1]) onlyA.push(a[i++]);
    else onlyB.push(b[j++]);
  }
  onlyA.push(...a.slice(i));
  onlyB.push(...b.slice(j));
  return { matched: table[0][0], onlyA, onlyB };
}

/** One document where the two conversions disagree. */
export interface ReferenceDisagreement {
  docId: string;
  /** Entities (`Type:surface`) only in our conversion / only in the reference. */
  ours: string[];
  reference: string[];
}

/** The result of {@link compareWithReference}. */
export interface ReferenceComparison {
  /** Entities in both sequences (LCS) / max(ours, reference), summed over documents. */
  agreement: number;
  matched: number;
  ourEntities: number;
  referenceEntities: number;
  ourSentences: number;
  referenceSentences: number;
  /** Documents of ours missing from the reference (compared as empty). */
  missingDocuments: string[];
  disagreements: ReferenceDisagreement[];
}

/**
 * Compares our sentences with the reference, document by document.
 *
 * @example
 * ```ts
 * declare const sentences: any, reference: any; // the example's inputs: ours, and the reference by document
 * const cmp = compareWithReference(sentences, reference);
 * cmp.agreement; // e.g. 0.995
 * ```
 */
export function compareWithReference(
  sentences: readonly Sentence[],
  reference: ReadonlyMap<string, IobSentence[]>,
): ReferenceComparison {
  const ours = new Map<string, Sentence[]>();
  for (const s of sentences) ours.set(s.docId, [...(ours.get(s.docId) ?? []), s]);
  const result: ReferenceComparison = {
    agreement: 1,
    matched: 0,
    ourEntities: 0,
    referenceEntities: 0,
    ourSentences: sentences.length,
    referenceSentences: 0,
    missingDocuments: [],
    disagreements: [],
  };
  let denominator = 0;
  for (const [docId, docSentences] of ours) {
    const refSentences = reference.get(docId);
    if (!refSentences) result.missingDocuments.push(docId);
    const a = docSentences.flatMap((s) =>
      entityStrings(s.words.map((w) => w.text.replace(/\s/g, "")), s.tags)
    );
    const b = (refSentences ?? []).flatMap((s) => entityStrings(s.tokens, s.tags));
    const { matched, onlyA, onlyB } = alignSequences(a, b);
    result.matched += matched;
    result.ourEntities += a.length;
    result.referenceEntities += b.length;
    result.referenceSentences += refSentences?.length ?? 0;
    denominator += Math.max(a.length, b.length);
    if (onlyA.length || onlyB.length) result.disagreements.push({ docId, ours: onlyA, reference: onlyB });
  }
  result.agreement = denominator === 0 ? 1 : result.matched / denominator;
  return result;
}
