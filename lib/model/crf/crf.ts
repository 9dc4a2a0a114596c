// Over 300 lines: its loss and its decoding (Viterbi, marginals) share the rules: the one CRF of both families.
/**
 * A linear-chain CRF over IOB2 tags: the negative log-likelihood as tfjs ops (the forward algorithm, so it
 * trains on every backend), and Viterbi decoding and per-tag marginals in plain JS over emissions read back
 * once per batch.
 *
 * Transition constraints (IOB2): `I-X` may only follow `B-X` or `I-X`, and no sentence starts with `I-X`.
 * They are built in: a forbidden transition scores {@link FORBIDDEN} in training (so the model spends no
 * probability on it) and −∞ in decoding (so no decoded sequence contains one).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { continuesEntity, parseTag } from "../../bio/tags.ts";

/** What a forbidden transition scores in the training loss: exp(−10⁴) is 0 in float32, and it stays finite. */
export const FORBIDDEN = -10000;

/** The CRF's learnt scores, as plain arrays (decoding) or tensors (training). */
export interface CrfScores<T> {
  /** `[from, to]`, K×K. */
  transitions: T;
  /** Score of starting with each tag, K. */
  start: T;
  /** Score of ending with each tag, K. */
  end: T;
}

/** Which transitions IOB2 allows, between `labels` (e.g. `["O", "B-Chemical", "I-Chemical", …]`). */
export interface TransitionRules {
  /** `allowed[from][to]`. */
  allowed: boolean[][];
  /** Tags a sentence may start with. */
  allowedStart: boolean[];
}

/**
 * The IOB2 transition rules of a label set: `I-X` only after `B-X` or `I-X`, never first.
 *
 * @example
 * ```ts
 * const { allowed, allowedStart } = iob2TransitionRules(["O", "B-Chemical", "I-Chemical"]);
 * allowed[0][2]; // false: O → I-Chemical
 * allowed[1][2]; // true: B-Chemical → I-Chemical
 * allowedStart[2]; // false
 * ```
 */
export function iob2TransitionRules(labels: readonly string[]): TransitionRules {
  // Only a tag that would start an entity as a stray I-X is ruled out (lib/bio/tags.ts's one rule).
  const isInside = labels.map((label) => parseTag(label)?.prefix === "I");
  return {
    allowed: labels.map((from) => labels.map((to, j) => !isInside[j] || continuesEntity(from, to))),
    allowedStart: isInside.map((inside) => !inside),
  };
}

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

/** Allowed-or-−∞ copies of the scores, for decoding. */
function decodingScores(scores: CrfScores<Float32Array>, rules: TransitionRules): CrfScores<Float32Array> {
  const k = scores.start.length;
  return {
    transitions: scores.transitions.map((v, i) => rules.allowed[Math.floor(i / k)][i % k] ? v : -Infinity),
    start: scores.start.map((v, j) => rules.allowedStart[j] ? v : -Infinity),
    end: scores.end,
  };
}

/**
 * The highest-scoring allowed tag sequence of one sentence (`emissions`: `length × K`, row-major).
 *
 * @example
 * ```ts
 * const k = 3, rules = iob2TransitionRules(["O", "B-X", "I-X"]);
 * const scores = { transitions: new Float32Array(9), start: new Float32Array(3), end: new Float32Array(3) };
 * viterbiDecode(Float32Array.of(0, 0, 5, 0, 0, 5), 2, scores, rules); // [1, 2]: never I-X first
 * ```
 */
export function viterbiDecode(
  emissions: Float32Array,
  length: number,
  scores: CrfScores<Float32Array>,
  rules: TransitionRules,
): number[] {
  if (length === 0) return [];
  const { transitions, start, end } = decodingScores(scores, rules);
  const k = start.length;
  let best = Float64Array.from({ length: k }, (_, j) => start[j] + emissions[j]);
  let next = new Float64Array(k);
  const back = new Int32Array(length * k);
  for (let t = 1; t < length; t++) {
    for (let j = 0; j < k; j++) {
      let top = -Infinity, arg = 0;
      for (let i = 0; i < k; i++) {
        const v = best[i] + transitions[i * k + j];
        if (v > top) top = v, arg = i;
      }
      next[j] = top + emissions[t * k + j];
      back[t * k + j] = arg;
    }
    [best, next] = [next, best];
  }
  let tag = 0;
  for (let j = 1; j < k; j++) if (best[j] + end[j] > best[tag] + end[tag]) tag = j;
  const path = new Array<number>(length);
  for (let t = length - 1; t >= 0; t--) {
    path[t] = tag;
    tag = back[t * k + tag];
  }
  return path;
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

/**
 * One sentence decoded whole: the best allowed tag sequence ({@link viterbiDecode}) and each word's tag
 * probabilities ({@link crfMarginals}).
 *
 * @example
 * ```ts
 * const rules = iob2TransitionRules(["O", "B-X", "I-X"]);
 * const scores = { transitions: new Float32Array(9), start: new Float32Array(3), end: new Float32Array(3) };
 * decodeSentence(Float32Array.of(0, 5, 0), 1, scores, rules).labelIds; // [1]
 * ```
 */
export function decodeSentence(
  emissions: Float32Array,
  length: number,
  scores: CrfScores<Float32Array>,
  rules: TransitionRules,
): { labelIds: number[]; scores: Float32Array[] } {
  return {
    labelIds: viterbiDecode(emissions, length, scores, rules),
    scores: crfMarginals(emissions, length, scores, rules),
  };
}

/** log(exp(a) + exp(b)), with exp(0) = 1 of the larger term not computed (the same value to the last bit). */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log(1 + Math.exp(b - a)) : b + Math.log(Math.exp(a - b) + 1);
}

/**
 * Per position, the probability of each tag under the CRF (forward-backward over allowed sequences), rows
 * summing to 1: the confidence the pipeline reports for a decoded tag.
 *
 * @example
 * ```ts
 * const rules = iob2TransitionRules(["O", "B-X", "I-X"]);
 * const scores = { transitions: new Float32Array(9), start: new Float32Array(3), end: new Float32Array(3) };
 * crfMarginals(new Float32Array(3), 1, scores, rules)[0]; // [0.5, 0.5, 0]
 * ```
 */
export function crfMarginals(
  emissions: Float32Array,
  length: number,
  scores: CrfScores<Float32Array>,
  rules: TransitionRules,
): Float32Array[] {
  const { transitions, start, end } = decodingScores(scores, rules);
  const k = start.length;
  // Flat rows, no allocation per word (decoding is most of the JS time of tagging): the same sums, in the
  // same order, as one array per row.
  const alpha = new Float64Array(length * k), beta = new Float64Array(length * k);
  for (let t = 0; t < length; t++) {
    for (let j = 0; j < k; j++) {
      let sum = -Infinity;
      if (t === 0) sum = start[j];
      else for (let i = 0; i < k; i++) sum = logAddExp(sum, alpha[(t - 1) * k + i] + transitions[i * k + j]);
      alpha[t * k + j] = sum + emissions[t * k + j];
    }
  }
  for (let t = length - 1; t >= 0; t--) {
    for (let i = 0; i < k; i++) {
      let sum = -Infinity;
      if (t === length - 1) sum = end[i];
      else {
        for (let j = 0; j < k; j++) {
          sum = logAddExp(sum, transitions[i * k + j] + emissions[(t + 1) * k + j] + beta[(t + 1) * k + j]);
        }
      }
      beta[t * k + i] = sum;
    }
  }
  const logs = new Float64Array(k);
  return Array.from({ length }, (_, t) => {
    let z = -Infinity;
    for (let j = 0; j < k; j++) z = logAddExp(z, logs[j] = alpha[t * k + j] + beta[t * k + j]);
    const row = new Float32Array(k);
    for (let j = 0; j < k; j++) row[j] = Math.exp(logs[j] - z);
    return row;
  });
}
