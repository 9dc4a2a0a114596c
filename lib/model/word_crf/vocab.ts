/**
 * The word-level model's vocabularies, built from training sentences: word keys (see features.ts) and
 * characters, each with id 0 for padding and id 1 for anything unseen. Saved as `vocab.json` beside the
 * weights, so a model folder alone encodes new text exactly as training did.
 *
 * @module
 */
import { WORD_SHAPES, wordKey, wordShape } from "./features.ts";

/** Id of padding, in both vocabularies. */
export const PAD_ID = 0;
/** Id of an unseen word key or character. */
export const UNK_ID = 1;

/** The `vocab.json` of a word-level model folder. */
export interface WordVocabFile {
  /** Word keys by id; ids 0 and 1 are `"<pad>"` and `"<unk>"`. */
  words: string[];
  /** How often each word key occurred in the training data (same order; 0 for the two specials). */
  wordCounts: number[];
  /** Characters (code points) by id; ids 0 and 1 are `"<pad>"` and `"<unk>"`. */
  chars: string[];
}

/** Options of {@link buildWordVocab}. */
export interface BuildVocabOptions {
  /** Word keys seen fewer times are left out (they read as `<unk>`). Default 1: every key seen. */
  minWordCount?: number;
  /** Characters seen fewer times are left out. Default 1. */
  minCharCount?: number;
}

/**
 * Word and character vocabularies of `texts` (the words of the training sentences), most frequent first, ties
 * in first-seen order — the same input always gives the same ids.
 *
 * @example
 * ```ts
 * const vocab = buildWordVocab(["Naloxone", "reverses", "naloxone", "."]);
 * vocab.words.slice(0, 3); // ["<pad>", "<unk>", "naloxone"]
 * ```
 */
export function buildWordVocab(texts: Iterable<string>, options: BuildVocabOptions = {}): WordVocabFile {
  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  for (const text of texts) {
    const key = wordKey(text);
    words.set(key, (words.get(key) ?? 0) + 1);
    for (const char of text) chars.set(char, (chars.get(char) ?? 0) + 1);
  }
  const ranked = (counts: Map<string, number>, min: number) =>
    [...counts].filter(([, n]) => n >= min).sort((a, b) => b[1] - a[1]);
  const wordRanks = ranked(words, options.minWordCount ?? 1);
  return {
    words: ["<pad>", "<unk>", ...wordRanks.map(([key]) => key)],
    wordCounts: [0, 0, ...wordRanks.map(([, n]) => n)],
    chars: ["<pad>", "<unk>", ...ranked(chars, options.minCharCount ?? 1).map(([char]) => char)],
  };
}

/** Per word of a sentence: word id, shape id and character ids. */
export interface EncodedWords {
  wordIds: number[];
  shapeIds: number[];
  charIds: number[][];
}

/**
 * Looks words up: word keys and characters as ids (unseen → {@link UNK_ID}). A word longer than
 * `maxWordChars` keeps its first and last characters (a chemical name's ends carry its class: "-ine",
 * "-ol"); an empty word is one `<unk>` character, so every word has at least one.
 */
export class WordVocab {
  readonly file: WordVocabFile;
  readonly maxWordChars: number;
  #wordIds: Map<string, number>;
  #charIds: Map<string, number>;

  constructor(file: WordVocabFile, options: { maxWordChars: number }) {
    if (file.words.length < 2 || file.chars.length < 2 || file.wordCounts.length !== file.words.length) {
      throw new Error("vocab.json: words, wordCounts and chars must list <pad>, <unk> and the entries");
    }
    if (!(Number.isInteger(options.maxWordChars) && options.maxWordChars >= 2)) {
      throw new Error(`maxWordChars must be an integer ≥ 2, got ${options.maxWordChars}`);
    }
    this.file = file;
    this.maxWordChars = options.maxWordChars;
    this.#wordIds = new Map(file.words.map((word, id) => [word, id]));
    this.#charIds = new Map(file.chars.map((char, id) => [char, id]));
  }

  /** Number of word ids (rows of the word embedding). */
  get wordCount(): number {
    return this.file.words.length;
  }

  /** Number of character ids (rows of the character embedding). */
  get charCount(): number {
    return this.file.chars.length;
  }

  /** Training count of a word id (0 for the specials). */
  countOf(wordId: number): number {
    return this.file.wordCounts[wordId] ?? 0;
  }

  /**
   * The ids of a sentence's words.
   *
   * @example
   * ```ts
   * const vocab = new WordVocab(buildWordVocab(["Naloxone", "."]), { maxWordChars: 20 });
   * vocab.encode(["naloxone", "morphine"]).wordIds; // [2, 1]
   * ```
   */
  encode(words: readonly string[]): EncodedWords {
    const half = this.maxWordChars >> 1;
    return {
      wordIds: words.map((word) => this.#wordIds.get(wordKey(word)) ?? UNK_ID),
      shapeIds: words.map((word) => WORD_SHAPES.indexOf(wordShape(word))),
      charIds: words.map((word) => {
        // A word of more than 2·maxWordChars UTF-16 units has more than maxWordChars characters: only its
        // ends are spread into characters (the first n characters lie within its first 2n units).
        const long = word.length > 2 * this.maxWordChars;
        let chars = long ? [...word.slice(0, 2 * (this.maxWordChars - half))] : [...word];
        if (chars.length === 0) return [UNK_ID];
        if (long || chars.length > this.maxWordChars) {
          const tail = long ? [...word.slice(word.length - 2 * half)] : chars;
          chars = [...chars.slice(0, this.maxWordChars - half), ...tail.slice(tail.length - half)];
        }
        return chars.map((char) => this.#charIds.get(char) ?? UNK_ID);
      }),
    };
  }
}
