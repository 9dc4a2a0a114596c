/**
 * A linear-chain CRF over IOB2 tags: the negative log-likelihood as tfjs ops (the forward algorithm, so it
 * trains on every backend). Decoding (Viterbi, per-tag marginals) is plain JS in decode.ts, re-exported here.
 *
 * Transition constraints (IOB2): `I-X` may only follow `B-X` or `I-X`, and no sentence starts with `I-X`.
 * They are built in: a forbidden transition scores {@link FORBIDDEN} in training (so the model spends no
 * probability on it) and −∞ in decoding (so no decoded sequence contains one).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { CrfScores, TransitionRules } from "./decode.ts";

export {
  crfMarginals,
  type CrfScores,
  decodeSentence,
  iob2TransitionRules,
  type TransitionRules,
  viterbiDecode,
} from "./decode.ts";

/** What a forbidden transition scores in the training loss: exp(−10⁴) is 0 in float32, and it stays finite. */
export const FORBIDDEN = -10000;

/**
 * The {@link FORBIDDEN} penalties of `rules` as additive masks: `[transitions K×K, start K]`.
 */
export function forbiddenPenalties(
  rules: TransitionRules,
): { transitions: Float32Array; start: Float32Array } {
  const k = rules.allowedStart.length;
  const transitions = new Float32Array(k * k);
  rules.allowed.forEach((row, from) =>
    row.forEach((ok, to) => transitions[from * k + to] = ok ? 0 : FORBIDDEN)
  );
  return { transitions, start: Float32Array.from(rules.allowedStart, (ok) => ok ? 0 : FORBIDDEN) };
}

/** Inputs of {@link crfNegLogLikelihood}. */
export interface CrfLossInputs {
  /** Per-position tag scores `[batch, time, K]`. */
  emissions: tf.Tensor3D;
  /** Gold tag ids, row-major `[batch, time]`; positions at or past a sentence's length are ignored. */
  tags: Int32Array;
  /** Words in each sentence (≥ 1). */
  lengths: readonly number[];
  scores: CrfScores<tf.Tensor>;
  rules: TransitionRules;
  /**
   * Partial annotation (lib/bio/types.ts's `PartialAnnotation`): `[batch, time, K]`, 0 where a tag is allowed
   * at a position and {@link FORBIDDEN} where not. When given, the gold is the set of sequences it allows, not
   * `tags` alone: the loss is log Z − log Z over the allowed sequences (the marginal likelihood of Greenberg et
   * al. 2018), so an unannotated type is never taught as "not an entity".
   */
  allowed?: Float32Array;
}

/**
 * Summed negative log-likelihood of the gold tag sequences: Σ over sentences of log Z − score(gold). log Z comes
 * from {@link crfLogPartition}; the gold score is four sums over counts built here from the gold tags — or,
 * with `allowed`, the log of the summed exp-score of every allowed sequence (the same forward algorithm over
 * the masked emissions). Differentiable in emissions and CRF scores.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const labels = ["O", "B-X", "I-X"];
 * const scores = { transitions: tf.zeros([3, 3]), start: tf.zeros([3]), end: tf.zeros([3]) };
 * const loss = crfNegLogLikelihood({
 *   emissions: tf.zeros([1, 2, 3]), tags: Int32Array.of(1, 2), lengths: [2], scores,
 *   rules: iob2TransitionRules(labels),
 * });
 * (await loss.data())[0]; // log 7: 7 valid sequences of length 2, all scoring 0
 * ```
 */
export function crfNegLogLikelihood(inputs: CrfLossInputs): tf.Scalar {
  const { emissions, tags, lengths, scores, rules } = inputs;
  const [batch, time, k] = emissions.shape;
  const penalties = forbiddenPenalties(rules);
  return tf.tidy(() => {
    const transitions = tf.add(scores.transitions, tf.tensor2d(penalties.transitions, [k, k]));
    const start = tf.add(scores.start, tf.tensor1d(penalties.start));
    const logZ = tf.sum(crfLogPartition(emissions, { transitions, start, end: scores.end }, lengths));
    if (inputs.allowed) {
      const masked = tf.add(emissions, tf.tensor3d(inputs.allowed, [batch, time, k])) as tf.Tensor3D;
      const logZAllowed = crfLogPartition(masked, { transitions, start, end: scores.end }, lengths);
      return tf.sub(logZ, tf.sum(logZAllowed)) as tf.Scalar;
    }
    const emissionPicks = new Float32Array(batch * time * k);
    const transitionCounts = new Float32Array(k * k);
    const startCounts = new Float32Array(k);
    const endCounts = new Float32Array(k);
    for (let b = 0; b < batch; b++) {
      const n = lengths[b];
      for (let t = 0; t < n; t++) {
        const tag = tags[b * time + t];
        emissionPicks[(b * time + t) * k + tag] = 1;
        if (t > 0) transitionCounts[tags[b * time + t - 1] * k + tag]++;
      }
      startCounts[tags[b * time]]++;
      endCounts[tags[b * time + n - 1]]++;
    }
    const gold = tf.addN([
      tf.sum(tf.mul(emissions, tf.tensor3d(emissionPicks, [batch, time, k]))),
      tf.sum(tf.mul(transitions, tf.tensor2d(transitionCounts, [k, k]))),
      tf.sum(tf.mul(start, tf.tensor1d(startCounts))),
      tf.sum(tf.mul(scores.end, tf.tensor1d(endCounts))),
    ]);
    return tf.sub(logZ, gold) as tf.Scalar;
  });
}

/** log Σ_j exp(v[b, j] + log m[i, j]) for every i, as `[batch, K]`; `expMatrix` holds exp of the scores. */
function logMatMulExp(v: tf.Tensor, expMatrix: tf.Tensor, transposeB: boolean): tf.Tensor {
  const shift = tf.max(v, 1, true);
  // A tag every allowed predecessor of which underflowed gets a very low score, not −∞ (−∞·0 is NaN in masks).
  const sum = tf.maximum(tf.matMul(tf.exp(tf.sub(v, shift)), expMatrix, false, transposeB), 1e-37);
  return tf.add(tf.log(sum), shift);
}

/**
 * log Z of each sentence (`[batch]`): the log of the summed exp-score of every tag sequence of its length,
 * by the forward algorithm. Its gradient is hand-written (forward-backward): the emission gradient is the
 * tag marginals, the transition gradient the expected transition counts — one backward recursion instead of
 * tfjs's autodiff of every step (~5 kernels recorded per op). Scores may hold {@link FORBIDDEN} entries.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const scores = { transitions: tf.zeros([2, 2]), start: tf.zeros([2]), end: tf.zeros([2]) };
 * crfLogPartition(tf.zeros([1, 3, 2]) as tf.Tensor3D, scores, [3]); // [log 8]
 * ```
 */
export function crfLogPartition(
  emissions: tf.Tensor3D,
  scores: CrfScores<tf.Tensor>,
  lengths: readonly number[],
): tf.Tensor1D {
  const [batch, time, k] = emissions.shape;
  // Rows of a [time·batch, K] stack: each sentence's last position, and which positions are words.
  const lastRows = () => tf.tensor1d(lengths.map((n, b) => (n - 1) * batch + b), "int32");
  const validAt = (t: number) => tf.tensor2d(lengths.map((n) => t < n ? 1 : 0), [batch, 1]);
  const op = tf.customGrad((emissions, transitions, start, end, save) => {
    const [alphas, logZ] = tf.tidy(() => {
      const expTransitions = tf.exp(transitions as tf.Tensor);
      const steps = tf.unstack(tf.transpose(emissions as tf.Tensor, [1, 0, 2]));
      const alphas = [tf.add(steps[0], start as tf.Tensor)];
      for (let t = 1; t < time; t++) {
        alphas.push(tf.add(logMatMulExp(alphas[t - 1], expTransitions, false), steps[t]));
      }
      const stacked = tf.stack(alphas); // [time, batch, K]
      const last = tf.gather(tf.reshape(stacked, [time * batch, k]), lastRows());
      return [stacked, tf.logSumExp(tf.add(last, end as tf.Tensor), 1)];
    });
    (save as tf.GradSaveFunc)([
      alphas,
      logZ,
      emissions as tf.Tensor,
      transitions as tf.Tensor,
      end as tf.Tensor,
    ]);
    return {
      value: logZ,
      gradFunc: (dLogZ: tf.Tensor, [alphas, logZ, emissions, transitions, end]: tf.Tensor[]) =>
        tf.tidy(() => {
          const expTransitions = tf.exp(transitions);
          const steps = tf.unstack(tf.transpose(emissions, [1, 0, 2]));
          // beta[t][b, i] = log Σ over continuations of tag i at t; end scores at each sentence's last word.
          const betas: tf.Tensor[] = new Array(time);
          for (let t = time - 1; t >= 0; t--) {
            const isLast = tf.tensor2d(lengths.map((n) => t === n - 1 ? 1 : 0), [batch, 1]);
            const inner = t + 1 < time
              ? tf.mul(logMatMulExp(tf.add(steps[t + 1], betas[t + 1]), expTransitions, true), validAt(t + 1))
              : tf.zeros([batch, k]);
            betas[t] = tf.add(tf.mul(isLast, end), inner);
          }
          const beta = tf.stack(betas); // [time, batch, K]
          // Past a sentence's end the (unmasked) alphas keep growing: such positions are pushed to exp(−10³⁰) = 0
          // before exp, not multiplied by 0 after it (an overflowed ∞·0 is NaN).
          const valid = tf.stack(Array.from({ length: time }, (_, t) => validAt(t))); // [time, batch, 1]
          const outside = tf.mul(tf.sub(valid, 1), 1e30);
          const weight = tf.reshape(dLogZ, [1, batch, 1]);
          const logZs = tf.reshape(logZ, [1, batch, 1]);
          const marginals = tf.mul(tf.exp(tf.add(tf.sub(tf.add(alphas, beta), logZs), outside)), weight);
          const dEmissions = tf.transpose(marginals, [1, 0, 2]);
          const dStart = tf.sum(tf.gather(marginals, 0), 0);
          const dEnd = tf.sum(tf.gather(tf.reshape(marginals, [time * batch, k]), lastRows()), 0);
          if (time === 1) return [dEmissions, tf.zeros([k, k]), dStart, dEnd];
          // Expected transition counts: Σ over t ≥ 1 of exp(α[t−1, i] + T[i, j] + e[t, j] + β[t, j] − log Z).
          const toward = tf.add(
            tf.slice(tf.transpose(emissions, [1, 0, 2]), 1, time - 1),
            tf.slice(beta, 1, time - 1),
          );
          const pairs = tf.exp(tf.add(
            tf.sub(
              tf.add(
                tf.add(tf.expandDims(tf.slice(alphas, 0, time - 1), 3), transitions),
                tf.expandDims(toward, 2),
              ),
              tf.expandDims(logZs, 3),
            ),
            tf.expandDims(tf.slice(outside, 1, time - 1), 3),
          )); // [time − 1, batch, K, K]
          const dTransitions = tf.sum(tf.mul(pairs, tf.expandDims(weight, 3)), [0, 1]);
          return [dEmissions, dTransitions, dStart, dEnd];
        }),
    };
  });
  return op(emissions, scores.transitions, scores.start, scores.end) as tf.Tensor1D;
}

/**
 * The CRF's scores read back from the device (one asynchronous read each), for decoding.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const scores = await readCrfScores({ transitions: tf.zeros([2, 2]), start: tf.zeros([2]), end: tf.zeros([2]) });
 * ```
 */
export async function readCrfScores(scores: CrfScores<tf.Tensor>): Promise<CrfScores<Float32Array>> {
  const [transitions, start, end] = await Promise.all(
    [scores.transitions, scores.start, scores.end].map((t) => t.data() as Promise<Float32Array>),
  );
  return { transitions, start, end };
}
