/**
 * AdamW (Adam with decoupled weight decay, Loshchilov & Hutter) over a model's named parameters, with the
 * state (moments + step count) exposed so a checkpoint can save it and `--resume` restore it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Whether the parameter named `name` (Hugging Face state-dict name) is exempt from weight decay: biases and
 * LayerNorm parameters, as in BERT's and Hugging Face's fine-tuning scripts. Selected by NAME, never by shape.
 *
 * @example
 * ```ts
 * excludedFromWeightDecay("bert.encoder.layer.0.output.LayerNorm.weight"); // true
 * excludedFromWeightDecay("bert.encoder.layer.0.output.dense.weight"); // false
 * ```
 */
export function excludedFromWeightDecay(name: string): boolean {
  return name.endsWith(".bias") || name.includes("LayerNorm.");
}

/** Options of {@link AdamW}. Defaults are PyTorch's `torch.optim.AdamW` except weight decay (BERT's 0.01). */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay factor (multiplied by the learning rate). Default 0.01. */
  weightDecay?: number;
}

/** What a checkpoint stores of the optimizer: step count and both moments per parameter name. */
export interface AdamWState {
  step: number;
  firstMoments: Map<string, tf.Tensor>;
  secondMoments: Map<string, tf.Tensor>;
}

/**
 * AdamW as in `torch.optim.AdamW`: `p ← p·(1 − lr·wd)` (skipped for biases and LayerNorm), then the
 * bias-corrected Adam update.
 *
 * @example
 * ```ts
 * declare const model: any, grads: any; // the example's inputs
 * const optimizer = new AdamW(model.parameters, { weightDecay: 0.01 });
 * optimizer.applyGradients(grads, 5e-5);
 * ```
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  #parameters: Map<string, tf.Variable>;
  #first = new Map<string, tf.Variable>();
  #second = new Map<string, tf.Variable>();
  #step = 0;

  constructor(parameters: Map<string, tf.Variable>, options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.#parameters = parameters;
    // A variable shares the buffer of its initial tensor; tidy drops that tensor's reference so the buffer
    // is freed with the variable (without it, one parameter-sized buffer per moment leaks: ~860 MB on BERT-base).
    const zeroMoment = (parameter: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(parameter), false));
    for (const [name, parameter] of parameters) {
      this.#first.set(name, zeroMoment(parameter));
      this.#second.set(name, zeroMoment(parameter));
    }
  }

  /** Optimizer steps taken so far. */
  get step(): number {
    return this.#step;
  }

  /**
   * One update with `gradients` (by parameter name; a parameter without a gradient is left untouched) at
   * learning rate `learningRate`. Disposes each gradient once its parameter is updated when
   * `disposeGradients` is set (a training step's gradients are used once), else leaves them to the caller.
   */
  applyGradients(
    gradients: Record<string, tf.Tensor>,
    learningRate: number,
    options: { gradientScale?: tf.Scalar; disposeGradients?: boolean } = {},
  ): void {
    this.#step++;
    const correction1 = 1 - this.beta1 ** this.#step;
    const correction2 = 1 - this.beta2 ** this.#step;
    // Smallest first: with disposeGradients, the largest parameters' temporaries (the word embeddings' are
    // 89 MB each on BERT-base) are made when every other gradient has been freed.
    const bySize = Object.entries(gradients).sort(([, a], [, b]) => a.size - b.size);
    for (const [name, gradient] of bySize) {
      const parameter = this.#parameters.get(name);
      if (!parameter) throw new Error(`AdamW: gradient for unknown parameter "${name}"`);
      const first = this.#first.get(name)!, second = this.#second.get(name)!;
      // Each parameter-sized intermediate is freed as soon as the next one exists: a tidy alone keeps them all
      // until it ends, and for the word embeddings (28,996×768, 89 MB) that was ~12 table-sized buffers at
      // once — the whole step's memory peak (BERT-base 8×128: 4.39 GB, 0.9 GB above the backward pass). The
      // outer tidy only cleans up after an error.
      tf.tidy(() => {
        // Scaling here, one parameter at a time, spares a scaled copy of every gradient at once.
        const scaled = options.gradientScale ? tf.mul(gradient, options.gradientScale) : gradient;
        const m = tf.tidy(() => first.mul(this.beta1).add(scaled.mul(1 - this.beta1)));
        const v = tf.tidy(() => second.mul(this.beta2).add(scaled.square().mul(1 - this.beta2)));
        if (scaled !== gradient) scaled.dispose();
        first.assign(m);
        second.assign(v);
        const denominator = tf.tidy(() => v.div(correction2).sqrt().add(this.epsilon));
        const update = tf.tidy(() => m.div(denominator).mul(learningRate / correction1));
        tf.dispose([m, v, denominator]);
        const decayed = excludedFromWeightDecay(name) || this.weightDecay === 0
          ? parameter
          : parameter.mul(1 - learningRate * this.weightDecay);
        parameter.assign(decayed.sub(update));
      });
      if (options.disposeGradients) gradient.dispose();
    }
  }

  /** The state to save with a checkpoint (the tensors are the live ones: do not dispose them). */
  getState(): AdamWState {
    return { step: this.#step, firstMoments: new Map(this.#first), secondMoments: new Map(this.#second) };
  }

  /** Restores a saved state; every parameter must have both moments with its own shape. */
  setState(state: AdamWState): void {
    for (const [name, parameter] of this.#parameters) {
      for (
        const [kind, saved, live] of [
          ["first", state.firstMoments, this.#first],
          ["second", state.secondMoments, this.#second],
        ] as const
      ) {
        const moment = saved.get(name);
        if (!moment) throw new Error(`AdamW state: missing ${kind} moment of "${name}"`);
        if (!tf.util.arraysEqual(moment.shape, parameter.shape)) {
          throw new Error(
            `AdamW state: ${kind} moment of "${name}" has shape [${moment.shape}], ` +
              `parameter has [${parameter.shape}]`,
          );
        }
        live.get(name)!.assign(moment);
      }
    }
    this.#step = state.step;
  }

  /** Frees the moments (not the parameters). */
  dispose(): void {
    for (const v of [...this.#first.values(), ...this.#second.values()]) v.dispose();
  }
}

/**
 * The global L2 norm of `gradients` and the factor min(1, maxNorm / norm) that clips them (PyTorch's
 * `clip_grad_norm_`), for {@link AdamW.applyGradients}'s `gradientScale`: no scaled copy of the gradients is made.
 *
 * @example
 * ```ts
 * import type * as tf from "@tensorflow/tfjs-core";
 * declare const grads: Record<string, tf.Tensor>; // the example's inputs: gradients by parameter name
 * declare const optimizer: AdamW;
 * const { norm, scale } = globalNormScale(grads, 1.0);
 * optimizer.applyGradients(grads, 5e-5, { gradientScale: scale });
 * ```
 */
export function globalNormScale(
  gradients: Record<string, tf.Tensor>,
  maxNorm: number,
): { norm: tf.Scalar; scale: tf.Scalar } {
  return tf.tidy(() => {
    const squares = Object.values(gradients).map((g) => g.square().sum());
    // Not tf.addN: tfjs-backend-webgpu 4.22 binds every input of addN to one shader, and past the device's
    // maxStorageBuffersPerShaderStage (8 by default) the pipeline is invalid and the kernel silently returns a
    // stale buffer (a norm of 0 on lavapipe). stack (concat) splits its inputs into groups that fit.
    const norm = tf.stack(squares).sum().sqrt() as tf.Scalar;
    return { norm, scale: tf.minimum(1, tf.div(maxNorm, norm.add(1e-6))) as tf.Scalar };
  });
}
