/**
 * What a word-level model folder's `config.json` and `vocab.json` must hold, checked against each other: plain
 * functions over parsed JSON (no files, no tensors), so the static page (lib/page) checks a folder it fetched
 * with the very rules `loadWordCrfModel` applies.
 *
 * @module
 */
import { consistencyOptionsProblems } from "../../bio/consistency.ts";
import { labelSetProblems } from "../../bio/labels.ts";
import type { WordCrfConfig } from "./network.ts";
import { WordVocab, type WordVocabFile } from "./vocab.ts";

/** The `model_type` of a word-level model's config.json. */
export const WORD_CRF_MODEL_TYPE = "word-crf";

const SIZE_KEYS = [
  "word_vocab_size",
  "char_vocab_size",
  "word_dim",
  "char_dim",
  "char_filters",
  "char_kernel",
  "max_word_chars",
  "shape_dim",
  "hidden_size",
] as const;

/** Largest value a size may have: ten times BC5CDR's needs, far below what would exhaust memory. */
const MAX_SIZE = 1_000_000;

/**
 * Checks a parsed config.json of a word-level model: every size a positive integer (≤ 10⁶), dropout in [0, 1),
 * labels with ids 0..K−1 forming a label set lib/bio/labels.ts accepts.
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
  for (const key of SIZE_KEYS) {
    const value = values[key];
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SIZE) {
      problems.push(`${key} must be an integer in [1, ${MAX_SIZE}], got ${JSON.stringify(value)}`);
    }
  }
  if (!(Number.isInteger(values.max_word_chars) && (values.max_word_chars as number) >= 2)) {
    problems.push("max_word_chars must be at least 2");
  }
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
    problems.push(...labelSetProblems(ids.sort((a, b) => Number(a) - Number(b)).map((id) => id2label[id])));
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
