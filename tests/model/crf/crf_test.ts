/**
 * The one CRF (lib/model/crf, used by both model families) against brute force: every tag sequence of tiny
 * cases enumerated, for log Z, its gradient (expected counts), Viterbi and the marginals; and constrained
 * decoding never yields an invalid IOB2 sequence.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { initBackend } from "../../../lib/backend/mod.ts";
import {
  crfLogPartition,
  crfMarginals,
  crfNegLogLikelihood,
  FORBIDDEN,
  forbiddenPenalties,
  iob2TransitionRules,
  viterbiDecode,
} from "../../../lib/model/crf/crf.ts";
import { SeededRandom } from "../../../lib/util/random.ts";

await initBackend();

const LABELS = ["O", "B-A", "I-A", "B-B", "I-B"];
const K = LABELS.length;
const RULES = iob2TransitionRules(LABELS);

function randomArray(random: SeededRandom, n: number, scale = 2): Float32Array {
  return Float32Array.from({ length: n }, () => (random.next() * 2 - 1) * scale);
}

/** Every allowed tag sequence of length n. */
function allowedSequences(n: number): number[][] {
  let paths: number[][] = [[]];
  for (let t = 0; t < n; t++) {
    paths = paths.flatMap((path) =>
      LABELS.map((_, j) => [...path, j]).filter((p) =>
        t === 0 ? RULES.allowedStart[p[t]] : RULES.allowed[p[t - 1]][p[t]]
      )
    );
  }
  return paths;
}

function pathScore(
  path: number[],
  emissions: Float32Array,
  trans: Float32Array,
  start: Float32Array,
  end: Float32Array,
) {
  let score = start[path[0]] + end[path.at(-1)!];
  path.forEach((tag, t) => {
    score += emissions[t * K + tag];
    if (t > 0) score += trans[path[t - 1] * K + tag];
  });
  return score;
}

const logSumExp = (values: number[]) => {
  const m = Math.max(...values);
  return m + Math.log(values.reduce((s, v) => s + Math.exp(v - m), 0));
};

Deno.test("IOB2 rules: I-X only after B-X or I-X, never first", () => {
  for (const [from, fromLabel] of LABELS.entries()) {
    for (const [to, toLabel] of LABELS.entries()) {
      const expected = !toLabel.startsWith("I-") || fromLabel.slice(2) === toLabel.slice(2);
      assertEquals(RULES.allowed[from][to], expected, `${fromLabel} → ${toLabel}`);
    }
  }
  assertEquals(RULES.allowedStart, [true, true, false, true, false]);
});

Deno.test("log Z and its gradient equal brute-force enumeration (batch of 3 lengths, padding ignored)", async () => {
  const random = new SeededRandom(7);
  const lengths = [4, 1, 3];
  const time = 4;
  const emissions = randomArray(random, lengths.length * time * K);
  // Padding holds huge scores: the alphas past a sentence's end overflow, and must still not leak in.
  lengths.forEach((n, b) => emissions.fill(80, (b * time + n) * K, (b + 1) * time * K));
  const trans = randomArray(random, K * K), start = randomArray(random, K), end = randomArray(random, K);
  const weights = [1, 0.5, 2]; // dLogZ per sentence
  const penalties = forbiddenPenalties(RULES);
  const [logZ, grads] = tf.tidy(() => {
    const f = (e: tf.Tensor, tr: tf.Tensor, s: tf.Tensor, en: tf.Tensor) =>
      tf.sum(tf.mul(
        crfLogPartition(e as tf.Tensor3D, {
          transitions: tf.add(tr, tf.tensor2d(penalties.transitions, [K, K])),
          start: tf.add(s, tf.tensor1d(penalties.start)),
          end: en,
        }, lengths),
        tf.tensor1d(weights),
      ));
    const inputs = [
      tf.tensor3d(emissions, [lengths.length, time, K]),
      tf.tensor2d(trans, [K, K]),
      tf.tensor1d(start),
      tf.tensor1d(end),
    ];
    return [f(inputs[0], inputs[1], inputs[2], inputs[3]), tf.grads(f)(inputs)];
  });
  let expectedLogZ = 0;
  const dEmissions = new Float64Array(emissions.length), dTrans = new Float64Array(K * K);
  const dStart = new Float64Array(K), dEnd = new Float64Array(K);
  lengths.forEach((n, b) => {
    const rowEmissions = emissions.subarray(b * time * K, (b * time + n) * K);
    const paths = allowedSequences(n);
    const scores = paths.map((p) => pathScore(p, rowEmissions, trans, start, end));
    const z = logSumExp(scores);
    expectedLogZ += weights[b] * z;
    paths.forEach((path, p) => {
      const probability = weights[b] * Math.exp(scores[p] - z);
      path.forEach((tag, t) => {
        dEmissions[(b * time + t) * K + tag] += probability;
        if (t > 0) dTrans[path[t - 1] * K + tag] += probability;
      });
      dStart[path[0]] += probability;
      dEnd[path.at(-1)!] += probability;
    });
  });
  assertAlmostEquals((await logZ.data())[0], expectedLogZ, 1e-4);
  const expected = [dEmissions, dTrans, dStart, dEnd];
  for (const [i, name] of ["emissions", "transitions", "start", "end"].entries()) {
    const actual = await grads[i].data();
    actual.forEach((v, j) => assertAlmostEquals(v, expected[i][j], 1e-5, `d${name}[${j}]`));
  }
  tf.dispose([logZ, ...grads]);
});

Deno.test("the negative log-likelihood is −log P(gold) by enumeration", async () => {
  const random = new SeededRandom(11);
  const n = 3;
  const emissions = randomArray(random, n * K);
  const trans = randomArray(random, K * K), start = randomArray(random, K), end = randomArray(random, K);
  const gold = [1, 2, 0];
  const loss = crfNegLogLikelihood({
    emissions: tf.tensor3d(emissions, [1, n, K]),
    tags: Int32Array.from(gold),
    lengths: [n],
    scores: { transitions: tf.tensor2d(trans, [K, K]), start: tf.tensor1d(start), end: tf.tensor1d(end) },
    rules: RULES,
  });
  const scores = allowedSequences(n).map((p) => pathScore(p, emissions, trans, start, end));
  const expected = logSumExp(scores) - pathScore(gold, emissions, trans, start, end);
  assertAlmostEquals((await loss.data())[0], expected, 1e-4);
  loss.dispose();
});

Deno.test("Viterbi and the marginals equal brute force; decoded sequences are always valid IOB2", () => {
  const random = new SeededRandom(3);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + random.nextInt(5);
    // Large emissions favour I-X tags everywhere: the constraints must still hold.
    const emissions = randomArray(random, n * K, 6);
    const scores = {
      transitions: randomArray(random, K * K),
      start: randomArray(random, K),
      end: randomArray(random, K),
    };
    const paths = allowedSequences(n);
    const pathScores = paths.map((p) =>
      pathScore(p, emissions, scores.transitions, scores.start, scores.end)
    );
    const best = paths[pathScores.indexOf(Math.max(...pathScores))];
    const decoded = viterbiDecode(emissions, n, scores, RULES);
    assertEquals(decoded, best, `trial ${trial}`);
    assert(RULES.allowedStart[decoded[0]]);
    decoded.slice(1).forEach((tag, t) => assert(RULES.allowed[decoded[t]][tag], `trial ${trial}: invalid`));
    const z = logSumExp(pathScores);
    const marginals = crfMarginals(emissions, n, scores, RULES);
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < K; j++) {
        const expected = paths.reduce((sum, p, i) => p[t] === j ? sum + Math.exp(pathScores[i] - z) : sum, 0);
        assertAlmostEquals(marginals[t][j], expected, 1e-5, `trial ${trial} t ${t} tag ${j}`);
      }
    }
  }
  assertEquals(
    viterbiDecode(new Float32Array(0), 0, {
      transitions: new Float32Array(K * K),
      start: new Float32Array(K),
      end: new Float32Array(K),
    }, RULES),
    [],
  );
});

Deno.test("partial annotation: the loss is −log P(allowed sequences) by enumeration, and gold-only masks give the usual loss", async () => {
  const random = new SeededRandom(23);
  const n = 4;
  const emissions = randomArray(random, n * K);
  const trans = randomArray(random, K * K), start = randomArray(random, K), end = randomArray(random, K);
  const scores = {
    transitions: tf.tensor2d(trans, [K, K]),
    start: tf.tensor1d(start),
    end: tf.tensor1d(end),
  };
  // Word 1 is B-A for sure; the corpus leaves type B open, so its O words may be B-B or I-B too.
  const allowedIds = [[0, 3, 4], [1], [2, 0, 3, 4], [0, 3, 4]];
  const gold = [0, 1, 2, 0];
  const mask = (ids: number[][]) => {
    const m = new Float32Array(n * K).fill(FORBIDDEN);
    ids.forEach((labels, t) => labels.forEach((j) => m[t * K + j] = 0));
    return m;
  };
  const loss = (allowed?: Float32Array) =>
    crfNegLogLikelihood({
      emissions: tf.tensor3d(emissions, [1, n, K]),
      tags: Int32Array.from(gold),
      lengths: [n],
      scores,
      rules: RULES,
      allowed,
    });
  const paths = allowedSequences(n);
  const pathScores = paths.map((p) => pathScore(p, emissions, trans, start, end));
  const allowedScores = pathScores.filter((_, i) => paths[i].every((tag, t) => allowedIds[t].includes(tag)));
  assert(allowedScores.length > 1 && allowedScores.length < paths.length);
  const partial = loss(mask(allowedIds));
  assertAlmostEquals((await partial.data())[0], logSumExp(pathScores) - logSumExp(allowedScores), 1e-4);
  // A mask that allows only the gold tags is the ordinary likelihood.
  const goldOnly = loss(mask(gold.map((tag) => [tag])));
  const usual = loss();
  assertAlmostEquals((await goldOnly.data())[0], (await usual.data())[0], 1e-4);
  // Allowing more sequences can only make the loss smaller.
  assert((await partial.data())[0] <= (await usual.data())[0]);
  tf.dispose([partial, goldOnly, usual, scores.transitions, scores.start, scores.end]);
});
