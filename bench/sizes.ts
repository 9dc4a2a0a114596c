/**
 * Model sizes and labels the benchmarks share, so every stage measures the same BERT-base.
 *
 * @module
 */
import type { ScratchModelConfig } from "../lib/train/profile.ts";

/** BioBERT's vocab size (the cased BERT-base vocab). */
export const BIOBERT_VOCAB_SIZE = 28996;

/** The BC5CDR label set. */
export const BC5CDR_LABELS: readonly string[] = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

/** BERT-base, BioBERT's size: 12 layers × 768 hidden, 12 heads, FFN 3072. */
export const BERT_BASE: ScratchModelConfig = {
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  max_position_embeddings: 512,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
};
