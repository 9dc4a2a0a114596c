// Over 300 lines: the whole network (parameters, initialisation, features, BiLSTM, CRF loss) reads top down.
/**
 * The word-level network, readable top to bottom: per word, a learnt word embedding ⊕ a character CNN
 * (max-pooled over the word's characters) ⊕ a shape embedding → dropout → BiLSTM over the sentence →
 * dropout → linear emission scores per tag → linear-chain CRF (lib/model/crf).
 *
 * Parameter names follow PyTorch conventions (`*.weight`, `*.bias`, pytorch-crf's `crf.transitions`), stored
 * as used here (a Linear weight `[in, out]`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// Registers every op's gradient in the registry tfjs-core uses (as bert/network.ts does).
import "@tensorflow/tfjs";
import { dropoutKeepMask } from "../dropout_mask.ts";
import { dropoutMultiplier, embeddingLookup } from "../fused_ops.ts";
import type { ConsistencyOptions } from "../../bio/consistency.ts";
import type { ReportedTypes } from "../../bio/reported_types.ts";
import { biLstm } from "./bilstm.ts";
import {
  crfNegLogLikelihood,
  type CrfScores,
  iob2TransitionRules,
  type TransitionRules,
} from "../crf/crf.ts";
import { CRF_PARAMETERS, crfHeadScores, crfParameterShapes } from "../crf/head.ts";
import { WORD_SHAPES } from "./features.ts";

/** The `config.json` of a word-level model folder. */
export interface WordCrfConfig {
  model_type: "word-crf";
  /** Tag names by id, IOB2 (`O`, `B-X`, `I-X`, …), as in a BERT folder's config. */
  id2label: Record<string, string>;
  label2id: Record<string, number>;
  /** Rows of the word embedding (vocab.json's words). */
  word_vocab_size: number;
  /** Rows of the character embedding (vocab.json's chars). */
  char_vocab_size: number;
  word_dim: number;
  char_dim: number;
  /** Filters of the character CNN (its output width). */
  char_filters: number;
  /** Characters each filter sees. */
  char_kernel: number;
  /** Longest word, in characters, the encoder reads whole (longer: first and last characters). */
  max_word_chars: number;
  shape_dim: number;
  /** Units of each LSTM direction. */
  hidden_size: number;
  /** Dropout on the word features and on the BiLSTM's output while training. */
  dropout: number;
  /** Standard deviation of the normal initialisation of embeddings. */
  initializer_range: number;
  /**
   * Document-level consistency rules applied to this model's tags wherever whole documents are tagged
   * (lib/bio/consistency.ts): chosen on dev, stored with the model so every consumer applies the same.
   */
  consistency?: ConsistencyOptions;
  /** Types learnt apart but reported as another in entities (lib/bio/reported_types.ts); default none. */
  reported_types?: ReportedTypes;
}

/** The sizes a training profile gives a word-level model (vocabulary sizes come from the data). */
export type WordCrfSizes = Pick<
  WordCrfConfig,
  | "word_dim"
  | "char_dim"
  | "char_filters"
  | "char_kernel"
  | "max_word_chars"
  | "shape_dim"
  | "hidden_size"
  | "dropout"
>;

/** A padded batch of sentences, ids row-major. */
export interface WordBatch {
  batchSize: number;
  /** Longest sentence of the batch, in words. */
  seqLength: number;
  /** Longest word of the batch, in characters (after the `max_word_chars` cut). */
  charLength: number;
  /** `[batch, seqLength]`. */
  wordIds: Int32Array;
  /** `[batch, seqLength]`. */
  shapeIds: Int32Array;
  /**
   * `[spellings, charLength]`: the character ids of each distinct spelling in the batch, row 0 the padding
   * (all pad): the character CNN runs once per spelling, not once per word.
   */
  charIds: Int32Array;
  /** `[batch, seqLength]`: each position's row of `charIds`. */
  charRows: Int32Array;
  /** Words of each sentence (each ≥ 1). */
  lengths: number[];
  /** Gold tag ids `[batch, seqLength]` when labelled (padding 0). */
  tags?: Int32Array;
  /**
   * Partially annotated training sentences: `[batch, seqLength, K]`, 0 where a label is allowed and
   * `FORBIDDEN` where not (lib/model/crf/crf.ts's `CrfLossInputs.allowed`); absent: the gold is `tags`.
   */
  allowed?: Float32Array;
}

/** Name, shape and initialisation of every parameter. */
export function wordCrfParameterSpecs(
  config: WordCrfConfig,
): { name: string; shape: number[]; init: "normal" | "uniform" | "zeros" | "forget-bias" }[] {
  const k = Object.keys(config.id2label).length;
  const h = config.hidden_size;
  const input = config.word_dim + config.char_filters + config.shape_dim;
  return [
    { name: "word_embeddings.weight", shape: [config.word_vocab_size, config.word_dim], init: "normal" },
    { name: "char_embeddings.weight", shape: [config.char_vocab_size, config.char_dim], init: "normal" },
    {
      name: "char_cnn.weight",
      shape: [config.char_kernel, config.char_dim, config.char_filters],
      init: "uniform",
    },
    { name: "char_cnn.bias", shape: [config.char_filters], init: "zeros" },
    { name: "shape_embeddings.weight", shape: [WORD_SHAPES.length, config.shape_dim], init: "normal" },
    { name: "lstm.input_kernel", shape: [2, input, 4 * h], init: "uniform" },
    { name: "lstm.recurrent_kernel", shape: [2, h, 4 * h], init: "uniform" },
    { name: "lstm.bias", shape: [2, 4 * h], init: "forget-bias" },
    { name: "emissions.weight", shape: [2 * h, k], init: "uniform" },
    { name: "emissions.bias", shape: [k], init: "zeros" },
    ...crfParameterShapes(k).map(([name, shape]) => ({ name, shape, init: "zeros" as const })),
  ];
}

/**
 * The parameters of the output head: per-tag emission scores and the CRF. Everything else is the encoder (word,
 * character and shape features, BiLSTM), which a multi-corpus model shares between its corpora's heads.
 */
export const WORD_CRF_HEAD_PARAMETERS: readonly string[] = [
  "emissions.weight",
  "emissions.bias",
  ...CRF_PARAMETERS,
];

/** The label names of a config, by id. */
export function wordCrfLabels(config: Pick<WordCrfConfig, "id2label">): string[] {
  return Object.keys(config.id2label).map(Number).sort((a, b) => a - b).map((id) => config.id2label[id]);
}

/** Initial values: Glorot-uniform kernels (as Keras and PyTorch's LSTM-CRF taggers), forget-gate bias 1. */
function initialValue(
  spec: ReturnType<typeof wordCrfParameterSpecs>[number],
  config: WordCrfConfig,
  seed: number,
) {
  const { shape, init } = spec;
  if (init === "zeros") return tf.zeros(shape);
  if (init === "normal") return tf.randomNormal(shape, 0, config.initializer_range, "float32", seed);
  if (init === "forget-bias") {
    const h = config.hidden_size;
    return tf.tensor2d(
      Array.from({ length: 2 }, () => Array.from({ length: 4 * h }, (_, j) => j >= h && j < 2 * h ? 1 : 0)),
    );
  }
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1) /
    (shape.length === 3 && shape[0] === 2 ? 2 : 1);
  const fanOut = shape[shape.length - 1];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, "float32", seed);
}

/**
 * A 1-D convolution with "same" padding, `x` `[n, length, channels]` and `kernel` `[width, channels, filters]`
 * (a conv1d filter), written as one matmul over the stacked shifted copies of `x` (im2col): slice, concat and
 * matmul have gradients on every backend, tfjs's conv1d gradient (Conv2DBackpropFilter) not on wasm.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * charConvolution(tf.ones([1, 4, 2]), tf.ones([3, 2, 1]), tf.zeros([1])).shape; // [1, 4, 1]
 * ```
 */
export function charConvolution(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor3D {
  const [n, length, channels] = x.shape;
  const [width, , filters] = kernel.shape;
  return tf.tidy(() => {
    const before = Math.floor((width - 1) / 2);
    const padded = tf.pad(x, [[0, 0], [before, width - 1 - before], [0, 0]]);
    const shifted = Array.from(
      { length: width },
      (_, k) => tf.slice(padded, [0, k, 0], [n, length, channels]),
    );
    const windows = tf.reshape(tf.concat(shifted, 2), [n * length, width * channels]);
    const out = tf.add(tf.matMul(windows, tf.reshape(kernel, [width * channels, filters])), bias);
    return tf.reshape(out, [n, length, filters]) as tf.Tensor3D;
  });
}

/** Options of {@link WordCrfNetwork.emissions}. */
export interface WordForwardOptions {
  training?: boolean;
  /** Seeds the dropout masks (same seed → same masks). */
  dropoutSeed?: number;
}

/** Word features → BiLSTM → emissions → CRF. Owns its parameters (dispose when done). */
export class WordCrfNetwork {
  readonly config: WordCrfConfig;
  readonly labels: string[];
  readonly rules: TransitionRules;
  readonly parameters: Map<string, tf.Variable>;
  /** Variables another model owns (a shared encoder): this one uses them and never disposes them. */
  readonly #borrowed: ReadonlySet<tf.Variable>;

  /**
   * A model with fresh parameters (`seed` makes them reproducible), or the given ones (loading). `shared`
   * variables are used as they are, not copied (a multi-corpus model's encoder: one set of weights that every
   * corpus's head reads and trains); they win over `parameters` of the same name.
   */
  constructor(
    config: WordCrfConfig,
    options: {
      seed?: number;
      parameters?: Map<string, tf.Tensor>;
      shared?: ReadonlyMap<string, tf.Variable>;
    } = {},
  ) {
    this.config = config;
    this.labels = wordCrfLabels(config);
    this.rules = iob2TransitionRules(this.labels);
    this.parameters = new Map();
    this.#borrowed = new Set(options.shared?.values());
    let seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    for (const spec of wordCrfParameterSpecs(config)) {
      const shared = options.shared?.get(spec.name);
      if (shared) {
        if (shared.shape.join() !== spec.shape.join()) {
          throw new Error(
            `word-crf shared ${spec.name} has shape [${shared.shape}], config says [${spec.shape}]`,
          );
        }
        this.parameters.set(spec.name, shared);
        seed++;
        continue;
      }
      const given = options.parameters?.get(spec.name);
      if (options.parameters && !given) throw new Error(`word-crf weights: missing ${spec.name}`);
      if (given && given.shape.join() !== spec.shape.join()) {
        throw new Error(
          `word-crf weights: ${spec.name} has shape [${given.shape}], config says [${spec.shape}]`,
        );
      }
      const value = given ?? initialValue(spec, config, seed++);
      this.parameters.set(
        spec.name,
        tf.variable(value, true, `word_crf/${spec.name}/${crypto.randomUUID()}`),
      );
      if (!given) value.dispose();
    }
  }

  #p(name: string): tf.Variable {
    return this.parameters.get(name)!;
  }

  /** Emission scores `[batch, seqLength, K]`. Caller disposes. */
  emissions(batch: WordBatch, options: WordForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => this.headEmissions(this.encode(batch, options), batch));
  }

  /**
   * The encoder's output, what every head of a shared encoder reads: per word of the batch the BiLSTM's state
   * (dropout applied when training), `[batch * seqLength, 2 * hidden_size]`. Caller disposes.
   */
  encode(batch: WordBatch, options: WordForwardOptions = {}): tf.Tensor2D {
    const { batchSize: b, seqLength: t, charLength: c } = batch;
    const spellings = batch.charIds.length / c;
    const { dropout } = this.config;
    const training = options.training === true && dropout > 0;
    let masks = 0;
    const drop = (x: tf.Tensor) =>
      training
        ? tf.mul(
          x,
          dropoutMultiplier(dropoutKeepMask(x.shape, dropout, `${options.dropoutSeed}:${masks++}`), dropout),
        )
        : x;
    return tf.tidy(() => {
      const words = embeddingLookup(
        this.#p("word_embeddings.weight") as tf.Tensor2D,
        tf.tensor1d(batch.wordIds, "int32"),
      );
      const shapes = embeddingLookup(
        this.#p("shape_embeddings.weight") as tf.Tensor2D,
        tf.tensor1d(batch.shapeIds, "int32"),
      );
      const chars = tf.reshape(
        embeddingLookup(
          this.#p("char_embeddings.weight") as tf.Tensor2D,
          tf.tensor1d(batch.charIds, "int32"),
        ),
        [spellings, c, this.config.char_dim],
      ) as tf.Tensor3D;
      const spellingFeatures = tf.max(
        tf.relu(charConvolution(chars, this.#p("char_cnn.weight"), this.#p("char_cnn.bias"))),
        1,
      );
      const charFeatures = tf.gather(spellingFeatures, tf.tensor1d(batch.charRows, "int32"));
      const features = drop(tf.concat([words, charFeatures, shapes], 1));
      const states = biLstm(tf.reshape(features, [b, t, features.shape[1]!]), batch.lengths, {
        inputKernel: this.#p("lstm.input_kernel") as tf.Tensor3D,
        recurrentKernel: this.#p("lstm.recurrent_kernel") as tf.Tensor3D,
        bias: this.#p("lstm.bias") as tf.Tensor2D,
      }, { training: options.training === true });
      return drop(tf.reshape(states, [b * t, states.shape[2]])) as tf.Tensor2D;
    });
  }

  /** This head's emission scores `[batch, seqLength, K]` from {@link encode}'s output for `batch`. Caller disposes. */
  headEmissions(hidden: tf.Tensor2D, batch: Pick<WordBatch, "batchSize" | "seqLength">): tf.Tensor3D {
    return tf.tidy(() => {
      const scores = tf.add(tf.matMul(hidden, this.#p("emissions.weight")), this.#p("emissions.bias"));
      return tf.reshape(scores, [batch.batchSize, batch.seqLength, this.labels.length]) as tf.Tensor3D;
    });
  }

  /** The CRF's summed negative log-likelihood of the batch's gold tags, divided by the batch size. */
  loss(batch: WordBatch, options: WordForwardOptions = {}): tf.Scalar {
    if (!batch.tags) throw new Error("word-crf loss: the batch has no tags");
    return tf.tidy(() => {
      const nll = crfNegLogLikelihood({
        emissions: this.emissions(batch, options),
        tags: batch.tags!,
        lengths: batch.lengths,
        scores: this.crfScores(),
        rules: this.rules,
        allowed: batch.allowed,
      });
      return tf.div(nll, batch.batchSize) as tf.Scalar;
    });
  }

  /** The CRF's parameters as tensors (not copies). */
  crfScores(): CrfScores<tf.Tensor> {
    return crfHeadScores(this.parameters);
  }

  /** Frees the variables this model owns (shared ones stay with their owner). */
  dispose(): void {
    for (const variable of this.parameters.values()) if (!this.#borrowed.has(variable)) variable.dispose();
    this.parameters.clear();
  }
}
