/**
 * What a word-level model folder's `config.json` and `vocab.json` must hold, checked against each other: plain
 * functions over parsed JSON (no files, no tensors), so the static page (lib/page) checks a folder it fetched
 * with the very rules `loadWordCrfModel` applies.
 *
 * @module
 */
import { consistencyOptionsProblems } from "../../bio/consistency.ts";
import { reportedTypesProblems } from "../../bio/reported_types.ts";
import { labelSetProblems } from "../../bio/labels.ts";
import type { WordCrfConfig } from "./network.ts";
import { WordVocab, type WordVocabFile } from "./vocab.ts";

/** The `model_type` of a word-level model's config.json. */
export const WORD_CRF_MODEL_TYPE = "word-crf";

/**
 * The largest value of each size of a word-level model (config.json and profiles): ten times the largest in
 * common use or more — Lample et al. (words 100, characters 25, LSTM 100), Ma & Hovy (words 100, characters
 * 30, 30 filters of width 3, LSTM 200), ELMo's character CNN (2,048 filters of widths up to 7 over words cut at
 * 50 characters; LSTMs of 4,096 units), this project's bilstm-crf profile (100, 30, 100 filters of width 3, 24
 * characters, 200) — yet a typo is refused before anything is allocated. They matter most where no weight
 * bounds a size: `max_word_chars` has none (each distinct spelling of a batch is a row of up to that many
 * characters: 1,000,000 passed 2.5 GB on a 215 KB line of 20,000 distinct words and one of 100,000
 * characters), and beside a tiny other dimension `char_kernel`, `word_dim`, `char_dim` or `shape_dim` keep the
 * weight file small while each word's activations grow with them (`char_kernel: 1000000` with an 8 MB weight
 * file ran past 60 s and 1 GB on one short sentence). Vocabularies: up to a million word keys or characters
 * (BC5CDR's training split has 8,312 word keys and 80 characters).
 */
export const WORD_CRF_CONFIG_LIMITS = {
  word_vocab_size: 1_000_000,
  char_vocab_size: 1_000_000,
  word_dim: 4_096,
  char_dim: 1_024,
  char_filters: 4_096,
  char_kernel: 16,
  max_word_chars: 256,
  shape_dim: 1_024,
  hidden_size: 4_096,
} as const;

/** A size of a word-level model with a limit in {@link WORD_CRF_CONFIG_LIMITS}. */
export type WordCrfSizeKey = keyof typeof WORD_CRF_CONFIG_LIMITS;

/**
 * One line per size of `keys` in `values` that is not an integer within its bounds: at least 1 (2 for
 * `max_word_chars`: a cut word keeps its first and last characters), at most its
 * {@link WORD_CRF_CONFIG_LIMITS}. Each names its key after `prefix` (`"model.config."` in a profile).
 *
 * @example
 * ```ts
 * wordCrfSizeProblems({ char_kernel: 1e6 }, ["char_kernel"]);
 * // ["char_kernel must be an integer in [1, 16], got 1000000"]
 * ```
 */
export function wordCrfSizeProblems(
  values: Readonly<Record<string, unknown>>,
  keys: readonly WordCrfSizeKey[],
  prefix = "",
): string[] {
  return keys.flatMap((key) => {
    const value = values[key], least = key === "max_word_chars" ? 2 : 1;
    const most = WORD_CRF_CONFIG_LIMITS[key];
    return Number.isInteger(value) && (value as number) >= least && (value as number) <= most
      ? []
      : [`${prefix}${key} must be an integer in [${least}, ${most}], got ${JSON.stringify(value)}`];
  });
}

/**
 * Checks a parsed config.json of a word-level model: every size an integer within
 * {@link WORD_CRF_CONFIG_LIMITS}, dropout in [0, 1), labels with ids 0..K−1 forming a label set
 * lib/bio/labels.ts accepts.
 *
 * @example
 * ```ts
 * declare const values: any; // the example's inputs
 * const config = validateWordCrfConfig(values, "outputs/run/best/config.json");
 * ```
 */
export function validateWordCrfConfig(values: Record<string, unknown>, source: string): WordCrfConfig {
  const problems: string[] = [];
  if (values.model_type !== WORD_CRF_MODEL_TYPE) problems.push(`model_type must be "${WORD_CRF_MODEL_TYPE}"`);
  problems.push(...wordCrfSizeProblems(values, Object.keys(WORD_CRF_CONFIG_LIMITS) as WordCrfSizeKey[]));
  const dropout = values.dropout;
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1)) {
    problems.push("dropout must be in [0, 1)");
  }
  if (typeof values.initializer_range !== "number" || !(values.initializer_range > 0)) {
    problems.push("initializer_range must be > 0");
  }
  problems.push(...consistencyOptionsProblems(values.consistency, "consistency"));
  const id2label = values.id2label as Record<string, unknown> | undefined;
  const ids = Object.keys(id2label ?? {});
  if (!id2label || ids.length < 2 || ids.some((id, i) => id !== String(i) && !ids.includes(String(i)))) {
    problems.push("id2label must map ids 0..K−1 (K ≥ 2) to labels");
  } else {
    const labels = ids.sort((a, b) => Number(a) - Number(b)).map((id) => id2label[id]);
    problems.push(...labelSetProblems(labels));
    problems.push(...reportedTypesProblems(values.reported_types, labels.map(String), "reported_types"));
  }
  if (problems.length > 0) throw new Error(`${source}: invalid word-crf config: ${problems.join("; ")}`);
  const labels = Object.entries(id2label!).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, l]) =>
    String(l)
  );
  return {
    ...(values as unknown as WordCrfConfig),
    label2id: Object.fromEntries(labels.map((label, id) => [label, id])),
  };
}

/**
 * Whether a folder's parsed config.json (undefined: none readable) is a word-level model's: model_type
 * "word-crf".
 *
 * @example
 * ```ts
 * isWordCrfConfig({ model_type: "bert" }); // false
 * ```
 */
export function isWordCrfConfig(config: Record<string, unknown> | undefined): boolean {
  return config?.model_type === WORD_CRF_MODEL_TYPE;
}

/**
 * The vocabularies of a parsed `vocab.json`, checked against its config: the three lists present, as many
 * words and characters as the config's sizes. `paths` name the two files in errors.
 *
 * @example
 * ```ts
 * import type { WordCrfConfig } from "./network.ts";
 * declare const values: Record<string, unknown>, config: WordCrfConfig; // the example's inputs
 * const vocab = wordVocabOf(values, config, { vocabPath: "m/vocab.json", configPath: "m/config.json" });
 * ```
 */
export function wordVocabOf(
  values: Record<string, unknown>,
  config: WordCrfConfig,
  paths: { vocabPath: string; configPath: string },
): WordVocab {
  const { vocabPath, configPath } = paths;
  const file = values as unknown as WordVocabFile;
  const lists = ["words", "wordCounts", "chars"] as const;
  if (lists.some((key) => !Array.isArray(file[key]))) {
    throw new Error(`${vocabPath}: needs words, wordCounts, chars`);
  }
  if (file.words.length !== config.word_vocab_size || file.chars.length !== config.char_vocab_size) {
    throw new Error(
      `${vocabPath}: ${file.words.length} words and ${file.chars.length} characters, but ${configPath} says ` +
        `word_vocab_size ${config.word_vocab_size} and char_vocab_size ${config.char_vocab_size}`,
    );
  }
  return new WordVocab(file, { maxWordChars: config.max_word_chars });
}
