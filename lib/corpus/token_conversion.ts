/**
 * Word-tokenised corpora (CoNLL files, Hugging Face `tokens` + `ner_tags` datasets) → the project's
 * {@link Document}s and {@link Sentence}s, keeping the corpus's own tokens. The text is rebuilt from them —
 * tokens joined by one space, sentences by one line break — so every token maps back to its offsets, and
 * {@link checkLossless} plus a token-for-token comparison prove that nothing was lost or changed.
 *
 * Tags are read in the corpus's scheme (IOB2 or IOBES, see lib/bio/tags.ts) and become IOB2. Repaired
 * tags are counted and listed with their place (file:line); mixed schemes, malformed tags and a document
 * whose sentences are not consecutive (its id again after another document's) are refused with their place.
 *
 * Memory: a split is held as read ({@link TokenSentence}s) and as converted (documents and sentences) at
 * once, each array exactly sized and each distinct tag string kept once (the readers keep each distinct
 * token once) — at peak about 1 KB per one-token sentence and 0.26 KB per further token (docs/reliability.md)
 * — and a corpus may hold at most
 * {@link TOKEN_CORPUS_LIMITS}, counted by the readers as they read ({@link TokenCorpusSize}).
 *
 * @module
 */
import type { Document, Mention } from "./types.ts";
import { CorpusFormatError } from "./errors.ts";
import type { Sentence, Word } from "../bio/types.ts";
import type { ConversionReport } from "../bio/convert.ts";
import { checkLossless, countByType, type LostMention } from "../bio/lossless.ts";
import {
  detectScheme,
  readSchemeSpans,
  type TagScheme,
  TagSchemeError,
  tagsFromSpans,
  type TokenSpan,
} from "../bio/tags.ts";

/** One sentence of a token corpus as read, with where each token came from. */
export interface TokenSentence {
  /** The document it belongs to (sentences of one document are consecutive). */
  docId: string;
  tokens: string[];
  /** Tags as written, in the corpus's scheme. */
  tags: string[];
  /** The file it was read from (for messages). */
  file: string;
  /** Where its first token was read: its line in `file` (CoNLL) or its row (parquet), 1-based. */
  line: number;
  /** Whether each token has its own line (CoNLL: token `i` is on line `line + i`), or all share `line` (a row). */
  tokenPerLine: boolean;
}

/**
 * The line (or row) token `index` of `sentence` was read from.
 *
 * @example
 * ```ts
 * tokenLine({ docId: "d", tokens: ["a", "b"], tags: ["O", "O"], file: "t.tsv", line: 4, tokenPerLine: true }, 1); // 5
 * ```
 */
export function tokenLine(sentence: TokenSentence, index: number): number {
  return sentence.tokenPerLine ? sentence.line + index : sentence.line;
}

/** What {@link convertTokenSentences} did, per split (part of `deno task convert`'s report). */
export interface TokenConversionReport extends ConversionReport {
  /** The scheme the tags were written in; null when the split has no entity tags. */
  scheme: TagScheme | null;
  tokens: number;
  /** Sentences without tokens that the reader skipped (e.g. empty dataset rows). */
  emptySentences: number;
  /** Tags read differently from how they were written (an entity starting without `B-`). */
  repairs: number;
  /** The first repairs, as `file:line: I-X → B-X`. */
  repairExamples: string[];
  /** Tokens not kept as they were (text or offsets); 0 unless something is wrong. */
  changedTokens: number;
}

/** What {@link convertTokenSentences} returns. */
export interface TokenConversion {
  documents: Document[];
  sentences: Sentence[];
  report: TokenConversionReport;
  lostMentions: LostMention[];
}

/**
 * The most a word-tokenised corpus may hold, all its splits together: reading and converting it takes memory
 * in proportion (see the module doc), so a larger one is refused in one line as soon as the readers pass a
 * limit, rather than growing past the memory of the machine (about 1.5 GB at these limits). The largest
 * corpora at hand are far below: LINNAEUS has 23 k sentences and 0.54 M tokens, BC2GM 20 k and 0.57 M.
 */
export const TOKEN_CORPUS_LIMITS = { sentences: 500_000, tokens: 4_000_000 } as const;

/**
 * Counts what the readers of one corpus have read, against limits ({@link TOKEN_CORPUS_LIMITS} unless given).
 *
 * @example
 * ```ts
 * const size = new TokenCorpusSize({ sentences: 2, tokens: 5 });
 * size.add({ sentences: 1, tokens: 3 }); // undefined: within the limits
 * size.add({ sentences: 1, tokens: 3 }); // "the corpus has more than 5 tokens (all splits together), …"
 * ```
 */
export class TokenCorpusSize {
  sentences = 0;
  tokens = 0;

  constructor(readonly limits: { sentences: number; tokens: number } = TOKEN_CORPUS_LIMITS) {}

  /** Adds counts; returns what limit the corpus passed with them, in words, or undefined within them. */
  add(counts: { sentences?: number; tokens?: number }): string | undefined {
    this.sentences += counts.sentences ?? 0;
    this.tokens += counts.tokens ?? 0;
    const over = this.sentences > this.limits.sentences
      ? "sentences"
      : this.tokens > this.limits.tokens
      ? "tokens"
      : undefined;
    return over &&
      `the corpus has more than ${this.limits[over]} ${over} (all its splits together), over the ` +
        `limit (docs/reliability.md); refused`;
  }
}

/** How many repairs a report lists by place. */
const REPAIR_EXAMPLES = 10;

/**
 * Converts the sentences of one split (see the module doc). Throws a {@link CorpusFormatError} naming
 * file:line for a malformed tag or mixed IOB2/IOBES tags.
 *
 * @example
 * ```ts
 * const { sentences, documents, report } = convertTokenSentences([
 *   { docId: "d1", tokens: ["IL-2", "gene", "expression"], tags: ["B-GENE", "I-GENE", "O"], file: "t.tsv", line: 1, tokenPerLine: true },
 * ]);
 * documents[0].text;           // "IL-2 gene expression"
 * documents[0].mentions[0];    // { start: 0, end: 9, text: "IL-2 gene", type: "GENE", ids: [] }
 * sentences[0].words[1];       // { text: "gene", start: 5, end: 9 }
 * report.lost;                 // 0
 * ```
 */
export function convertTokenSentences(
  input: readonly TokenSentence[],
  options: { emptySentences?: number } = {},
): TokenConversion {
  const scheme = detectScheme(allTags(input));
  const firstIobes = scheme === "IOBES" ? findIobesTag(input) : undefined;
  const documents: Document[] = [], sentences: Sentence[] = [];
  const repairExamples: string[] = [];
  // Each distinct IOB2 tag once (tagsFromSpans makes a string per entity token).
  const tagNames = new Map<string, string>();
  const internTag = (tag: string) => tagNames.get(tag) ?? (tagNames.set(tag, tag), tag);
  // Documents already finished: a document's sentences must be consecutive.
  const finished = new Set<string>();
  let repairs = 0, tokens = 0, changedTokens = 0;
  let doc:
    | { id: string; lines: string[]; length: number; mentions: Mention[]; sentences: number }
    | undefined;
  const finishDocument = () => {
    if (!doc) return;
    const [title, ...rest] = doc.lines;
    const text = doc.lines.join("\n");
    documents.push({
      id: doc.id,
      title,
      abstract: rest.join("\n"),
      text,
      mentions: doc.mentions,
      relations: [],
    });
  };
  for (const source of input) {
    const where = (i: number) => `${source.file}:${tokenLine(source, i)}`;
    let reading;
    try {
      reading = readSchemeSpans(source.tags, scheme ?? "IOB2");
    } catch (error) {
      if (!(error instanceof TagSchemeError)) throw error;
      throw new CorpusFormatError(source.file, tokenLine(source, error.index), error.message);
    }
    if (reading.unclosedAt !== undefined) {
      throw new CorpusFormatError(
        source.file,
        tokenLine(source, reading.unclosedAt),
        `mixed IOB2 and IOBES tags: the file has IOBES tags (${firstIobes}) but the entity ending here ` +
          `(${source.tags[reading.unclosedAt]}) has no E-/S- tag`,
      );
    }
    for (const { index, from, to } of reading.repairs) {
      if (repairExamples.length < REPAIR_EXAMPLES) repairExamples.push(`${where(index)}: ${from} → ${to}`);
    }
    repairs += reading.repairs.length;
    tokens += source.tokens.length;

    if (doc?.id !== source.docId) {
      if (finished.has(source.docId)) {
        const first = input.find((s) => s.docId === source.docId)!;
        throw new CorpusFormatError(
          source.file,
          source.line,
          `document id ${JSON.stringify(source.docId)} again, after other documents (it began at ` +
            `${first.file}:${first.line}): the sentences of one document must be consecutive`,
        );
      }
      if (doc) finished.add(doc.id);
      finishDocument();
      doc = { id: source.docId, lines: [], length: -1, mentions: [], sentences: 0 };
    }
    const start = doc.length + 1;
    let offset = start;
    const words: Word[] = source.tokens.map((token) => {
      const word = { text: token, start: offset, end: offset + token.length };
      offset += token.length + 1;
      return word;
    });
    const line = source.tokens.join(" ");
    doc.lines.push(line);
    doc.length = start + line.length;
    doc.mentions.push(...reading.spans.map((span) => mentionOf(span, words, line, start)));
    sentences.push({
      docId: source.docId,
      index: doc.sentences++,
      start,
      end: start + line.length,
      words,
      tags: tagsFromSpans(reading.spans, words.length, "IOB2").map(internTag),
    });
  }
  finishDocument();

  const check = checkLossless(documents, sentences);
  sentences.forEach((sentence, s) => {
    sentence.words.forEach((word, i) => {
      if (word.text !== input[s].tokens[i]) changedTokens++;
    });
  });
  return {
    documents,
    sentences,
    lostMentions: check.lostMentions,
    report: {
      scheme: scheme ?? null,
      documents: documents.length,
      sentences: sentences.length,
      tokens,
      emptySentences: options.emptySentences ?? 0,
      mentions: countByType(documents.flatMap((d) => d.mentions)),
      entities: check.entities,
      repairs,
      repairExamples,
      lost: check.lostMentions.length,
      spurious: check.spurious,
      changedTokens: changedTokens + check.misplacedWords,
    },
  };
}

/** Every tag of `input`, without one array of them all. */
function* allTags(input: readonly TokenSentence[]): Generator<string> {
  for (const sentence of input) yield* sentence.tags;
}

/** The mention of a token span, offsets into the document text (`line` starts there at `lineStart`). */
function mentionOf(span: TokenSpan, words: readonly Word[], line: string, lineStart: number): Mention {
  const start = words[span.start].start, end = words[span.end - 1].end;
  return { start, end, text: line.slice(start - lineStart, end - lineStart), type: span.type, ids: [] };
}

/** The place of the first E-/S- tag, for the mixed-schemes message. */
function findIobesTag(input: readonly TokenSentence[]): string {
  for (const s of input) {
    const i = s.tags.findIndex((tag) => /^[ES]-/.test(tag));
    if (i >= 0) return `${s.tags[i]} at ${s.file}:${tokenLine(s, i)}`;
  }
  return "";
}
