/**
 * The model stage's contract with training and inference.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { TokenBatch } from "../tokenizer/types.ts";

/** Hugging Face `config.json` keys of a BERT model, plus the label maps of a token classifier. */
export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: "gelu";
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  pad_token_id: number;
  /** Label names by id, e.g. `{"0": "O", "1": "B-Chemical", …}` (HF uses string keys). */
  id2label: Record<string, string>;
  label2id: Record<string, number>;
  model_type?: "bert";
  architectures?: string[];
  [extra: string]: unknown;
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
 * A tensor held in JS memory, in PyTorch's layout (Linear weights `[out, in]`), converted to float32 whatever
 * it was stored as. What weight files are read into and written from.
 */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
  /** The dtype it was stored with, in safetensors spelling: "F32", "F16", "BF16", "I64", … */
  storedAs: string;
}

/** Tensors by state-dict name, in file order. */
export type StateDict = Map<string, HostTensor>;
