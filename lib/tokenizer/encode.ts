/**
 * Pre-split words → model windows: WordPiece ids with word ids, character offsets and aligned labels, split
 * into overlapping windows when a sentence is longer than the model's maximum length.
 *
 * @module
 */
import type { Word } from "../bio/types.ts";
import { entityTag, parseTag } from "../bio/tags.ts";
import { type EncodedWindow, type EncodeOptions, IGNORE_INDEX } from "./types.ts";
import { planWindows } from "./windows.ts";

/** What `encodeWords` needs from a tokenizer (implemented by `BertTokenizer`). */
export interface WordPieces {
  readonly specialIds: { unk: number; cls: number; sep: number };
  wordPieces(word: string): { tokens: string[]; ids: number[]; offsets: [number, number][] };
}

/** Word labels to align to subwords. */
export interface LabelOptions {
  /** One IOB2 tag per word, e.g. "B-Chemical". */
  labels?: readonly string[];
  /** Tag name → label id (HF `config.label2id`). Required with `labels`. */
  label2id?: Readonly<Record<string, number>>;
}

/** Default sequence length, [CLS] and [SEP] included. */
export const DEFAULT_MAX_LENGTH = 128;
/** Default most subword tokens two consecutive windows share. */
export const DEFAULT_STRIDE = 32;

/**
 * Encodes one sentence's words into one or more {@link EncodedWindow}s.
 *
 * - Offsets are into the text the `Word` offsets refer to; for `string[]` input, into the words joined by
 *   single spaces.
 * - Labels: the first subword of a word carries its label id, later subwords {@link IGNORE_INDEX}; with
 *   `labelAllSubwords` later subwords carry the label too, with `B-X` turned into `I-X` by name. [CLS]/[SEP]
 *   are always {@link IGNORE_INDEX}. Every word a window holds is labelled, owned or context only (as in HF's
 *   strided windows), so training also learns from words near window edges.
 * - A sentence longer than `maxLength` is split at word boundaries into windows that overlap by at most
 *   `stride` subwords; each word is owned by exactly one window, the one where it has most context (see
 *   `planWindows`), and `mergeWindowPredictions` reads each word from its owner.
 * - A word with more subwords than fit in one window (`maxLength - 2`) keeps only its first `maxLength - 2`
 *   subwords, alone in its window: its first subword, the one that carries its label and prediction, is kept.
 * - A word that yields no subword (only control characters, e.g. a lone soft hyphen) is encoded as one [UNK]
 *   spanning the word, so it still gets a position, a label and a prediction.
 *
 * @example
 * ```ts
 * declare const tokenizer: any; // the example's inputs
 * const [window] = encodeWords(tokenizer, ["Naloxone", "induced"], {
 *   labels: ["B-Chemical", "O"],
 *   label2id: { O: 0, "B-Chemical": 1, "I-Chemical": 2 },
 * });
 * window.wordIds; // [null, 0, 0, 0, 0, 1, null]
 * window.labels;  // [-100, 1, -100, -100, -100, 0, -100]
 * ```
 */
export function encodeWords(
  tokenizer: WordPieces,
  words: readonly Word[] | readonly string[],
  options: EncodeOptions & LabelOptions = {},
): EncodedWindow[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const stride = options.stride ?? DEFAULT_STRIDE;
  if (!Number.isInteger(maxLength) || maxLength < 3) {
    throw new RangeError(`maxLength must be an integer ≥ 3 ([CLS] word [SEP]), got ${maxLength}`);
  }
  const capacity = maxLength - 2;
  if (!Number.isInteger(stride) || stride < 0 || stride >= capacity) {
    throw new RangeError(`stride must be an integer in [0, maxLength - 2 = ${capacity}), got ${stride}`);
  }
  const placed = placeWords(words);
  const labelIds = alignableLabels(placed.length, options);

  const pieces = placed.map(
    ({ text, start }): { ids: number[]; tokens: string[]; offsets: [number, number][] } => {
      const encoded = tokenizer.wordPieces(text);
      if (encoded.ids.length === 0) {
        return {
          ids: [tokenizer.specialIds.unk],
          tokens: ["[UNK]"],
          offsets: [[start, start + text.length]],
        };
      }
      const offsets = encoded.offsets.slice(0, capacity).map((
        [a, b],
      ): [number, number] => [start + a, start + b]);
      return { ids: encoded.ids.slice(0, capacity), tokens: encoded.tokens.slice(0, capacity), offsets };
    },
  );

  const { cls, sep } = tokenizer.specialIds;
  return planWindows(pieces.map((p) => p.ids.length), { capacity, stride }).map((span) => {
    const window: EncodedWindow = {
      inputIds: [cls],
      tokens: ["[CLS]"],
      wordIds: [null],
      offsets: [[0, 0]],
      ...span,
    };
    const labels = labelIds ? [IGNORE_INDEX] : undefined;
    for (let word = span.wordStart; word < span.wordEnd; word++) {
      const { ids, tokens, offsets } = pieces[word];
      window.inputIds.push(...ids);
      window.tokens.push(...tokens);
      window.offsets.push(...offsets);
      for (let piece = 0; piece < ids.length; piece++) {
        window.wordIds.push(word);
        if (labels) {
          const [first, later] = labelIds![word];
          labels.push(piece === 0 ? first : later);
        }
      }
    }
    window.inputIds.push(sep);
    window.tokens.push("[SEP]");
    window.wordIds.push(null);
    window.offsets.push([0, 0]);
    if (labels) {
      labels.push(IGNORE_INDEX);
      window.labels = labels;
    }
    return window;
  });
}

/** Words with their offsets; plain strings are placed as if joined by single spaces. */
function placeWords(words: readonly Word[] | readonly string[]): Word[] {
  let next = 0;
  return words.map((word, index) => {
    if (typeof word === "string") {
      const placed = { text: word, start: next, end: next + word.length };
      next = placed.end + 1;
      return placed;
    }
    if (word.end - word.start !== word.text.length) {
      throw new Error(
        `word ${index} ${JSON.stringify(word.text)}: offsets [${word.start}, ${word.end}) do not span its ` +
          `${word.text.length} characters`,
      );
    }
    return word;
  });
}

/** Per word: [label id of its first subword, label id of its later subwords]; undefined without labels. */
function alignableLabels(
  wordCount: number,
  { labels, label2id, labelAllSubwords }: EncodeOptions & LabelOptions,
): [number, number][] | undefined {
  if (!labels) return undefined;
  if (!label2id) throw new Error("labels given without label2id");
  if (labels.length !== wordCount) {
    throw new Error(`${labels.length} labels for ${wordCount} words`);
  }
  const idOf = (tag: string, word: number) => {
    const id = label2id[tag];
    if (!Object.hasOwn(label2id, tag) || !Number.isInteger(id)) {
      throw new Error(
        `word ${word}: label ${JSON.stringify(tag)} not in label2id (${Object.keys(label2id)})`,
      );
    }
    return id;
  };
  return labels.map((tag, word) => {
    const first = idOf(tag, word);
    if (!labelAllSubwords) return [first, IGNORE_INDEX];
    // Later subwords continue the entity: B-X → I-X by name, never by id arithmetic.
    const parsed = parseTag(tag);
    return [first, parsed?.prefix === "B" ? idOf(entityTag("I", parsed.type), word) : first];
  });
}
