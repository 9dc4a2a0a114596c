/**
 * The model stage: a BERT token classifier in tfjs with Hugging Face parameter names, its configuration, and
 * weights in HF formats.
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
