/**
 * Reader of CoNLL-style token/tag files — one token per line with its tag in the last column, tab or space
 * separated (a tab-separated file keeps spaces inside tokens), a blank line between sentences, optional
 * `-DOCSTART-` lines between documents — into {@link TokenSentence}s for lib/corpus/token_conversion.ts.
 * This is the format of the MTL-2016 collection (`token<TAB>tag`, no document marks), of BioBERT's released
 * data and of CoNLL-2003 (`token POS chunk tag`). Without `-DOCSTART-` lines each sentence is its own
 * document.
 *
 * A line that is not blank, not `-DOCSTART-` and not a token followed by a tag (`O` or `B-`/`I-`/`E-`/`S-`
 * + type) is refused with its file:line. CRLF line ends and a UTF-8 byte-order mark are accepted.
 *
 * @module
 */
import { basename, extname } from "node:path";
import { CorpusFormatError } from "../errors.ts";
import { parseTag } from "../../bio/tags.ts";
import type { TokenSentence } from "../token_conversion.ts";
import { readTextFileBounded } from "../../util/bounded_file.ts";

/** Options of {@link parseConll}. */
export interface ParseConllOptions {
  /** Names the input in messages and document ids. Default "input". */
  file?: string;
  /** Prefix of the document ids (`<prefix>-1`, `<prefix>-2`, …). Default the file's name without extension. */
  docPrefix?: string;
}

const DOCSTART = "-DOCSTART-";

/**
 * Parses CoNLL text (see the module doc).
 *
 * @example
 * ```ts
 * const sentences = parseConll("IL-2\tB-GENE\ngene\tI-GENE\n\nIt\tO\n", { file: "train.tsv" });
 * sentences.map((s) => [s.docId, s.tokens, s.lines]);
 * // [["train-1", ["IL-2", "gene"], [1, 2]], ["train-2", ["It"], [4]]]
 * ```
 */
export function parseConll(text: string, options: ParseConllOptions = {}): TokenSentence[] {
  const file = options.file ?? "input";
  const prefix = options.docPrefix ?? basename(file, extname(file));
  const sentences: TokenSentence[] = [];
  const hasDocstart = /^-DOCSTART-(\s|$)/m.test(text);
  // The current document's number, and whether it has a sentence yet (a -DOCSTART- then starts the next).
  let document = 1, documentUsed = false;
  let current: TokenSentence | undefined;
  const endSentence = () => {
    if (current) sentences.push(current);
    current = undefined;
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.trim() === "") return endSentence();
    const fields = line.includes("\t") ? line.split("\t") : line.trim().split(/ +/);
    if (fields[0] === DOCSTART) {
      endSentence();
      if (documentUsed) document++;
      documentUsed = false;
      return;
    }
    const token = fields[0], tag = fields.at(-1)!;
    if (fields.length < 2 || token === "") {
      throw new CorpusFormatError(
        file,
        i + 1,
        `expected a token and its tag separated by a tab or spaces, got ${JSON.stringify(raw)}`,
      );
    }
    if (!parseTag(tag)) {
      throw new CorpusFormatError(file, i + 1, `tag ${JSON.stringify(tag)} is not O, B-…, I-…, E-… or S-…`);
    }
    if (!current) {
      if (!hasDocstart) document = sentences.length + 1;
      documentUsed = true;
      current = { docId: `${prefix}-${document}`, tokens: [], tags: [], file, lines: [] };
    }
    current.tokens.push(token);
    current.tags.push(tag);
    current.lines.push(i + 1);
  });
  endSentence();
  return sentences;
}

/**
 * Reads and parses a CoNLL file (see {@link parseConll}); messages name `path`.
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
  return parseConll(await readTextFileBounded(path, { kind: "corpus file" }), { ...options, file: path });
}
