// Over 300 lines: the fused encoder layer's forward and hand-written backward share what is saved; read together.
/**
 * BERT's building blocks with hand-written gradients (`tf.customGrad`) that keep only what the backward pass
 * needs: LayerNorm, the exact GELU, and one whole post-LN encoder layer (fused QKV projection, masked softmax
 * attention with dropout, FFN, two LayerNorms).
 *
 * Why: tfjs's autodiff keeps a copy of every input/output each forward op's gradient might read, and keeps
 * every intermediate gradient until the whole backward pass ends. BERT-base at 8×128 then held 9.4 GB (PyTorch
 * 3.0 GB). An encoder layer here is one tape node: its forward saves the layer input, q/k/v, the attention
 * probabilities, the dropout keep-masks, the attention context, the normalised LayerNorm outputs with their
 * reciprocal deviations, the FFN pre-activation and 1 + erf of it (erf is the costliest elementwise op on the
 * native build); its backward recomputes the rest (the GELU output and the first LayerNorm's affine output)
 * block by block, each block's temporaries freed before the next block allocates.
 *
 * Dropout keep-masks come from the caller ({@link DropoutMask}; the model draws them with
 * lib/model/dropout_mask.ts), so the same masks give the same losses and gradients as the plain autodiff
 * formulation. They stay booleans (1 byte an element) until they are used.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * A bool keep-mask of `shape` for dropout at `rate` (true where the element is kept), or `null` when dropout
 * is off. Its multiplier is {@link dropoutMultiplier}.
 */
export type DropoutMask = (shape: number[], rate: number) => tf.Tensor | null;

/**
 * What dropout multiplies by: `cast(keep) / (1 − rate)`, the float32 `tf.dropout` multiplies by where it
 * keeps an element.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { dropoutKeepMask } from "./dropout_mask.ts";
 * const x = tf.ones([2, 3]);
 * const dropped = tf.mul(x, dropoutMultiplier(dropoutKeepMask(x.shape, 0.1, "1:0"), 0.1));
 * ```
 */
export function dropoutMultiplier(keep: tf.Tensor, rate: number): tf.Tensor {
  return tf.div(tf.cast(keep, "float32"), 1 - rate);
}

/** The parameters of one encoder layer, Linear weights `[in, out]`. */
export interface EncoderLayerWeights {
  query: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  key: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  value: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  attentionOutput: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  attentionLayerNorm: { weight: tf.Tensor1D; bias: tf.Tensor1D };
  intermediate: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  output: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  outputLayerNorm: { weight: tf.Tensor1D; bias: tf.Tensor1D };
}

/** Shapes and settings of an encoder layer call. */
export interface EncoderLayerOptions {
  batchSize: number;
  seqLength: number;
  heads: number;
  layerNormEps: number;
  /** Additive attention mask `[batch, 1, 1, seq]` (0 = attend), or `null` when every key is attended to. */
  scoreMask: tf.Tensor | null;
  hiddenDropout: number;
  attentionDropout: number;
  dropoutMask: DropoutMask;
}

/** x̂ = (x − mean) / √(var + eps) over the last axis, and 1/√(var + eps) `[rows, 1]`. */
function normalize(x: tf.Tensor, eps: number): { normalized: tf.Tensor; inverseStd: tf.Tensor } {
  // tf.moments' own arithmetic, with x − mean computed once for the variance and the result.
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
  return { normalized: tf.mul(centered, inverseStd), inverseStd };
}

/** dL/dx of LayerNorm from dL/dx̂: (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ. */
function normalizeBackward(dNormalized: tf.Tensor, normalized: tf.Tensor, inverseStd: tf.Tensor): tf.Tensor {
  const meanGradient = tf.mean(dNormalized, -1, true);
  const meanProjection = tf.mean(tf.mul(dNormalized, normalized), -1, true);
  return tf.mul(tf.sub(tf.sub(dNormalized, meanGradient), tf.mul(normalized, meanProjection)), inverseStd);
}

/**
 * Gradients of y = x̂·γ + β, x̂ = LayerNorm's normalisation of x (rows of x̂ and dy): dx, dγ, dβ. Its
 * temporaries (seven row-sized tensors) are freed when it returns.
 */
function layerNormBackward(dy: tf.Tensor, normalized: tf.Tensor, inverseStd: tf.Tensor, gamma: tf.Tensor) {
  return tf.tidy(() => ({
    dx: normalizeBackward(tf.mul(dy, gamma), normalized, inverseStd),
    dGamma: tf.sum(tf.mul(dy, normalized), 0),
    dBeta: tf.sum(dy, 0),
  }));
}

/** 1 + erf(x/√2) = 2·Φ(x): the one erf of a GELU (erf is the costliest elementwise kernel of the native build). */
const onePlusErf = (x: tf.Tensor) => tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)));

/** x·Φ(x) with Φ the standard normal CDF; `twoCdf` is {@link onePlusErf}(x) when already computed. */
function geluForward(x: tf.Tensor, twoCdf: tf.Tensor = onePlusErf(x)): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), twoCdf);
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x); `twoCdf` as in {@link geluForward}. */
function geluSlope(x: tf.Tensor, twoCdf: tf.Tensor = onePlusErf(x)): tf.Tensor {
  const cdf = tf.mul(twoCdf, 0.5);
  const density = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return tf.add(cdf, tf.mul(x, density));
}

/**
 * LayerNorm over the last axis: (x − mean)/√(var + eps)·γ + β. Its gradient keeps x̂ and 1/σ only.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const y = layerNorm(tf.tensor2d([[1, 2, 3]]), tf.ones([3]), tf.zeros([3]), 1e-12); // ≈ [[-1.22, 0, 1.22]]
 * ```
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const op = tf.customGrad((x, gamma, beta, save) => {
    const [value, normalized, inverseStd] = tf.tidy(() => {
      const { normalized, inverseStd } = normalize(x as tf.Tensor, eps);
      return [tf.add(tf.mul(normalized, gamma as tf.Tensor), beta as tf.Tensor), normalized, inverseStd];
    });
    (save as tf.GradSaveFunc)([normalized, inverseStd, gamma as tf.Tensor]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [normalized, inverseStd, gamma]: tf.Tensor[]) =>
        tf.tidy(() => {
          const rows = tf.reshape(dy, [-1, dy.shape.at(-1)!]);
          const flat = tf.reshape(normalized, rows.shape);
          const { dx, dGamma, dBeta } = layerNormBackward(rows, flat, tf.reshape(inverseStd, [-1, 1]), gamma);
          return [tf.reshape(dx, dy.shape), dGamma, dBeta];
        }),
    };
  });
  return op(x, gamma, beta);
}

/**
 * The exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), as BERT's "gelu". Its gradient keeps x only.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * gelu(tf.tensor1d([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((x, save) => {
    (save as tf.GradSaveFunc)([x as tf.Tensor]);
    return {
      value: tf.tidy(() => geluForward(x as tf.Tensor)),
      gradFunc: (dy: tf.Tensor, [x]: tf.Tensor[]) => tf.tidy(() => tf.mul(dy, geluSlope(x))),
    };
  });
  return op(x) as T;
}

/**
 * Rows `ids` of `table` (an embedding lookup). Its gradient is one unsortedSegmentSum of dy by id: tfjs's
 * generic gather gradient also transposes the whole table-sized gradient twice (89 MB each at BERT's vocab).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * embeddingLookup(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([1, 1, 0], "int32")); // [[3, 4], [3, 4], [1, 2]]
 * ```
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((table, save) => {
    (save as tf.GradSaveFunc)([ids]);
    return {
      value: tf.gather(table as tf.Tensor, ids),
      gradFunc: (dy: tf.Tensor, [ids]: tf.Tensor[]) =>
        tf.unsortedSegmentSum(dy, ids as tf.Tensor1D, (table as tf.Tensor).shape[0]),
    };
  });
  return op(table) as tf.Tensor2D;
}

/** y = x·W + b and its gradients (the transposes are matmul flags, not copies). */
const dense = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) =>
  tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias);
function denseBackward(dy: tf.Tensor, x: tf.Tensor, weight: tf.Tensor) {
  return {
    dx: tf.matMul(dy as tf.Tensor2D, weight as tf.Tensor2D, false, true),
    dWeight: tf.matMul(x as tf.Tensor2D, dy as tf.Tensor2D, true, false),
    dBias: tf.sum(dy, 0),
  };
}

/** Multiplies by a dropout multiplier, or passes through when there is none. */
const applyMask = (x: tf.Tensor, multiplier: tf.Tensor | null) => multiplier ? tf.mul(x, multiplier) : x;

/**
 * One post-LN BERT encoder layer on `x` `[batch·seq, hidden]`:
 * x₁ = LN(x + Dropout(Attention(x)·Wₒ + bₒ)); y = LN(x₁ + Dropout(GELU(x₁·Wᵢ + bᵢ)·W₂ + b₂)),
 * with one fused QKV matmul and scores = q·kᵀ/√d + mask. Forward and backward agree with the same ops under
 * autodiff; memory is what the module comment says.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * declare const weights: EncoderLayerWeights; // one layer's parameters (hidden 8 here)
 * const x = tf.ones([10, 8]) as tf.Tensor2D; // batch × sequence rows
 * const scoreMask = tf.zeros([2, 1, 1, 5]); // additive attention mask
 * const y = encoderLayer(x, weights, { batchSize: 2, seqLength: 5, heads: 4, layerNormEps: 1e-12, scoreMask,
 *   hiddenDropout: 0.1, attentionDropout: 0.1, dropoutMask: () => null });
 * ```
 */
export function encoderLayer(
  x: tf.Tensor2D,
  weights: EncoderLayerWeights,
  options: EncoderLayerOptions,
): tf.Tensor2D {
  const { batchSize, seqLength, heads, layerNormEps: eps, scoreMask } = options;
  const tokens = x.shape[0], hidden = x.shape[1];
  const headSize = hidden / heads;
  const scale = 1 / Math.sqrt(headSize);
  const w = weights;
  const inputs = [
    x,
    w.query.weight,
    w.query.bias,
    w.key.weight,
    w.key.bias,
    w.value.weight,
    w.value.bias,
    w.attentionOutput.weight,
    w.attentionOutput.bias,
    w.attentionLayerNorm.weight,
    w.attentionLayerNorm.bias,
    w.intermediate.weight,
    w.intermediate.bias,
    w.output.weight,
    w.output.bias,
    w.outputLayerNorm.weight,
    w.outputLayerNorm.bias,
  ];
  // [N, 3H] → q, k, v each [batch, heads, seq, headSize] (split first: three transposes of a third each take
  // ~40% less time than one 5-D transpose and an unstack), and [3, batch, heads, seq, headSize] → [N, 3H].
  const toHeads = (qkv: tf.Tensor) =>
    tf.split(qkv, 3, 1).map((part) =>
      tf.transpose(tf.reshape(part, [batchSize, seqLength, heads, headSize]), [0, 2, 1, 3])
    );
  const fromHeads = (t: tf.Tensor) => tf.reshape(tf.transpose(t, [1, 3, 0, 2, 4]), [tokens, -1]);
  const qkvWeight = (wq: tf.Tensor, wk: tf.Tensor, wv: tf.Tensor) => tf.concat([wq, wk, wv], 1);

  // The forward values, and what the backward keeps. The GELU's ½ is moved onto W₂ (½·W₂ is exact, so the
  // result is the same float32 and one elementwise pass over the [tokens, intermediate] activations is saved).
  const layerForward = (
    [x, wq, bq, wk, bk, wv, bv, wo, bo, g1, beta1, wi, bi, w2, b2, g2, beta2]: tf.Tensor[],
    [multiplierA, multiplierO, multiplierF]: (tf.Tensor | null)[],
  ) => {
    const [queryUnscaled, key, value] = toHeads(dense(x, qkvWeight(wq, wk, wv), tf.concat([bq, bk, bv])));
    const query = tf.mul(queryUnscaled, scale);
    const products = tf.matMul(query, key, false, true); // [b, heads, s, s]
    const scores = scoreMask ? tf.add(products, scoreMask) : products;
    const probabilities = tf.softmax(scores);
    const weighted = tf.matMul(applyMask(probabilities, multiplierA), value); // [b, heads, s, headSize]
    const context = tf.reshape(tf.transpose(weighted, [0, 2, 1, 3]), [tokens, hidden]);
    const attended = applyMask(dense(context, wo, bo), multiplierO);
    const first = normalize(tf.add(attended, x), eps);
    const x1 = tf.add(tf.mul(first.normalized, g1), beta1);
    const preActivation = dense(x1, wi, bi);
    // 2·GELU = x·(1 + erf(x/√2)); 1 + erf is kept for the backward, which then computes no erf of its own.
    const twoCdf = onePlusErf(preActivation);
    const outer = applyMask(dense(tf.mul(preActivation, twoCdf), tf.mul(w2, 0.5), b2), multiplierF);
    const second = normalize(tf.add(outer, x1), eps);
    return {
      y: tf.add(tf.mul(second.normalized, g2), beta2),
      saved: [
        query,
        key,
        value,
        probabilities,
        context,
        first.normalized,
        first.inverseStd,
        preActivation,
        twoCdf,
        second.normalized,
        second.inverseStd,
      ],
    };
  };
  const rates = [options.attentionDropout, options.hiddenDropout, options.hiddenDropout];
  const masks = [
    options.dropoutMask([batchSize, heads, seqLength, seqLength], options.attentionDropout),
    options.dropoutMask([tokens, hidden], options.hiddenDropout),
    options.dropoutMask([tokens, hidden], options.hiddenDropout),
  ];
  const multipliers = () => masks.map((m, i) => m ? dropoutMultiplier(m, rates[i]) : null);
  // Without a gradient tape (inference) nothing is kept: one plain forward, no tape node, temporaries freed.
  if (!tf.engine().isTapeOn()) return tf.tidy(() => layerForward(inputs, multipliers()).y) as tf.Tensor2D;

  const op = tf.customGrad((...args) => {
    const save = args.pop() as tf.GradSaveFunc;
    // The backward reads the input and the weights (the biases and β₂ only enter the forward).
    const [x, wq, , wk, , wv, , wo, , g1, beta1, wi, , w2, , g2] = args as tf.Tensor[];
    const forward = tf.tidy(() => layerForward(args as tf.Tensor[], multipliers()));
    save([x, ...forward.saved, ...masks.filter((m): m is tf.Tensor => m !== null)]);
    return {
      value: forward.y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [
            x,
            query,
            key,
            value,
            probabilities,
            context,
            n1,
            s1,
            preActivation,
            twoCdf,
            n2,
            s2,
            ...kept
          ] = saved;
          const keepMasks = masks.map((m) => m ? kept.shift()! : null);
          const multiplier = (i: number) => keepMasks[i] ? dropoutMultiplier(keepMasks[i], rates[i]) : null;
          // Each block runs in its own tidy and returns only what later blocks read, so its temporaries (up to
          // a dozen [tokens, intermediate] tensors in the FFN) are freed before the next block allocates: the
          // layer's backward then peaks at a few activations, and freed blocks are reused while still mapped.
          // Second LayerNorm, FFN and its residual.
          const ln2 = layerNormBackward(dy, n2, s2, g2);
          const ffn = tf.tidy(() => {
            const outer = tf.tidy(() =>
              denseBackward(applyMask(ln2.dx, multiplier(2)), geluForward(preActivation, twoCdf), w2)
            );
            const dPre = tf.tidy(() => tf.mul(outer.dx, geluSlope(preActivation, twoCdf)));
            const inner = tf.tidy(() => denseBackward(dPre, tf.add(tf.mul(n1, g1), beta1), wi));
            // Not the [tokens, intermediate] input gradient outer.dx: it is freed here.
            const { dWeight: dW2, dBias: db2 } = outer, { dWeight: dWi, dBias: dbi } = inner;
            return { dW2, db2, dWi, dbi, dx1: tf.add(ln2.dx, inner.dx) };
          });
          // First LayerNorm, attention output and its residual.
          const ln1 = layerNormBackward(ffn.dx1, n1, s1, g1);
          const attentionOut = tf.tidy(() => denseBackward(applyMask(ln1.dx, multiplier(1)), context, wo));
          // Attention: weighted = D·v with D = dropout(P), P = softmax(q·kᵀ + mask).
          const dQkv = tf.tidy(() => {
            const dWeighted = tf.transpose(
              tf.reshape(attentionOut.dx, [batchSize, seqLength, heads, headSize]),
              [0, 2, 1, 3],
            );
            const multiplierA = multiplier(0);
            const dValue = tf.tidy(() =>
              tf.matMul(applyMask(probabilities, multiplierA), dWeighted, true, false)
            );
            const dScores = tf.tidy(() => {
              const dProbabilities = applyMask(tf.matMul(dWeighted, value, false, true), multiplierA);
              return tf.mul(
                probabilities,
                tf.sub(dProbabilities, tf.sum(tf.mul(dProbabilities, probabilities), -1, true)),
              );
            });
            const dQuery = tf.tidy(() => tf.mul(tf.matMul(dScores, key), scale));
            const dKey = tf.matMul(dScores, query, true, false);
            return fromHeads(tf.stack([dQuery, dKey, dValue]));
          });
          const projection = tf.tidy(() => denseBackward(dQkv, x, qkvWeight(wq, wk, wv)));
          const [dWq, dWk, dWv] = tf.split(projection.dWeight, 3, 1);
          const [dBq, dBk, dBv] = tf.split(projection.dBias, 3);
          return [
            tf.add(ln1.dx, projection.dx),
            dWq,
            dBq,
            dWk,
            dBk,
            dWv,
            dBv,
            attentionOut.dWeight,
            attentionOut.dBias,
            ln1.dGamma,
            ln1.dBeta,
            ffn.dWi,
            ffn.dbi,
            ffn.dW2,
            ffn.db2,
            ln2.dGamma,
            ln2.dBeta,
          ];
        }),
    };
  });
  return op(...inputs) as tf.Tensor2D;
}
