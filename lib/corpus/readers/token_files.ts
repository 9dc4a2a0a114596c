/**
 * Word-tokenised split files — CoNLL text, or `.parquet` in the HF `tokens` + `ner_tags` layout — read and
 * converted per split (lib/corpus/token_conversion.ts: their own tokens kept, documents rebuilt from them):
 * a corpus folder's split files found by name, each read by its reader, the splits checked for one tag
 * scheme.
 *
 * @module
 */
import { basename, extname, join } from "node:path";
import { type Split, SPLITS } from "../types.ts";
import { CorpusFormatError } from "../errors.ts";
import { convertTokenSentences, type TokenConversion, TokenCorpusSize } from "../token_conversion.ts";
import { readConll } from "./conll.ts";
import { readHfTokenParquet } from "./hf_tokens.ts";

/** Token split files as read and converted. */
export interface TokenFiles {
  /** Where they were read from (a folder, or the files). */
  location: string;
  splits: Record<Split, TokenConversion>;
}

/** File extensions of split files in a corpus folder. */
const SPLIT_FILE = /\.(tsv|txt|conll|conllu|iob|iob2|iobes|bio|bioes|parquet)$/;
const SPLIT_NAMES: Readonly<Record<Split, RegExp>> = {
  train: /^train\b/i,
  dev: /^(dev|devel|valid|validation)\b/i,
  test: /^test\b/i,
};

/**
 * The split files of a corpus folder: `train.*`, `dev.*`/`devel.*`/`valid*.*`, `test.*` (CoNLL text, or
 * `.parquet` in the HF layout); throws when it has no train file or two files for one split. A symbolic link
 * is the file it points to (a folder of links to the files is a corpus folder): named by the link, read and
 * checked as its target; a link with such a name to nothing, or to what is not a file, is refused.
 *
 * @example
 * ```ts
 * await corpusFolderFiles("my-corpus"); // { train: "my-corpus/train.tsv", dev: "my-corpus/dev.tsv", test: … }
 * ```
 */
export async function corpusFolderFiles(dir: string): Promise<Partial<Record<Split, string>>> {
  const files: Partial<Record<Split, string>> = {};
  const names = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!SPLIT_FILE.test(entry.name) || !(entry.isFile || entry.isSymlink)) continue;
    if (entry.isSymlink) {
      // Whatever it points to is what will be read: refused here unless a file (lib/util/bounded_file.ts
      // checks its size and kind when it is read).
      const path = join(dir, entry.name);
      const target = await Deno.stat(path).catch(() => null);
      if (!target?.isFile) {
        const to = await Deno.readLink(path).catch(() => "?");
        throw new Error(
          `${path}: a link to ${to}, which ${
            target ? "is not a file" : "does not exist"
          }: link it to the file`,
        );
      }
    }
    names.push(entry.name);
  }
  for (const name of names.sort()) {
    const split = SPLITS.find((s) => SPLIT_NAMES[s].test(name));
    if (!split) continue;
    if (files[split]) {
      throw new Error(`${dir}: two ${split} files (${basename(files[split]!)}, ${name}): keep one`);
    }
    files[split] = join(dir, name);
  }
  if (!files.train) {
    throw new Error(
      `${dir}: no train file (train.tsv, train.conll, train.parquet, …; dev.*/devel.*/valid*.* and test.* beside it)`,
    );
  }
  return files;
}

/**
 * Reads and converts token split files. Splits without a file are empty. Throws when two splits use
 * different tag schemes, or a file has no sentence.
 *
 * @example
 * ```ts
 * const read = await readTokenFiles({ train: "c/train.tsv", test: "c/test.tsv" });
 * read.splits.train.report.lost; // 0
 * ```
 */
export async function readTokenFiles(
  files: Partial<Record<Split, string>>,
  options: { location?: string } = {},
): Promise<TokenFiles> {
  const splits = {} as Record<Split, TokenConversion>;
  const size = new TokenCorpusSize(); // the corpus's limits hold for all its splits together
  for (const split of SPLITS) {
    const path = files[split];
    if (!path) {
      splits[split] = convertTokenSentences([]);
      continue;
    }
    const docPrefix = split;
    if (extname(path) === ".parquet") {
      const { sentences, emptySentences } = await readHfTokenParquet(path, { docPrefix, size });
      splits[split] = convertTokenSentences(sentences, { emptySentences });
    } else {
      splits[split] = convertTokenSentences(await readConll(path, { docPrefix, size }));
    }
    // A split file without one token would train or test on nothing (as an empty BC5CDR file would).
    if (splits[split].sentences.length === 0) {
      const { emptySentences } = splits[split].report;
      throw new CorpusFormatError(
        path,
        1,
        `the ${split} split has no sentences: ${
          emptySentences > 0 ? `${emptySentences} row(s), none with tokens` : "no token lines"
        }`,
      );
    }
  }
  const schemes = SPLITS.filter((s) => splits[s].report.scheme !== null);
  const first = schemes[0];
  const other = schemes.find((s) => splits[s].report.scheme !== splits[first].report.scheme);
  if (other) {
    throw new Error(
      `mixed tag schemes: ${files[first]} is ${splits[first].report.scheme}, ${files[other]} is ` +
        `${splits[other].report.scheme}; convert them to one scheme`,
    );
  }
  const location = options.location ?? SPLITS.flatMap((s) => files[s] ?? []).join(", ");
  return { location, splits };
}
