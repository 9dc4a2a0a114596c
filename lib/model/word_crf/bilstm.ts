/**
 * A bidirectional LSTM in tfjs ops, both directions in one loop: each step is one batched matmul
 * `[2, batch, H] × [2, H, 4H]` (forward and backward weights stacked), so a sentence of T words costs T steps,
 * not 2T. The input projections of all positions are one matmul before the loop.
 *
 * The backward direction reads each sentence reversed within its own length (padding stays at the end), so
 * neither direction ever reads padding before a real word and no masking is needed inside the loop; the
 * states it computes past a sentence's end are never read.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Weights of a BiLSTM, both directions stacked on the first axis (0 forward, 1 backward). */
export interface BiLstmWeights {
  /** `[2, inputSize, 4H]`, gates in the order input, forget, output, cell. */
  inputKernel: tf.Tensor3D;
  /** `[2, H, 4H]`. */
  recurrentKernel: tf.Tensor3D;
  /** `[2, 4H]`. */
  bias: tf.Tensor2D;
}

/**
 * For each sentence, the row index that reverses its first `length` positions in a flattened `[batch, time]`
 * tensor and keeps the padding in place. It is its own inverse.
 *
 * @example
 * ```ts
 * withinLengthReversal([2, 3], 3); // [1, 0, 2, 5, 4, 3]
 * ```
 */
export function withinLengthReversal(lengths: readonly number[], time: number): Int32Array {
  const index = new Int32Array(lengths.length * time);
  lengths.forEach((n, b) => {
    for (let t = 0; t < time; t++) index[b * time + t] = b * time + (t < n ? n - 1 - t : t);
  });
  return index;
}

/**
 * Runs the BiLSTM over `x` (`[batch, time, inputSize]`): `[batch, time, 2H]`, the forward states then the
 * backward states of each position.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const h = 4, weights = {
 *   inputKernel: tf.randomNormal([2, 3, 4 * h]) as tf.Tensor3D,
 *   recurrentKernel: tf.randomNormal([2, h, 4 * h]) as tf.Tensor3D,
 *   bias: tf.zeros([2, 4 * h]) as tf.Tensor2D,
 * };
 * biLstm(tf.randomNormal([2, 5, 3]), [5, 2], weights).shape; // [2, 5, 8]
 * ```
 */
export function biLstm(
  x: tf.Tensor3D,
  lengths: readonly number[],
  weights: BiLstmWeights,
  options: { training?: boolean } = {},
): tf.Tensor3D {
  const [batch, time, inputSize] = x.shape;
  const hidden = weights.recurrentKernel.shape[1];
  return tf.tidy(() => {
    const reversal = tf.tensor1d(withinLengthReversal(lengths, time), "int32");
    const rows = tf.reshape(x, [batch * time, inputSize]);
    const inputs = tf.stack([rows, tf.gather(rows, reversal)]); // [2, batch·time, inputSize]
    const projected = tf.add(tf.matMul(inputs, weights.inputKernel), tf.expandDims(weights.bias, 1));
    const steps = tf.transpose(tf.reshape(projected, [2, batch, time, 4 * hidden]), [2, 0, 1, 3]);
    // Inference needs no saved activations (and no stacking of them): the plain loop.
    const recurrence = options.training ? lstmRecurrence : lstmStates;
    const states = recurrence(steps as tf.Tensor4D, weights.recurrentKernel); // [time, 2, batch, H]
    const [forward, backward] = tf.unstack(tf.transpose(states, [1, 2, 0, 3])).map((s) =>
      tf.reshape(s, [batch * time, hidden])
    );
    const unreversed = tf.gather(backward, reversal);
    return tf.reshape(tf.concat([forward, unreversed], 1), [batch, time, 2 * hidden]) as tf.Tensor3D;
  });
}

/**
 * The LSTM recurrence of both directions, `projected` `[time, 2, batch, 4H]` (x·W + b) and `recurrentKernel`
 * `[2, H, 4H]` → hidden states `[time, 2, batch, H]`, with a hand-written backward pass (backpropagation
 * through time): tfjs's autodiff records ~6 kernels per op of the unrolled loop, the hand-written pass ~25 per
 * step, and the recurrent kernel's gradient is one batched matmul over all steps instead of one per step.
 * Equal to autodiff of the plain loop (tests/model/word_crf/bilstm_test.ts).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * lstmRecurrence(tf.zeros([3, 2, 1, 8]), tf.zeros([2, 2, 8])).shape; // [3, 2, 1, 2]
 * ```
 */
export function lstmRecurrence(projected: tf.Tensor4D, recurrentKernel: tf.Tensor3D): tf.Tensor4D {
  const [time, , batch, gates] = projected.shape;
  const h = gates / 4;
  const op = tf.customGrad((projected, kernel, save) => {
    const saved = tf.tidy(() => {
      const steps = forwardSteps(projected as tf.Tensor4D, kernel as tf.Tensor3D);
      return (["sigmoids", "cellInputs", "cells", "cellTanhs", "states"] as const).map((key) =>
        tf.stack(steps.map((step) => step[key]))
      );
    });
    (save as tf.GradSaveFunc)([...saved, kernel as tf.Tensor]);
    return {
      value: saved[4],
      gradFunc: (dStates: tf.Tensor, [sigmoids, cellInputs, cells, cellTanhs, states, kernel]: tf.Tensor[]) =>
        tf.tidy(() => {
          const [s, g, c, ct, dOut] = [sigmoids, cellInputs, cells, cellTanhs, dStates].map((t) =>
            tf.unstack(t)
          );
          let dState = tf.zeros([2, batch, h]), dCell = tf.zeros([2, batch, h]);
          const dz: tf.Tensor[] = new Array(time);
          for (let t = time - 1; t >= 0; t--) {
            const [i, f, o] = tf.split(s[t], 3, 2);
            const dh = tf.add(dOut[t], dState);
            const dc = tf.add(dCell, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(ct[t]))));
            const previousCell = t > 0 ? c[t - 1] : tf.zerosLike(dc);
            const dSigmoid = tf.concat([tf.mul(dc, g[t]), tf.mul(dc, previousCell), tf.mul(dh, ct[t])], 2);
            dz[t] = tf.concat([
              tf.mul(dSigmoid, tf.mul(s[t], tf.sub(1, s[t]))),
              tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g[t]))),
            ], 2);
            dCell = tf.mul(dc, f);
            dState = tf.matMul(dz[t], kernel as tf.Tensor3D, false, true);
          }
          const dProjected = tf.stack(dz); // [time, 2, batch, 4H]
          // Σ_t h_{t−1}ᵀ·dz_t for both directions at once: [2, time·batch, H]ᵀ × [2, time·batch, 4H].
          const previous = tf.concat([tf.zeros([1, 2, batch, h]), tf.slice(states, 0, time - 1)], 0);
          const byDirection = (t: tf.Tensor, width: number) =>
            tf.reshape(tf.transpose(t, [1, 0, 2, 3]), [2, time * batch, width]) as tf.Tensor3D;
          const dKernel = tf.matMul(byDirection(previous, h), byDirection(dProjected, gates), true, false);
          return [dProjected, dKernel];
        }),
    };
  });
  return op(projected, recurrentKernel) as tf.Tensor4D;
}

/** One LSTM step's values: gate sigmoids (i, f, o), cell input g, cell, tanh(cell) and hidden state. */
interface StepValues {
  sigmoids: tf.Tensor;
  cellInputs: tf.Tensor;
  cells: tf.Tensor;
  cellTanhs: tf.Tensor;
  states: tf.Tensor;
}

/** One LSTM step of both directions: `step` `[2, batch, 4H]` (x·W + b), the previous state and cell. */
function lstmStep(step: tf.Tensor, state: tf.Tensor, cell: tf.Tensor, kernel: tf.Tensor3D): StepValues {
  const [, batch, gates] = step.shape;
  const h = gates / 4;
  const z = tf.add(step, tf.matMul(state, kernel));
  const s = tf.sigmoid(tf.slice(z, [0, 0, 0], [2, batch, 3 * h]));
  const g = tf.tanh(tf.slice(z, [0, 0, 3 * h], [2, batch, h]));
  const [i, f, o] = tf.split(s, 3, 2);
  const cells = tf.add(tf.mul(f, cell), tf.mul(i, g));
  const cellTanhs = tf.tanh(cells);
  return { sigmoids: s, cellInputs: g, cells, cellTanhs, states: tf.mul(o, cellTanhs) };
}

/** The recurrence's forward pass, step by step (both directions in each step's one batched matmul). */
function forwardSteps(projected: tf.Tensor4D, kernel: tf.Tensor3D): StepValues[] {
  const [, , batch, gates] = projected.shape;
  const h = gates / 4;
  let state = tf.zeros([2, batch, h]), cell = tf.zeros([2, batch, h]);
  const steps: StepValues[] = [];
  for (const step of tf.unstack(projected)) {
    const values = lstmStep(step, state, cell, kernel);
    ({ states: state, cells: cell } = values);
    steps.push(values);
  }
  return steps;
}

/**
 * The recurrence's hidden states only, for inference: the same values as {@link lstmRecurrence}, each step's
 * other values freed as soon as it is done (kept to the end, they were most of inference's memory: ~4 MB a
 * step at 128 sentences a batch, hundreds of MB for a batch of long sentences).
 */
function lstmStates(projected: tf.Tensor4D, kernel: tf.Tensor3D): tf.Tensor4D {
  const [time, , batch, gates] = projected.shape;
  const h = gates / 4;
  return tf.tidy(() => {
    let state = tf.zeros([2, batch, h]), cell = tf.zeros([2, batch, h]);
    const states: tf.Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const previousCell = cell;
      [state, cell] = tf.tidy(() => {
        const step = tf.reshape(tf.slice(projected, [t, 0, 0, 0], [1, 2, batch, gates]), [2, batch, gates]);
        const values = lstmStep(step, state, cell, kernel);
        return [values.states, values.cells];
      });
      previousCell.dispose();
      states.push(state);
    }
    cell.dispose();
    return tf.stack(states) as tf.Tensor4D;
  });
}
