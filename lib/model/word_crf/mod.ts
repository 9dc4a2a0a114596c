/**
 * The word-level tagger: learnt word embeddings, a character CNN and word shapes → BiLSTM → linear-chain CRF
 * with IOB2 constraints; vocabularies from the training data; model folders; inference.
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
export {
  crfLogPartition,
  crfMarginals,
  crfNegLogLikelihood,
  type CrfScores,
  decodeSentence,
  FORBIDDEN,
  iob2TransitionRules,
  readCrfScores,
  type TransitionRules,
  viterbiDecode,
} from "../crf/crf.ts";
export { WORD_SHAPES, wordKey, wordShape } from "./features.ts";
export {
  isWordCrfFolder,
  loadWordCrfModel,
  saveWordCrfModel,
  validateWordCrfConfig,
  WORD_CRF_MODEL_TYPE,
  type WordCrfModel,
} from "./folder.ts";
export { WordCrfScorer } from "./scorer.ts";
export {
  WORD_CRF_HEAD_PARAMETERS,
  type WordBatch,
  type WordCrfConfig,
  wordCrfLabels,
  type WordCrfSizes,
  WordCrfTagger,
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
