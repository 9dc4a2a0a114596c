/**
 * Documents → sentences of words with IOB2 tags, and the check that the conversion lost nothing.
 *
 * Policy for mentions (stated here, tested in tests/bio):
 * - a **composite** mention ("Ocular and auditory toxicity", several ids) is one entity over its whole span;
 * - a **discontiguous** mention (with `pieces`) is one entity over its covering span `[start, end)`;
 * - of **overlapping** mentions the longest is kept (ties: the first in document order); the others cannot
 *   be expressed in flat IOB2 and are reported as lost by {@link convertDocuments}.
 * Sentences never split a mention, and words are cut at mention boundaries, so every kept mention becomes
 * exactly one B-/I- entity. The title and the abstract are split separately (the title is never merged
 * with the abstract's first sentence).
 *
 * @module
 */
import type { AnnotatedDocument, Sentence, TextMention } from "./types.ts";
import { splitSentences } from "./sentences.ts";
import { tokenizeWords } from "./words.ts";
import { bioTagsFromSpans } from "./tags.ts";
import { checkLossless, countByType, type LostMention } from "./lossless.ts";

export type { LostMention } from "./lossless.ts";

/**
 * Splits mentions into those kept for flat IOB2 and those dropped because they overlap a longer kept one.
 *
 * @example
 * ```ts
 * declare const doc: any; // the example's inputs
 * const { kept, dropped } = resolveOverlaps(doc.mentions);
 * ```
 */
export function resolveOverlaps<M extends TextMention>(mentions: readonly M[]): { kept: M[]; dropped: M[] } {
  const byLength = mentions
    .map((mention, order) => ({ mention, order }))
    .sort((a, b) =>
      (b.mention.end - b.mention.start) - (a.mention.end - a.mention.start) ||
      a.mention.start - b.mention.start || a.order - b.order
    );
  const kept: M[] = [], dropped: M[] = [];
  for (const { mention } of byLength) {
    const overlaps = kept.some((k) => mention.start < k.end && k.start < mention.end);
    (overlaps ? dropped : kept).push(mention);
  }
  const inOrder = (a: M, b: M) => a.start - b.start || a.end - b.end;
  return { kept: kept.sort(inOrder), dropped: dropped.sort(inOrder) };
}

/** The [start, end) ranges of a document that are split separately: the title and the abstract. */
function documentParts(doc: AnnotatedDocument): [number, number][] {
  const parts: [number, number][] = [[0, doc.title.length]];
  if (doc.abstract.length > 0) parts.push([doc.title.length + 1, doc.text.length]);
  return parts;
}

function buildSentences(
  docId: string,
  text: string,
  parts: [number, number][],
  mentions: readonly TextMention[],
): Sentence[] {
  const protect = mentions.map((m) => [m.start, m.end] as const);
  const boundaries = mentions.flatMap((m) => [m.start, m.end]);
  const sentences: Sentence[] = [];
  for (const [partStart, partEnd] of parts) {
    for (const [start, end] of splitSentences(text, { start: partStart, end: partEnd, protect })) {
      const words = tokenizeWords(text, { start, end, boundaries });
      if (words.length === 0) continue;
      const inside = mentions.filter((m) => m.start >= start && m.end <= end);
      sentences.push({
        docId,
        index: sentences.length,
        start,
        end,
        words,
        tags: bioTagsFromSpans(words, inside),
      });
    }
  }
  return sentences;
}

/**
 * The sentences of one document, each with its words (offsets into `doc.text`) and IOB2 tags
 * (see the module doc for the mention policy).
 *
 * @example
 * ```ts
 * declare const doc: any; // the example's inputs
 * const [first] = sentencesFromDocument(doc);
 * first.words.map((w, i) => `${w.text}/${first.tags[i]}`).join(" ");
 * // "Naloxone/B-Chemical reverses/O the/O antihypertensive/O effect/O of/O clonidine/B-Chemical ./O"
 * ```
 */
export function sentencesFromDocument(doc: AnnotatedDocument): Sentence[] {
  return buildSentences(doc.id, doc.text, documentParts(doc), resolveOverlaps(doc.mentions).kept);
}

/**
 * Splits raw text (no annotations) into sentences of words with offsets into `text`; every tag is "O".
 * For new text at inference time. A line break always ends a sentence (a title on its own line stays a
 * sentence of its own); within a line the rules of {@link splitSentences} apply.
 *
 * @example
 * ```ts
 * const sentences = sentencesFromText("Cisplatin nephrotoxicity\nIt is common. It is dose-dependent.");
 * sentences.map((s) => s.words.length); // [2, 4, 6]
 * ```
 */
export function sentencesFromText(text: string, options: { docId?: string } = {}): Sentence[] {
  const lines = [...text.matchAll(/[^\r\n]+/g)].map((
    m,
  ): [number, number] => [m.index, m.index + m[0].length]);
  return buildSentences(options.docId ?? "", text, lines, []);
}

/** Counts of a conversion, per split (the JSON summary of `deno task convert`). */
export interface ConversionReport {
  documents: number;
  sentences: number;
  /** Mentions in the input, per type. */
  mentions: Record<string, number>;
  /** B- entities in the output, per type. */
  entities: Record<string, number>;
  /** Mentions that did not come out as exactly one entity with the same span and type. */
  lost: number;
  /** Entities in the output that match no mention (0 unless something is wrong). */
  spurious: number;
}

/**
 * Converts documents and checks the result independently of how it was made ({@link checkLossless}: the
 * entities read back from the tags are compared with the input mentions by document, span and type).
 *
 * @example
 * ```ts
 * declare const corpus: any; // the example's inputs
 * const { sentences, report } = convertDocuments(corpus.splits.train);
 * report.lost; // 0
 * ```
 */
export function convertDocuments(documents: readonly AnnotatedDocument[]): {
  sentences: Sentence[];
  report: ConversionReport;
  lostMentions: LostMention[];
} {
  const sentences = documents.flatMap(sentencesFromDocument);
  const { lostMentions, spurious, entities } = checkLossless(documents, sentences);
  return {
    sentences,
    lostMentions,
    report: {
      documents: documents.length,
      sentences: sentences.length,
      mentions: countByType(documents.flatMap((d) => d.mentions)),
      entities,
      lost: lostMentions.length,
      spurious,
    },
  };
}
