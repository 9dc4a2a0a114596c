/**
 * A stand-in model for inference tests: a {@link TokenClassifier} whose logits come from a keyword table
 * over WordPiece tokens instead of a network, so tests know exactly which entities the pipeline must find
 * and can check offsets, window merging and limits without depending on a trained model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../lib/backend/mod.ts";
import { makeBertConfig } from "../../lib/model/bert/config.ts";
import type { BertConfig, TokenClassifier } from "../../lib/model/types.ts";
import type { TokenBatch } from "../../lib/tokenizer/types.ts";
import { type BertTokenizer, loadBertTokenizer } from "../../lib/tokenizer/mod.ts";

/** The small vocab made by data/fixtures/predict/generate.ts. */
export const FIXTURE_VOCAB = new URL("../../data/fixtures/predict/vocab.txt", import.meta.url).pathname;

export const LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

/** Token → label; every other token is "O". */
export const KEYWORDS: Record<string, string> = {
  aspirin: "B-Chemical",
  warfarin: "B-Chemical",
  Warfarin: "B-Chemical",
  cis: "B-Chemical",
  "##platin": "I-Chemical",
  chronic: "B-Disease",
  kidney: "I-Disease",
  disease: "I-Disease",
  fever: "B-Disease",
  bleeding: "B-Disease",
  hyper: "B-Disease",
  "##tension": "I-Disease",
};

/** The logit of a token's keyword label (others get 0): probability e^4 / (e^4 + 4) ≈ 0.93. */
export const KEYWORD_LOGIT = 4;

/** What the keyword model saw: one entry per forward call. */
export interface ForwardLog {
  batchSize: number;
  seqLength: number;
}

/**
 * A keyword classifier over `tokenizer`'s vocab, plus a log of its forward calls.
 *
 * @example
 * ```ts
 * const { classifier, tokenizer } = await keywordModel();
 * ```
 */
export async function keywordModel(
  options: {
    maxPositions?: number;
    delayMs?: number;
    /** Another label set (default {@link LABELS}) with its keyword table (default {@link KEYWORDS}). */
    labels?: readonly string[];
    keywords?: Readonly<Record<string, string>>;
  } = {},
): Promise<{
  classifier: TokenClassifier;
  tokenizer: BertTokenizer;
  calls: ForwardLog[];
}> {
  await initBackend();
  const labels = options.labels ?? LABELS;
  const tokenizer = await loadBertTokenizer(FIXTURE_VOCAB);
  const config: BertConfig = makeBertConfig({
    vocab_size: tokenizer.vocabSize,
    hidden_size: 8,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: 8,
    max_position_embeddings: options.maxPositions ?? 512,
  }, { labels });
  const labelOf = new Int32Array(tokenizer.vocabSize); // 0 = "O"
  for (const [token, label] of Object.entries(options.keywords ?? KEYWORDS)) {
    labelOf[tokenizer.tokenToId(token)!] = labels.indexOf(label);
  }
  const calls: ForwardLog[] = [];
  const classifier: TokenClassifier = {
    config,
    parameters: new Map(),
    forward(batch: TokenBatch): tf.Tensor3D {
      calls.push({ batchSize: batch.batchSize, seqLength: batch.seqLength });
      if (options.delayMs) {
        const until = performance.now() + options.delayMs;
        while (performance.now() < until) { /* a slow model: busy, like a real forward pass */ }
      }
      const logits = new Float32Array(batch.inputIds.length * labels.length);
      batch.inputIds.forEach((id, position) =>
        logits[position * labels.length + labelOf[id]] = KEYWORD_LOGIT
      );
      return tf.tensor3d(logits, [batch.batchSize, batch.seqLength, labels.length]);
    },
    dispose() {},
  };
  return { classifier, tokenizer, calls };
}
