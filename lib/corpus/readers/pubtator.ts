/**
 * Reader and writer for the PubTator format of the BC5CDR release:
 *
 * ```text
 * 227508|t|Naloxone reverses the antihypertensive effect of clonidine.
 * 227508|a|In unanesthetized, spontaneously hypertensive rats …
 * 227508	0	8	Naloxone	Chemical	D009270
 * 2234245	0	28	Ocular and auditory toxicity	Disease	D014786|D006311	Ocular toxicity|auditory toxicity
 * 227508	CID	D008750	D007022
 * ```
 *
 * Offsets are over `title + " " + abstract`, end exclusive, in Unicode code points as NCBI's (Python, Java)
 * tools count them; a {@link Document} holds them as UTF-16 offsets (JavaScript's), converted here on
 * reading and writing (they differ only after a character outside the Basic Multilingual Plane; BC5CDR's
 * files are ASCII). A mention may carry several `|`-joined ids (composite mentions also list their
 * individual mention texts in a 7th column); `-1` means "not normalised" and becomes an empty id list.
 * Relation lines have 4 fields, or 5 as NCBI's tools write them today (BioRED, PubTator 3:
 * `PMID<TAB>Type<TAB>ID1<TAB>ID2<TAB>Novel`; the 5th is read and not kept). Documents are separated by blank
 * lines.
 *
 * @module
 */
import type { Document, Mention } from "../types.ts";
import { excerpt, readFileLines, splitLines } from "../../util/lines.ts";
import { asCorpusFormatError, CorpusFormatError } from "../errors.ts";
import { type OffsetConverter, offsetConverter, spansToCodePoints } from "../../util/code_points.js";

/** Options of {@link parsePubTator}. */
export interface ParsePubTatorOptions {
  /** Name used in error messages (usually the file path). Default "<pubtator>". */
  source?: string;
  /**
   * Called for each annotation (mention or relation) line that cannot be read, which is then skipped — its
   * document kept, title and abstract whole: for tagging, which reads only the text. Without it (reading a
   * corpus to train or evaluate on) such a line is an error: a gold mention silently dropped would teach
   * "not an entity". Lines of title and abstract are always checked.
   */
  onAnnotationProblem?: (problem: CorpusFormatError) => void;
}

const TEXT_LINE = /^([^|\t]+)\|([ta])\|(.*)$/;
const UNNORMALISED_ID = "-1";

/**
 * Parses PubTator text into documents. Any malformed line, offsets outside the text, or a mention whose
 * text differs from the text at its offsets throws a {@link CorpusFormatError} naming `source:line`.
 *
 * @example
 * ```ts
 * const [doc] = parsePubTator("1|t|Aspirin.\n1|a|No harm.\n1\t0\t7\tAspirin\tChemical\tD001241\n");
 * doc.mentions[0]; // { start: 0, end: 7, text: "Aspirin", type: "Chemical", ids: ["D001241"] }
 * ```
 */
export function parsePubTator(content: string, options: ParsePubTatorOptions = {}): Document[] {
  const source = options.source ?? "<pubtator>";
  let lines: string[];
  try {
    lines = splitLines(content, { source });
  } catch (error) {
    throw asCorpusFormatError(error);
  }
  return parsePubTatorLines(lines, { ...options, source });
}

/** {@link parsePubTator} of text already split into lines (a BOM, if any, dropped). */
function parsePubTatorLines(lines: readonly string[], options: ParsePubTatorOptions): Document[] {
  const source = options.source ?? "<pubtator>";
  const documents: Document[] = [];
  const seen = new Set<string>();
  // The document being read (with its code point ↔ UTF-16 offsets); `pendingTitle` holds a title line until
  // its abstract line arrives.
  let doc: Document | undefined;
  let offsets: OffsetConverter | undefined;
  let pendingTitle: { id: string; title: string; line: number } | undefined;

  lines.forEach((line, i) => {
    const fail = (problem: string): never => {
      throw new CorpusFormatError(source, i + 1, problem);
    };
    if (line.trim() === "") {
      if (pendingTitle) fail(`document ${pendingTitle.id} has a title line but no abstract line`);
      doc = undefined;
      return;
    }

    const textLine = TEXT_LINE.exec(line);
    if (textLine) {
      const [, id, kind, text] = textLine;
      if (kind === "t") {
        if (doc || pendingTitle) fail(`title of ${id} inside another document (missing blank line?)`);
        if (seen.has(id)) fail(`document ${id} appears twice`);
        seen.add(id);
        pendingTitle = { id, title: text, line: i + 1 };
      } else {
        if (pendingTitle?.id !== id) fail(`abstract of ${id} without its title line just before it`);
        const title = pendingTitle!.title;
        doc = { id, title, abstract: text, text: `${title} ${text}`, mentions: [], relations: [] };
        offsets = offsetConverter(doc.text);
        documents.push(doc);
        pendingTitle = undefined;
      }
      return;
    }

    try {
      readAnnotation(line, doc, offsets, fail);
    } catch (error) {
      if (!(error instanceof CorpusFormatError) || !options.onAnnotationProblem) throw error;
      options.onAnnotationProblem(error);
    }
  });
  if (pendingTitle) {
    throw new CorpusFormatError(
      source,
      pendingTitle.line,
      `document ${pendingTitle.id} has a title line but no abstract line (at the end of the input)`,
    );
  }
  return documents;
}

/** A mention or relation line of `doc` (undefined: none open), added to it; `fail` throws for a bad one. */
function readAnnotation(
  line: string,
  doc: Document | undefined,
  offsets: OffsetConverter | undefined,
  fail: (problem: string) => never,
): void {
  const fields = line.split("\t");
  if (!doc || !offsets) {
    return fail(`annotation line outside a document (no title/abstract before it): ${excerpt(line)}`);
  }
  if (fields[0] !== doc.id) fail(`annotation for document ${fields[0]} inside document ${doc.id}`);
  if ((fields.length === 4 || fields.length === 5) && !/^\d+$/.test(fields[1])) {
    const [, type, arg1, arg2] = fields;
    if (!type || !arg1 || !arg2) fail(`malformed relation line ${excerpt(line)}`);
    doc.relations.push({ type, arg1, arg2 });
    return;
  }
  if (fields.length !== 6 && fields.length !== 7) {
    fail(
      `expected a mention line (6 or 7 tab-separated fields) or a relation line (4 or 5), got ${fields.length}`,
    );
  }
  doc.mentions.push(parseMention(fields, doc.text, offsets, fail));
}

function parseMention(
  fields: string[],
  text: string,
  offsets: OffsetConverter,
  fail: (problem: string) => never,
): Mention {
  const [, startField, endField, mentionText, type, idField, individual] = fields;
  if (!/^\d+$/.test(startField) || !/^\d+$/.test(endField)) {
    fail(
      `mention offsets must be integers, got ${excerpt(startField)} and ${excerpt(endField)}`,
    );
  }
  const startCodePoint = Number(startField), endCodePoint = Number(endField);
  const where = `[${startCodePoint}, ${endCodePoint})`;
  if (startCodePoint >= endCodePoint || endCodePoint > offsets.codePointLength) {
    fail(`mention offsets ${where} outside the document text (length ${offsets.codePointLength})`);
  }
  const start = offsets.toUtf16(startCodePoint), end = offsets.toUtf16(endCodePoint);
  if (text.slice(start, end) !== mentionText) {
    fail(
      `mention text ${excerpt(mentionText)} differs from the text at ${where}: ${
        excerpt(text.slice(start, end))
      }`,
    );
  }
  if (!type) fail("mention without a type");
  const mention: Mention = {
    start,
    end,
    text: mentionText,
    type,
    ids: idField.split("|").filter((id) => id !== "" && id !== UNNORMALISED_ID),
  };
  if (individual) mention.individualMentions = individual.split("|");
  return mention;
}

/**
 * Reads a PubTator file (see {@link parsePubTator}); errors name the file and line. The file must be UTF-8
 * (a BOM is dropped); invalid bytes are refused with their offset, not replaced. It must be a regular file
 * within the corpus file limit, its lines within the line limit (lib/util/bounded_file.ts, lib/util/lines.ts).
 *
 * @example
 * ```ts
 * const train = await readPubTator(`${Deno.env.get("BC5CDR_DIR")}/pubtator/CDR_TrainingSet.PubTator.txt`);
 * console.log(train.length); // 500
 * ```
 */
export async function readPubTator(path: string): Promise<Document[]> {
  const lines: string[] = [];
  try {
    for await (const line of readFileLines(path, { kind: "corpus file" })) lines.push(line);
  } catch (error) {
    throw asCorpusFormatError(error);
  }
  return parsePubTatorLines(lines, { source: path });
}

/**
 * Writes documents in PubTator format (the inverse of {@link parsePubTator}; `-1` for mentions without ids;
 * offsets in code points).
 *
 * @example
 * ```ts
 * const text = formatPubTator(await readPubTator("CDR_TrainingSet.PubTator.txt"));
 * ```
 */
export function formatPubTator(documents: Document[]): string {
  return documents.map((doc) => {
    const lines = [`${doc.id}|t|${doc.title}`, `${doc.id}|a|${doc.abstract}`];
    for (const m of spansToCodePoints(doc.text, doc.mentions)) {
      const fields = [
        doc.id,
        m.start,
        m.end,
        m.text,
        m.type,
        m.ids.length ? m.ids.join("|") : UNNORMALISED_ID,
      ];
      if (m.individualMentions) fields.push(m.individualMentions.join("|"));
      lines.push(fields.join("\t"));
    }
    for (const r of doc.relations) lines.push([doc.id, r.type, r.arg1, r.arg2].join("\t"));
    return lines.join("\n") + "\n";
  }).join("\n");
}
