/**
 * Reader of CoNLL-style token/tag files — one token per line with its tag in the last column, tab or space
 * separated (a tab-separated file keeps spaces inside tokens), a blank line between sentences, optional
 * `-DOCSTART-` lines between documents — into {@link TokenSentence}s for lib/corpus/token_conversion.ts.
 * This is the format of the MTL-2016 collection (`token<TAB>tag`, no document marks), of BioBERT's released
 * data and of CoNLL-2003 (`token POS chunk tag`). Without `-DOCSTART-` lines each sentence is its own
 * document.
 *
 * A line that is not blank, not `-DOCSTART-` and not a token followed by a tag (`O` or `B-`/`I-`/`E-`/`S-`
 * + type) is refused with its file:line, and so is a `-DOCSTART-` line tagged other than `O` (it would be a
 * token, or a mark that drops the entity it tags). Lines end at LF, CRLF or a lone CR (old Mac files; a CR is
 * never part of a token, and Python's universal newlines, which the CoNLL tools read with, do the same); a
 * UTF-8 byte-order mark is dropped. A file is streamed line by line through lib/util/lines.ts (strict UTF-8,
 * its line limit), and counted against the corpus's limits (lib/corpus/token_conversion.ts'
 * `TOKEN_CORPUS_LIMITS`).
 *
 * @module
 */
import { basename, extname } from "node:path";
import { CorpusFormatError } from "../errors.ts";
import { parseTag } from "../../bio/tags.ts";
import { TokenCorpusSize, type TokenSentence } from "../token_conversion.ts";
import { excerpt, readFileLines, splitLines } from "../../util/lines.ts";

/** Options of {@link parseConll}. */
export interface ParseConllOptions {
  /** Names the input in messages and document ids. Default "input". */
  file?: string;
  /** Prefix of the document ids (`<prefix>-1`, `<prefix>-2`, …). Default the file's name without extension. */
  docPrefix?: string;
  /** What the corpus's files read so far hold (its limits are checked as this file adds to it). Default: this file's. */
  size?: TokenCorpusSize;
}

const DOCSTART = "-DOCSTART-";

/**
 * The parser behind {@link parseConll} and {@link readConll}, fed one line at a time. A sentence's arrays are
 * collected in scratch arrays and copied at its end to exactly their length (an array grown by `push` holds
 * 17 slots for one token: most of a short sentence's memory), and each distinct token and tag string is kept
 * once.
 */
class ConllParser {
  readonly sentences: TokenSentence[] = [];
  readonly #file: string;
  readonly #prefix: string;
  #tokens: string[] = [];
  #tags: string[] = [];
  #firstLine = 0; // of the current sentence
  readonly #tagNames = new Map<string, string>();
  readonly #tokenTexts = new Map<string, string>();
  readonly #size: TokenCorpusSize;
  // The current document's number and id, whether it has a sentence yet (a -DOCSTART- then starts the next),
  // and whether the file has any -DOCSTART- (without one, each sentence is its own document).
  #document = 1;
  #docId: string;
  #documentUsed = false;
  #hasDocstart = false;

  constructor(options: ParseConllOptions) {
    this.#file = options.file ?? "input";
    this.#prefix = options.docPrefix ?? basename(this.#file, extname(this.#file));
    this.#docId = `${this.#prefix}-1`;
    this.#size = options.size ?? new TokenCorpusSize();
  }

  line(raw: string, number: number): void {
    const line = raw.trimEnd();
    if (line.trim() === "") return this.#endSentence();
    const fields = line.includes("\t") ? line.split("\t") : line.trim().split(/ +/);
    const token = fields[0], tag = fields.at(-1)!;
    if (token === DOCSTART) {
      // `-DOCSTART- -X- -X- O` (CoNLL-2003), `-DOCSTART-` or `-DOCSTART-<TAB>O`: a mark, never tagged.
      if (fields.length > 1 && tag !== "O") {
        throw new CorpusFormatError(
          this.#file,
          number,
          `a -DOCSTART- line tagged ${excerpt(tag)}: a document mark is tagged O or not at all`,
        );
      }
      this.#endSentence();
      this.#hasDocstart = true;
      if (this.#documentUsed) this.#docId = `${this.#prefix}-${++this.#document}`;
      this.#documentUsed = false;
      return;
    }
    if (fields.length < 2 || token === "") {
      throw new CorpusFormatError(
        this.#file,
        number,
        `expected a token and its tag separated by a tab or spaces, got ${excerpt(raw)}`,
      );
    }
    let name = this.#tagNames.get(tag);
    if (name === undefined) {
      if (!parseTag(tag)) {
        throw new CorpusFormatError(this.#file, number, `tag ${excerpt(tag)} is not O, B-…, I-…, E-… or S-…`);
      }
      this.#tagNames.set(tag, name = tag);
    }
    // A sentence counts from its first token: the limit is passed at the line that passes it.
    const over = this.#size.add({ sentences: this.#tokens.length === 0 ? 1 : 0, tokens: 1 });
    if (over) throw new CorpusFormatError(this.#file, number, over);
    let text = this.#tokenTexts.get(token);
    if (text === undefined) this.#tokenTexts.set(token, text = token);
    if (this.#tokens.length === 0) this.#firstLine = number;
    this.#tokens.push(text);
    this.#tags.push(name);
  }

  #endSentence(): void {
    if (this.#tokens.length === 0) return;
    this.#documentUsed = true;
    this.sentences.push({
      docId: this.#docId,
      tokens: this.#tokens.slice(),
      tags: this.#tags.slice(),
      file: this.#file,
      line: this.#firstLine,
      tokenPerLine: true,
    });
    this.#tokens.length = this.#tags.length = 0;
  }

  end(): TokenSentence[] {
    this.#endSentence();
    if (!this.#hasDocstart) this.sentences.forEach((s, i) => s.docId = `${this.#prefix}-${i + 1}`);
    return this.sentences;
  }
}

/**
 * Parses CoNLL text (see the module doc).
 *
 * @example
 * ```ts
 * const sentences = parseConll("IL-2\tB-GENE\ngene\tI-GENE\n\nIt\tO\n", { file: "train.tsv" });
 * sentences.map((s) => [s.docId, s.tokens, s.line]);
 * // [["train-1", ["IL-2", "gene"], 1], ["train-2", ["It"], 4]]
 * ```
 */
export function parseConll(text: string, options: ParseConllOptions = {}): TokenSentence[] {
  const parser = new ConllParser(options);
  splitLines(text, { source: options.file ?? "input", lineEnds: "any" }).forEach((raw, i) =>
    parser.line(raw, i + 1)
  );
  return parser.end();
}

/**
 * Reads and parses a CoNLL file (see {@link parseConll}), streamed; messages name `path`.
 *
 * @example
 * ```ts
 * const sentences = await readConll("../shared/data/mtl2016/BC2GM-IOB/train.tsv");
 * ```
 */
export async function readConll(
  path: string,
  options: Omit<ParseConllOptions, "file"> = {},
): Promise<TokenSentence[]> {
  const parser = new ConllParser({ ...options, file: path });
  let number = 0;
  for await (const raw of readFileLines(path, { kind: "corpus file", lineEnds: "any" })) {
    parser.line(raw, ++number);
  }
  return parser.end();
}
