// Over 300 lines: the whole model (embeddings, encoder, classifier, parameters) reads top to bottom here.
/**
 * BertForTokenClassification in tfjs, readable top to bottom:
 * embeddings → N post-LayerNorm encoder layers → dropout → linear classifier.
 *
 * Only ops of `@tensorflow/tfjs-core` are used, so it runs (forward and backward) on every backend.
 * Parameters carry Hugging Face state-dict names. Storage: a Linear weight is kept `[in, out]` (so that
 * `x @ W` needs no transposed matmul); PyTorch keeps it `[out, in]`. The conversion happens once, where weights
 * enter or leave the model (lib/model/bert/state_dict.ts), driven by {@link ParameterSpec.linear}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core alone registers no op gradients (its ESM-only register_all_gradients cannot be loaded from npm
// here); the @tensorflow/tfjs bundle registers them all, in the registry shared with tfjs-core. Training needs them.
import "@tensorflow/tfjs";
import type { TokenBatch } from "../../tokenizer/types.ts";
import { labelNames, validateBertConfig } from "./config.ts";
import type { BertConfig, ForwardOptions, TokenClassifier } from "../types.ts";
import { dropoutKeepMask } from "../dropout_mask.ts";
import {
  type DropoutMask,
  dropoutMultiplier,
  embeddingLookup,
  encoderLayer,
  type EncoderLayerWeights,
  layerNorm,
} from "../fused_ops.ts";

/**
 * What masked attention scores get added. HF adds float32's minimum; -10000 (the original BERT value) gives
 * the same probabilities in float32 (exp underflows to 0 either way) and stays finite on float16 backends.
 */
const MASKED_SCORE = -10000;

/** One parameter: its HF name, its shape in this model, and how HF initialises it. */
export interface ParameterSpec {
  /** HF state-dict name. */
  name: string;
  /** Shape as stored here: a Linear weight is `[in, out]`. */
  shape: number[];
  /** HF's initialisation: normal(0, initializer_range), ones (LayerNorm weights) or zeros (biases). */
  init: "normal" | "ones" | "zeros";
  /** A Linear weight: PyTorch stores it transposed, `[out, in]`. */
  linear: boolean;
}

/**
 * Every parameter of a BertForTokenClassification with `config`, in HF state-dict order.
 *
 * @example
 * ```ts
 * declare const config: any; // the example's inputs
 * bertParameterSpecs(config).map((p) => p.name); // ["bert.embeddings.word_embeddings.weight", …]
 * ```
 */
export function bertParameterSpecs(config: BertConfig): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  const embedding = (name: string, rows: number) =>
    specs.push({ name, shape: [rows, config.hidden_size], init: "normal", linear: false });
  const layerNorm = (prefix: string) => {
    specs.push({ name: `${prefix}.weight`, shape: [config.hidden_size], init: "ones", linear: false });
    specs.push({ name: `${prefix}.bias`, shape: [config.hidden_size], init: "zeros", linear: false });
  };
  const dense = (prefix: string, inSize: number, outSize: number) => {
    specs.push({ name: `${prefix}.weight`, shape: [inSize, outSize], init: "normal", linear: true });
    specs.push({ name: `${prefix}.bias`, shape: [outSize], init: "zeros", linear: false });
  };
  const { hidden_size: hidden, intermediate_size: intermediate } = config;
  embedding("bert.embeddings.word_embeddings.weight", config.vocab_size);
  embedding("bert.embeddings.position_embeddings.weight", config.max_position_embeddings);
  embedding("bert.embeddings.token_type_embeddings.weight", config.type_vocab_size);
  layerNorm("bert.embeddings.LayerNorm");
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    dense(`${layer}.attention.self.query`, hidden, hidden);
    dense(`${layer}.attention.self.key`, hidden, hidden);
    dense(`${layer}.attention.self.value`, hidden, hidden);
    dense(`${layer}.attention.output.dense`, hidden, hidden);
    layerNorm(`${layer}.attention.output.LayerNorm`);
    dense(`${layer}.intermediate.dense`, hidden, intermediate);
    dense(`${layer}.output.dense`, intermediate, hidden);
    layerNorm(`${layer}.output.LayerNorm`);
  }
  dense("classifier", hidden, labelNames(config).length);
  return specs;
}

/**
 * HF's initial value of one parameter: normal(0, initializer_range) for weights and embeddings (the padding
 * token's word embedding zeroed), 1 for LayerNorm weights, 0 for biases. Same `seed` → same values.
 *
 * @example
 * ```ts
 * declare const config: any; // the example's inputs
 * const value = initialValue(config, bertParameterSpecs(config)[0], 42);
 * ```
 */
export function initialValue(config: BertConfig, spec: ParameterSpec, seed: number): tf.Tensor {
  if (spec.init === "ones") return tf.ones(spec.shape);
  if (spec.init === "zeros") return tf.zeros(spec.shape);
  return tf.tidy(() => {
    const value = tf.randomNormal(spec.shape, 0, config.initializer_range, "float32", seed);
    if (spec.name !== "bert.embeddings.word_embeddings.weight") return value;
    const isPadRow = tf.reshape(tf.equal(tf.range(0, config.vocab_size, 1, "int32"), config.pad_token_id), [
      -1,
      1,
    ]);
    return tf.where(isPadRow, tf.zerosLike(value), value);
  });
}

/** Options of {@link BertForTokenClassification.create}. */
export interface CreateOptions {
  /** Seed of the random initialisation. Default 0. */
  seed?: number;
  /** Values of some parameters by HF name, in this model's layout (the rest are initialised randomly). */
  values?: Map<string, tf.Tensor>;
}

/**
 * A BERT encoder with a token classification head, as Hugging Face's `BertForTokenClassification`.
 *
 * @example
 * ```ts
 * import { makeBertConfig } from "./config.ts";
 * declare const initBackend: any, batch: any; // the example's inputs
 * await initBackend();
 * const model = BertForTokenClassification.create(makeBertConfig({ vocab_size: 100, hidden_size: 32,
 *   num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64 }, { labels: ["O", "B-X", "I-X"] }));
 * const logits = model.forward(batch); // [batch, seq, 3]
 * ```
 */
export class BertForTokenClassification implements TokenClassifier {
  /** The validated configuration. */
  readonly config: BertConfig;
  /** Parameters by HF name, in state-dict order; Linear weights are stored `[in, out]`. */
  readonly parameters: Map<string, tf.Variable>;

  private constructor(config: BertConfig, parameters: Map<string, tf.Variable>) {
    this.config = config;
    this.parameters = parameters;
  }

  /**
   * A model with `config`, its parameters taken from `values` or else initialised as HF does.
   * The values are copied: the caller still owns (and disposes) them.
   */
  static create(config: BertConfig, options: CreateOptions = {}): BertForTokenClassification {
    validateBertConfig(config);
    const { seed = 0, values = new Map() } = options;
    const parameters = new Map<string, tf.Variable>();
    bertParameterSpecs(config).forEach((spec, index) => {
      const given = values.get(spec.name);
      if (given && !tf.util.arraysEqual(given.shape, spec.shape)) {
        throw new Error(`parameter ${spec.name}: got shape [${given.shape}], expected [${spec.shape}]`);
      }
      // Each parameter gets its own seed, derived from the model seed and its position.
      const value = given ?? initialValue(config, spec, seed * 100_003 + index);
      parameters.set(spec.name, tf.variable(value, true, undefined, "float32"));
      if (!given) value.dispose();
    });
    return new BertForTokenClassification(config, parameters);
  }

  /** Number of scalar parameters. */
  get numParameters(): number {
    let total = 0;
    for (const variable of this.parameters.values()) total += variable.size;
    return total;
  }

  /**
   * Logits `[batch, seq, numLabels]`; `training: true` turns dropout on, `dropoutSeed` makes its masks
   * reproducible. The caller disposes the result.
   */
  forward(batch: TokenBatch, options: ForwardOptions = {}): tf.Tensor3D {
    checkBatch(batch, this.config);
    const { batchSize, seqLength } = batch;
    const config = this.config;
    const { training = false, dropoutSeed } = options;
    // Each dropout mask of a seeded pass gets its own seed: "<dropoutSeed>:<call number>"; an unseeded one
    // draws its seed from Math.random (which training seeds per step).
    let dropoutCalls = 0;
    const dropoutMask: DropoutMask = (shape, rate) => {
      if (!training || rate === 0) return null;
      return dropoutKeepMask(
        shape,
        rate,
        dropoutSeed === undefined ? undefined : `${dropoutSeed}:${dropoutCalls++}`,
      );
    };
    const dropout = (x: tf.Tensor2D, rate: number): tf.Tensor2D => {
      const mask = dropoutMask(x.shape, rate);
      return mask ? tf.mul(x, dropoutMultiplier(mask, rate)) : x;
    };
    return tf.tidy(() => {
      // Embeddings: word + position + token type, then LayerNorm and dropout. Activations stay 2-D
      // [batch * seq, hidden] between layers so that every Linear is one plain matmul.
      const inputIds = tf.tensor1d(batch.inputIds, "int32");
      const tokenTypeIds = tf.tensor1d(batch.tokenTypeIds, "int32");
      const words = embeddingLookup(
        this.#p("bert.embeddings.word_embeddings.weight") as tf.Tensor2D,
        inputIds,
      );
      const types = embeddingLookup(
        this.#p("bert.embeddings.token_type_embeddings.weight") as tf.Tensor2D,
        tokenTypeIds,
      );
      const positions = tf.slice(this.#p("bert.embeddings.position_embeddings.weight"), [0, 0], [
        seqLength,
        config.hidden_size,
      ]);
      const summed = tf.add(
        tf.reshape(tf.add(words, types), [batchSize, seqLength, config.hidden_size]),
        positions,
      );
      let hidden = this.#layerNorm(
        tf.reshape(summed, [batchSize * seqLength, config.hidden_size]),
        "bert.embeddings",
      );
      hidden = dropout(hidden, config.hidden_dropout_prob);

      // Additive attention mask [batch, 1, 1, seq]: 0 where a key may be attended to, MASKED_SCORE where not;
      // none when nothing is padded (adding zeros to every attention score changes nothing and costs a pass).
      const padded = batch.attentionMask.some((attend) => attend === 0);
      const scoreMask = padded
        ? tf.mul(
          tf.sub(1, tf.tensor4d(Float32Array.from(batch.attentionMask), [batchSize, 1, 1, seqLength])),
          MASKED_SCORE,
        )
        : null;

      for (let i = 0; i < config.num_hidden_layers; i++) {
        hidden = encoderLayer(hidden, this.#layerWeights(`bert.encoder.layer.${i}`), {
          batchSize,
          seqLength,
          heads: config.num_attention_heads,
          layerNormEps: config.layer_norm_eps,
          scoreMask,
          hiddenDropout: config.hidden_dropout_prob,
          attentionDropout: config.attention_probs_dropout_prob,
          dropoutMask,
        });
      }

      const classifierDropout = (config.classifier_dropout as number | null | undefined) ??
        config.hidden_dropout_prob;
      const logits = this.#dense(dropout(hidden, classifierDropout), "classifier");
      return tf.reshape(logits, [batchSize, seqLength, -1]);
    });
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const variable of this.parameters.values()) variable.dispose();
  }

  /** The parameters of encoder layer `prefix`. */
  #layerWeights(prefix: string): EncoderLayerWeights {
    const linear = (name: string) => ({
      weight: this.#p(`${prefix}.${name}.weight`) as tf.Tensor2D,
      bias: this.#p(`${prefix}.${name}.bias`) as tf.Tensor1D,
    });
    const norm = (name: string) => ({
      weight: this.#p(`${prefix}.${name}.LayerNorm.weight`) as tf.Tensor1D,
      bias: this.#p(`${prefix}.${name}.LayerNorm.bias`) as tf.Tensor1D,
    });
    return {
      query: linear("attention.self.query"),
      key: linear("attention.self.key"),
      value: linear("attention.self.value"),
      attentionOutput: linear("attention.output.dense"),
      attentionLayerNorm: norm("attention.output"),
      intermediate: linear("intermediate.dense"),
      output: linear("output.dense"),
      outputLayerNorm: norm("output"),
    };
  }

  /** A Linear layer: x @ W + b, with W stored [in, out]. */
  #dense(x: tf.Tensor, prefix: string): tf.Tensor2D {
    return tf.add(
      tf.matMul(x as tf.Tensor2D, this.#p(`${prefix}.weight`) as tf.Tensor2D),
      this.#p(`${prefix}.bias`),
    );
  }

  /** LayerNorm over the last axis with `layer_norm_eps`. */
  #layerNorm(x: tf.Tensor, prefix: string): tf.Tensor2D {
    return layerNorm(
      x,
      this.#p(`${prefix}.LayerNorm.weight`),
      this.#p(`${prefix}.LayerNorm.bias`),
      this.config.layer_norm_eps,
    ) as tf.Tensor2D;
  }

  #p(name: string): tf.Variable {
    const variable = this.parameters.get(name);
    if (!variable) throw new Error(`model has no parameter ${name}`);
    return variable;
  }
}

function checkBatch(batch: TokenBatch, config: BertConfig): void {
  const { batchSize, seqLength } = batch;
  const size = batchSize * seqLength;
  for (const key of ["inputIds", "attentionMask", "tokenTypeIds"] as const) {
    if (batch[key].length !== size) {
      throw new Error(
        `batch.${key} has ${batch[key].length} values, expected ${batchSize}×${seqLength} = ${size}`,
      );
    }
  }
  if (seqLength > config.max_position_embeddings) {
    throw new Error(
      `batch sequence length ${seqLength} exceeds max_position_embeddings ${config.max_position_embeddings}`,
    );
  }
  const outOfRange = (values: Int32Array, limit: number) => values.findIndex((v) => v < 0 || v >= limit);
  const badId = outOfRange(batch.inputIds, config.vocab_size);
  if (badId >= 0) {
    throw new Error(
      `batch.inputIds[${badId}] = ${
        batch.inputIds[badId]
      } is outside the vocabulary (size ${config.vocab_size})`,
    );
  }
  const badType = outOfRange(batch.tokenTypeIds, config.type_vocab_size);
  if (badType >= 0) {
    throw new Error(
      `batch.tokenTypeIds[${badType}] = ${
        batch.tokenTypeIds[badType]
      } is not below type_vocab_size ${config.type_vocab_size}`,
    );
  }
}
