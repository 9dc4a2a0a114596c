/**
 * Decoding a linear-chain CRF over IOB2 tags in plain JS, from emissions read back once per batch: the
 * transition rules, Viterbi's best allowed sequence and each word's tag marginals. No tensors here, so the
 * static page (lib/page) runs the same decoder in a browser; the loss, which needs tfjs, is in crf.ts.
 *
 * @module
 */
import { continuesEntity, parseTag } from "../../bio/tags.ts";

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
