/**
 * The model stage: the model types (registry.ts: BERT, bert/, and the word-level BiLSTM-CRF, word_crf/, with
 * the one CRF both use, crf/), what training needs of a model (trainable.ts), and weights in HF formats
 * (formats/). BERT is a token classifier in tfjs with Hugging Face parameter names.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/mod.ts";
 * import { modelFromStateDict, readBertConfig, readSafetensors } from "./mod.ts";
 *
 * await initBackend();
 * const dir = "data/fixtures/model/tiny-bert";
 * const config = await readBertConfig(`${dir}/config.json`);
 * const { model } = modelFromStateDict(config, await readSafetensors(`${dir}/model.safetensors`));
 * ```
 *
 * @module
 */
export type {
  BertConfig,
  ForwardOptions,
  HostTensor,
  InferenceModel,
  ScoringModel,
  ScratchModelConfig,
  StateDict,
  TokenClassifier,
} from "./types.ts";
export { batchLogits } from "./batch_logits.ts";
export {
  BERT_DEFAULTS,
  labelNames,
  makeBertConfig,
  type MakeConfigOptions,
  readBertConfig,
  validateBertConfig,
} from "./bert/config.ts";
export {
  BertForTokenClassification,
  bertParameterSpecs,
  type CreateOptions,
  initialValue,
  type ParameterSpec,
} from "./bert/network.ts";
export {
  type DropoutMask,
  dropoutMultiplier,
  embeddingLookup,
  encoderLayer,
  type EncoderLayerOptions,
  type EncoderLayerWeights,
  gelu,
  layerNorm,
} from "./fused_ops.ts";
export { dropoutKeepMask } from "./dropout_mask.ts";
export {
  parseSafetensors,
  readSafetensors,
  serializeSafetensors,
  writeSafetensors,
} from "./formats/safetensors.ts";
export {
  formatLoadReport,
  type LoadReport,
  modelFromStateDict,
  normalizeKey,
  stateDictFromModel,
} from "./bert/state_dict.ts";
export { parsePytorchCheckpoint, readPytorchCheckpoint, UnsafePickleError } from "./formats/pytorch.ts";
export {
  downloadModel,
  type DownloadModelOptions,
  findWeights,
  isHubModelId,
  isLocalModelPath,
  MODEL_CACHE_DIR,
  WEIGHT_FILES,
} from "./hub.ts";
export {
  type LoadOptions,
  loadTokenClassifier,
  loadTokenClassifierWithReport,
  readModelWeights,
  resolveModelDir,
  saveTokenClassifier,
} from "./bert/pretrained.ts";
export { type LogitsReport, logitsReport, textLogits } from "./bert/logits.ts";
export {
  architectureOf,
  ARCHITECTURES,
  type ArchitectureSummary,
  MODEL_TYPES,
  type ModelSpec,
  modelTypeForProfile,
  modelTypeOfFolder,
} from "./registry.ts";
export type {
  Architecture,
  BuildOptions,
  EncoderPretraining,
  ExportOptions,
  ExportResult,
  LoadOptions as ModelLoadOptions,
  MlmOptions,
  ModelExport,
  ModelInference,
  ModelProfile,
  ModelType,
  TfjsOnly,
} from "./model_type.ts";
export {
  type LabelledCorpus,
  parameterCount,
  type ScoringParts,
  type TaggingParts,
  type TrainableModel,
} from "./trainable.ts";
export { loadModelFolder, loadPretrained, localOrHub, resolveVocab, saveModelFolder } from "./bert/folder.ts";
export { bertTrainable, type BertTrainableOptions } from "./bert/trainable.ts";
export { type EncodedSplit, encodeSentences } from "./bert/windows.ts";
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
} from "./crf/crf.ts";
export { CRF_HEAD_FILE, CRF_PARAMETERS, type CrfHead, newCrfHead, readCrfHead } from "./crf/head.ts";
