/**
 * Word-tokenised corpora (CoNLL files, Hugging Face `tokens` + `ner_tags` datasets) → the project's
 * {@link Document}s and {@link Sentence}s, keeping the corpus's own tokens. The text is rebuilt from them —
 * tokens joined by one space, sentences by one line break — so every token maps back to its offsets, and
 * {@link checkLossless} plus a token-for-token comparison prove that nothing was lost or changed.
 *
 * Tags are read in the corpus's scheme (IOB2 or IOBES, see lib/bio/tags.ts) and become IOB2. Repaired
 * tags are counted and listed with their place (file:line); mixed schemes and malformed tags are refused
 * with their place.
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
  /** Per token: its line in `file` (CoNLL) or its row (parquet), 1-based. */
  lines: number[];
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

/** How many repairs a report lists by place. */
const REPAIR_EXAMPLES = 10;

/**
 * Converts the sentences of one split (see the module doc). Throws a {@link CorpusFormatError} naming
 * file:line for a malformed tag or mixed IOB2/IOBES tags.
 *
 * @example
 * ```ts
 * const { sentences, documents, report } = convertTokenSentences([
 *   { docId: "d1", tokens: ["IL-2", "gene", "expression"], tags: ["B-GENE", "I-GENE", "O"], file: "t.tsv", lines: [1, 2, 3] },
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
  const scheme = detectScheme(input.flatMap((s) => s.tags));
  const firstIobes = scheme === "IOBES" ? findIobesTag(input) : undefined;
  const documents: Document[] = [], sentences: Sentence[] = [];
  const repairExamples: string[] = [];
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
    const where = (i: number) => `${source.file}:${source.lines[i]}`;
    let reading;
    try {
      reading = readSchemeSpans(source.tags, scheme ?? "IOB2");
    } catch (error) {
      if (!(error instanceof TagSchemeError)) throw error;
      throw new CorpusFormatError(source.file, source.lines[error.index], error.message);
    }
    if (reading.unclosedAt !== undefined) {
      throw new CorpusFormatError(
        source.file,
        source.lines[reading.unclosedAt],
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
      finishDocument();
      doc = { id: source.docId, lines: [], length: -1, mentions: [], sentences: 0 };
    }
    const start = doc.length + 1;
    const words: Word[] = [];
    let offset = start;
    for (const token of source.tokens) {
      words.push({ text: token, start: offset, end: offset + token.length });
      offset += token.length + 1;
    }
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
      tags: tagsFromSpans(reading.spans, words.length, "IOB2"),
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

/** The mention of a token span, offsets into the document text (`line` starts there at `lineStart`). */
function mentionOf(span: TokenSpan, words: readonly Word[], line: string, lineStart: number): Mention {
  const start = words[span.start].start, end = words[span.end - 1].end;
  return { start, end, text: line.slice(start - lineStart, end - lineStart), type: span.type, ids: [] };
}

/** The place of the first E-/S- tag, for the mixed-schemes message. */
function findIobesTag(input: readonly TokenSentence[]): string {
  for (const s of input) {
    const i = s.tags.findIndex((tag) => /^[ES]-/.test(tag));
    if (i >= 0) return `${s.tags[i]} at ${s.file}:${s.lines[i]}`;
  }
  return "";
}
