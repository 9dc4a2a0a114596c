/**
 * The word-level model: learnt word embeddings, a character CNN and word shapes → BiLSTM → linear-chain CRF
 * with IOB2 constraints (lib/model/crf); vocabularies from the training data; model folders (one corpus, or a
 * multi-corpus folder of them); inference; training (trainable.ts); its entries of the model-type registry
 * (type.ts).
 *
 * @example
 * ```ts
 * const scorer = new WordCrfScorer(await loadWordCrfModel("outputs/bilstm-crf/best"));
 * const [sentence] = await scorer.scoreWords([["Naloxone", "reverses", "hypotension", "."]]);
 * ```
 *
 * @module
 */
export { makeWordBatch, type WordBatchOptions } from "./batch.ts";
export { biLstm, type BiLstmWeights, lstmRecurrence, withinLengthReversal } from "./bilstm.ts";
export { WORD_SHAPES, wordKey, wordShape } from "./features.ts";
export {
  isWordCrfConfig,
  loadWordCrfModel,
  saveWordCrfModel,
  validateWordCrfConfig,
  WORD_CRF_CONFIG_LIMITS,
  WORD_CRF_MODEL_TYPE,
  type WordCrfModel,
  type WordCrfSizeKey,
  wordCrfSizeProblems,
} from "./folder.ts";
export { WordCrfScorer } from "./scorer.ts";
export {
  WORD_CRF_HEAD_PARAMETERS,
  type WordBatch,
  type WordCrfConfig,
  wordCrfLabels,
  WordCrfNetwork,
  type WordCrfSizes,
} from "./network.ts";
export { buildWordVocab, type EncodedWords, PAD_ID, UNK_ID, WordVocab, type WordVocabFile } from "./vocab.ts";
export {
  CORPORA_FILE,
  disposeMultiWordCrfModel,
  encoderVariables,
  isMultiWordCrfFolder,
  loadMultiWordCrfModel,
  type MultiWordCrfModel,
  saveMultiWordCrfModel,
} from "./multi.ts";
export { WORD_CRF_ARCHITECTURE, type WordCrfModelSummary, type WordCrfSpec } from "./spec.ts";
export {
  type CorpusBatch,
  MULTI_WORD_CRF_MODEL_TYPE,
  multiWordCrfTrainable,
  newMultiWordCrfModel,
  newWordCrfModel,
  trainingVocab,
  wordCrfConfig,
  wordCrfTrainable,
  type WordCrfTrainableOptions,
} from "./trainable.ts";
export { WORD_CRF_MULTI_TYPE, WORD_CRF_TYPE } from "./type.ts";
