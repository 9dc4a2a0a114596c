// Over 300 lines: the tokenizer.json builder and the per-word offsets pass must agree token for token.
/**
 * A cased BERT WordPiece tokenizer (BioBERT's) built from a `vocab.txt` with `@huggingface/tokenizers`,
 * plus the per-word pass that gives what the library's `encode()` does not: subword character offsets.
 *
 * Why per word: `Tokenizer.encode()` returns ids and tokens only. Running the tokenizer's own normalizer →
 * pre-tokenizer → WordPiece model on each word yields the same tokens (checked against whole-sentence
 * `encode()` on BC5CDR in tests/tokenizer/) while knowing which word, and which characters, each token
 * comes from.
 *
 * @module
 */
import { Tokenizer } from "@huggingface/tokenizers";
import type { Word } from "../bio/types.ts";
import type { EncodedWindow, EncodeOptions } from "./types.ts";
import { encodeWords, type LabelOptions, type WordPieces } from "./encode.ts";
import { readTextFileBounded } from "../util/bounded_file.ts";
import { excerpt, splitLines } from "../util/lines.ts";

/** The special tokens a BERT vocab must contain, in the order HF lists them as added tokens. */
export const BERT_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Ids of the BERT special tokens in one vocab. */
export interface SpecialTokenIds {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask: number;
}

/**
 * Splits the text of a `vocab.txt` (one token per line, id = line number) into tokens.
 * Throws on empty or duplicated tokens and on a missing special token, naming the line.
 *
 * @example
 * ```ts
 * const vocab = parseVocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n##s\n");
 * vocab.length; // 7
 * ```
 */
export function parseVocab(text: string, source = "vocab.txt"): string[] {
  const lines = splitLines(text, { source });
  const seen = new Map<string, number>();
  lines.forEach((token, line) => {
    if (token === "") throw new Error(`${source}:${line + 1}: empty token`);
    const earlier = seen.get(token);
    if (earlier !== undefined) {
      throw new Error(`${source}:${line + 1}: token ${excerpt(token)} already on line ${earlier + 1}`);
    }
    seen.set(token, line);
  });
  for (const special of BERT_SPECIAL_TOKENS) {
    if (!seen.has(special)) throw new Error(`${source}: no ${special} token (not a BERT vocab?)`);
  }
  return lines;
}

/**
 * The `tokenizer.json` object of a cased BERT WordPiece tokenizer over `vocab` — what a HF model folder saves
 * and what `new Tokenizer(json, config)` loads. No lower-casing, no accent stripping (BioBERT is cased).
 *
 * @example
 * ```ts
 * const json = bertTokenizerJson(parseVocab(await Deno.readTextFile("vocab.txt")));
 * await Deno.writeTextFile("model/tokenizer.json", JSON.stringify(json));
 * ```
 */
export function bertTokenizerJson(vocab: readonly string[]) {
  const id = (token: string) => {
    const index = vocab.indexOf(token);
    if (index < 0) throw new Error(`vocab has no ${token} token`);
    return index;
  };
  const special = (token: string) => ({ id: token, ids: [id(token)], tokens: [token] });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: false,
      lowercase: false,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: { "[CLS]": special("[CLS]"), "[SEP]": special("[SEP]") },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      // fromEntries, not assignment: a token named "__proto__" must stay a plain key.
      vocab: Object.fromEntries(vocab.map((token, index) => [token, index])),
    },
  };
}

/**
 * The `tokenizer_config.json` to save next to `tokenizer.json`. Without it, Python's slow BertTokenizer
 * lower-cases by default — wrong for a cased model.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("model/tokenizer_config.json", JSON.stringify(bertTokenizerConfig()));
 * ```
 */
export function bertTokenizerConfig(modelMaxLength = 512) {
  return {
    tokenizer_class: "BertTokenizer",
    do_lower_case: false,
    strip_accents: false,
    tokenize_chinese_chars: true,
    model_max_length: modelMaxLength,
    unk_token: "[UNK]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    cls_token: "[CLS]",
    mask_token: "[MASK]",
  };
}

/**
 * A cased BERT WordPiece tokenizer. Build it with {@link loadBertTokenizer} or `new BertTokenizer(vocab)`.
 *
 * @example
 * ```ts
 * const tokenizer = await loadBertTokenizer(Deno.env.get("BIOBERT_VOCAB")!);
 * const [window] = tokenizer.encodeWords(["Naloxone", "reverses", "hypotension"], {
 *   labels: ["B-Chemical", "O", "B-Disease"],
 *   label2id: { "O": 0, "B-Chemical": 1, "I-Chemical": 2, "B-Disease": 3, "I-Disease": 4 },
 * });
 * window.tokens; // ["[CLS]", "Na", "##lo", "##xon", "##e", "reverse", "##s", "h", "##y", ..., "[SEP]"]
 * ```
 */
export class BertTokenizer implements WordPieces {
  /** The underlying `@huggingface/tokenizers` tokenizer (whole-text `encode()`, `decode()`). */
  readonly hf: Tokenizer;
  /** Ids of [PAD], [UNK], [CLS], [SEP], [MASK]. */
  readonly specialIds: SpecialTokenIds;
  readonly #vocab: readonly string[];
  readonly #ids: Map<string, number>;

  /** @param vocab the tokens of a `vocab.txt` in id order (see {@link parseVocab}). */
  constructor(vocab: readonly string[]) {
    this.#vocab = vocab;
    this.#ids = new Map(vocab.map((token, index) => [token, index]));
    this.hf = new Tokenizer(bertTokenizerJson(vocab), bertTokenizerConfig());
    this.specialIds = {
      pad: this.#required("[PAD]"),
      unk: this.#required("[UNK]"),
      cls: this.#required("[CLS]"),
      sep: this.#required("[SEP]"),
      mask: this.#required("[MASK]"),
    };
  }

  #required(token: string): number {
    const id = this.#ids.get(token);
    if (id === undefined) throw new Error(`vocab has no ${token} token`);
    return id;
  }

  /** Number of tokens in the vocab (the model's `vocab_size`). */
  get vocabSize(): number {
    return this.#vocab.length;
  }

  /** The vocab in id order (what `vocab.txt` holds). */
  get vocab(): readonly string[] {
    return this.#vocab;
  }

  /** Id of `token`, or undefined when it is not in the vocab. */
  tokenToId(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** Token of `id`; throws for an id outside the vocab. */
  idToToken(id: number): string {
    const token = this.#vocab[id];
    if (token === undefined) throw new RangeError(`token id ${id} outside vocab of ${this.#vocab.length}`);
    return token;
  }

  /** The `vocab.txt` text of this vocab (one token per line). */
  vocabText(): string {
    return this.#vocab.join("\n") + "\n";
  }

  /**
   * WordPieces of one word with [start, end) offsets into `word` (UTF-16 code units). A word the
   * pre-tokenizer splits (e.g. "5-HT") gives the pieces of each part; a part WordPiece cannot spell, or
   * longer than 100 characters, is one [UNK] spanning the part. A word that normalizes to nothing
   * (control characters only) gives no pieces.
   *
   * @example
   * ```ts
   * declare const tokenizer: any; // the example's inputs
   * tokenizer.wordPieces("α-tocopherol").tokens; // ["α", "-", "to", "##co", "##pher", "##ol"]
   * ```
   */
  wordPieces(word: string): { tokens: string[]; ids: number[]; offsets: [number, number][] } {
    const hf = this.hf;
    const { normalized, sourceStart, sourceEnd } = this.#normalizeWithOffsets(word);
    const tokens: string[] = [];
    const offsets: [number, number][] = [];
    let cursor = 0;
    for (const part of hf.pre_tokenizer!.pre_tokenize_text(normalized)) {
      const partStart = normalized.indexOf(part, cursor);
      cursor = partStart + part.length;
      let pieceStart = partStart;
      for (const piece of hf.model!([part])) {
        // [UNK] stands for the whole part; "##x" covers x's characters.
        const length = piece === "[UNK]"
          ? part.length
          : piece.startsWith("##") && pieceStart > partStart
          ? piece.length - 2
          : piece.length;
        tokens.push(piece);
        offsets.push([sourceStart[pieceStart], sourceEnd[pieceStart + length - 1]]);
        pieceStart += length;
      }
      if (pieceStart !== cursor) {
        throw new Error(`WordPiece pieces of ${JSON.stringify(part)} do not spell it: ${tokens.join(" ")}`);
      }
    }
    return { tokens, ids: tokens.map((token) => this.#ids.get(token)!), offsets };
  }

  /**
   * Normalizes `word` and maps each normalized code unit back to the source code units it came from.
   * BertNormalizer without lower-casing is character-local (drop controls, whitespace → space, spaces around
   * CJK), so normalizing character by character gives both the text and the map.
   */
  #normalizeWithOffsets(word: string) {
    const normalize = this.hf.normalizer!;
    const whole = normalize(word);
    const sourceStart: number[] = [];
    const sourceEnd: number[] = [];
    if (whole === word) {
      for (let i = 0; i < word.length; i++) {
        sourceStart.push(i);
        sourceEnd.push(i + 1);
      }
      return { normalized: word, sourceStart, sourceEnd };
    }
    let normalized = "";
    let offset = 0;
    for (const char of word) {
      const piece = normalize(char);
      normalized += piece;
      for (let i = 0; i < piece.length; i++) {
        sourceStart.push(offset);
        sourceEnd.push(offset + char.length);
      }
      offset += char.length;
    }
    if (normalized !== whole) {
      throw new Error(`normalizer is not character-local on ${JSON.stringify(word)}; offsets impossible`);
    }
    return { normalized, sourceStart, sourceEnd };
  }

  /**
   * Encodes pre-split words into model windows with word ids, offsets and aligned labels; see
   * {@link encodeWords} for windowing, ownership and label rules.
   *
   * @example
   * ```ts
   * declare const tokenizer: any, sentence: any, label2id: any; // the example's inputs
   * const windows = tokenizer.encodeWords(sentence.words, { maxLength: 128, labels: sentence.tags, label2id });
   * ```
   */
  encodeWords(words: Word[] | string[], options: EncodeOptions & LabelOptions = {}): EncodedWindow[] {
    return encodeWords(this, words, options);
  }

  /**
   * Whole-text encoding by the library (`[CLS] … [SEP]`, no offsets): the reference the per-word pass is
   * checked against, and enough for callers that need no alignment.
   *
   * @example
   * ```ts
   * declare const tokenizer: any; // the example's inputs
   * tokenizer.encodeText("Naloxone reverses").tokens; // ["[CLS]", "Na", "##lo", ..., "[SEP]"]
   * ```
   */
  encodeText(text: string): { ids: number[]; tokens: string[] } {
    const { ids, tokens } = this.hf.encode(text);
    return { ids, tokens };
  }
}

/**
 * Loads a BERT tokenizer from a `vocab.txt`.
 *
 * @example
 * ```ts
 * const tokenizer = await loadBertTokenizer("/data/biobert-base-cased-v1.1/vocab.txt");
 * tokenizer.vocabSize; // 28996
 * ```
 */
export async function loadBertTokenizer(vocabPath: string): Promise<BertTokenizer> {
  return new BertTokenizer(await readVocab(vocabPath));
}

/**
 * Reads and parses a `vocab.txt` (see {@link parseVocab}): a regular file within the vocab file limit of
 * lib/util/bounded_file.ts.
 *
 * @example
 * ```ts
 * const vocab = await readVocab("/data/biobert-base-cased-v1.1/vocab.txt");
 * vocab.length; // 28996
 * ```
 */
export async function readVocab(vocabPath: string): Promise<string[]> {
  let text: string;
  try {
    text = await readTextFileBounded(vocabPath, { kind: "vocab file" });
  } catch (error) {
    throw new Error(`cannot read vocab ${vocabPath}: ${(error as Error).message}`);
  }
  return parseVocab(text, vocabPath);
}
