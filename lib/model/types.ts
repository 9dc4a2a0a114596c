/**
 * The model stage's contract with training and inference.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ConsistencyOptions } from "../bio/consistency.ts";
import type { ReportedTypes } from "../bio/reported_types.ts";
import type { TokenBatch } from "../tokenizer/types.ts";

/** Hugging Face `config.json` keys of a BERT model, plus the label maps of a token classifier. */
export interface BertConfig {
  /** Number of WordPiece tokens (rows of the word embedding). */
  vocab_size: number;
  /** Width of every layer's activations. */
  hidden_size: number;
  /** Number of encoder layers. */
  num_hidden_layers: number;
  /** Attention heads per layer; must divide `hidden_size`. */
  num_attention_heads: number;
  /** Width of the feed-forward layer inside each encoder layer. */
  intermediate_size: number;
  /** Feed-forward activation: the exact (erf) GELU. */
  hidden_act: "gelu";
  /** Dropout on embeddings and layer outputs while training. */
  hidden_dropout_prob: number;
  /** Dropout on attention probabilities while training. */
  attention_probs_dropout_prob: number;
  /** Longest sequence the position embedding covers ([CLS] and [SEP] included). */
  max_position_embeddings: number;
  /** Number of token types (segments). */
  type_vocab_size: number;
  /** Standard deviation of the normal random initialisation. */
  initializer_range: number;
  /** Epsilon of every LayerNorm (1e-12 in BERT). */
  layer_norm_eps: number;
  /** Id of [PAD] (its word embedding starts at zero). */
  pad_token_id: number;
  /** Label names by id, e.g. `{"0": "O", "1": "B-Chemical", …}` (HF uses string keys). */
  id2label: Record<string, string>;
  /** Label ids by name; the inverse of `id2label`. */
  label2id: Record<string, number>;
  /** Always "bert" when present. */
  model_type?: "bert";
  /** HF class names, e.g. `["BertForTokenClassification"]`. */
  architectures?: string[];
  /** Other config.json keys (e.g. classifier_dropout), kept as read. */
  [extra: string]: unknown;
}

/** BERT sizes of a model trained from scratch (Hugging Face config.json keys), as a profile gives them. */
export interface ScratchModelConfig {
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  max_position_embeddings: number;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
}

/** Options of {@link TokenClassifier.forward}. */
export interface ForwardOptions {
  /** Dropout on (training) or off (inference, the default). */
  training?: boolean;
  /** Seed of the dropout masks when training; without it they come from Math.random. */
  dropoutSeed?: number;
}

/** A BERT token classifier whose parameters carry Hugging Face state-dict names. */
export interface TokenClassifier {
  /** The configuration the model was built with. */
  readonly config: BertConfig;
  /** Trainable parameters by HF name, e.g. `bert.encoder.layer.0.attention.self.query.weight`. */
  readonly parameters: Map<string, tf.Variable>;
  /**
   * Logits `[batch, seq, numLabels]`. `training: true` turns dropout on; `dropoutSeed` makes its masks
   * reproducible (same seed, same masks, on every backend). Caller disposes.
   */
  forward(batch: TokenBatch, options?: ForwardOptions): tf.Tensor3D;
  /** Frees every parameter. */
  dispose(): void;
}

/**
 * A model that only infers, outside tfjs (ONNX Runtime, lib/onnx): the logits of a batch as the row-major
 * values of `[batch, seq, numLabels]`.
 */
export interface InferenceModel {
  readonly config: BertConfig;
  logits(batch: TokenBatch): Promise<Float32Array>;
  dispose(): void;
}

/** What a word-level model says of one sentence. */
export interface ScoredWords {
  /** Per word, the decoded label id (a CRF decodes the whole sentence at once). */
  labelIds: number[];
  /** Per word, the probability of each label id. */
  scores: Float32Array[];
}

/**
 * A model that reads whole words, with no subword tokenizer (lib/model/word_crf): a batch of sentences in,
 * per word the decoded label and the label probabilities out.
 */
export interface WordLevelModel {
  /** What decodes its words: "word-crf" (the word-level model), "bert-crf" (a BERT with a CRF head). */
  readonly kind: "word-crf" | "bert-crf";
  /** Label maps, as in a BERT config. */
  readonly config: Pick<BertConfig, "id2label" | "label2id">;
  /** Document-level consistency rules its tags get where whole documents are tagged (lib/bio/consistency.ts). */
  readonly consistency?: ConsistencyOptions;
  /** Types it learns apart but reports as another in entities (lib/bio/reported_types.ts). */
  readonly reportedTypes?: ReportedTypes;
  /**
   * How many batches it scores at once to keep its threads busy (ONNX Runtime runs each batch on a thread of
   * its own, off the JS thread, which meanwhile encodes and decodes others); absent: 1.
   */
  readonly concurrency?: number;
  scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]>;
  dispose(): void;
}

/**
 * Whether `model` reads whole words (it has `scoreWords`) rather than subword windows.
 *
 * @example
 * ```ts
 * declare const model: ScoringModel; // the example's inputs
 * if (isWordLevelModel(model)) await model.scoreWords([["Naloxone"]]);
 * ```
 */
export function isWordLevelModel(model: ScoringModel): model is WordLevelModel {
  return typeof (model as Partial<WordLevelModel>).scoreWords === "function";
}

/** A model that reads subword windows: a tfjs BERT classifier or an inference-only (ONNX) one. */
export type WindowModel = TokenClassifier | InferenceModel;

/** What inference scores with: a subword-window model or a word-level one. */
export type ScoringModel = WindowModel | WordLevelModel;

/**
 * A tensor held in JS memory, in PyTorch's layout (Linear weights `[out, in]`), converted to float32 whatever
 * it was stored as. What weight files are read into and written from.
 */
export interface HostTensor {
  /** Dimensions, outermost first. */
  shape: number[];
  /** The values, row-major. */
  data: Float32Array;
  /** The dtype it was stored with, in safetensors spelling: "F32", "F16", "BF16", "I64", … */
  storedAs: string;
}

/** Tensors by state-dict name, in file order. */
export type StateDict = Map<string, HostTensor>;
