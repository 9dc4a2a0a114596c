/**
 * Scores, averages, zero division and accuracy. Expected values are seqeval's published outputs (README,
 * docstrings, tests/test_v1.py of seqeval 1.2.2) or derived by hand in the comments.
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  accuracyScore,
  countEntities,
  f1Score,
  numpySum,
  performanceMeasure,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
} from "../../lib/metrics/mod.ts";

const quiet = { onWarning: () => {} };

// seqeval's f1_score / recall_score docstring example.
const DOC_TRUE = [["O", "O", "B-MISC", "I-MISC", "B-MISC", "O", "O"], ["B-PER", "I-PER", "O"]];
const DOC_PRED = [["O", "O", "B-MISC", "I-MISC", "B-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];

Deno.test("seqeval's docstring example: micro, macro, weighted and per-type F1", () => {
  assertEquals(f1Score(DOC_TRUE, DOC_PRED), 0.6666666666666666);
  assertEquals(f1Score(DOC_TRUE, DOC_PRED, { average: "macro" }), 0.75);
  assertEquals(f1Score(DOC_TRUE, DOC_PRED, { average: "weighted" }), 0.6666666666666666);
  assertEquals(recallScore(DOC_TRUE, DOC_PRED, { average: "macro" }), 0.75);
  const perType = precisionRecallFscoreSupport(DOC_TRUE, DOC_PRED, { average: null });
  assertEquals(perType.types, ["MISC", "PER"]);
  assertEquals(perType.fScore, [0.5, 1]);
  assertEquals(perType.support, [2, 1]);
});

Deno.test("seqeval's README example: F1 0.50 and accuracy 0.80", () => {
  const yTrue = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
  const yPred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
  assertEquals(f1Score(yTrue, yPred), 0.5);
  assertEquals(precisionScore(yTrue, yPred), 0.5);
  assertEquals(accuracyScore(yTrue, yPred), 0.8);
  assertEquals(f1Score(yTrue, yPred, { mode: "strict" }), 0.5);
});

Deno.test("seqeval's test_v1 scores (strict IOB2): per type and averages", () => {
  const yTrue = [["B-A", "B-B", "O", "B-A"]];
  const yPred = [["O", "B-B", "B-C", "B-A"]];
  const perType = precisionRecallFscoreSupport(yTrue, yPred, { mode: "strict", average: null, ...quiet });
  assertEquals(perType.types, ["A", "B", "C"]);
  assertEquals(perType.precision, [1, 1, 0]);
  assertEquals(perType.recall, [0.5, 1, 0]);
  assertEquals(perType.fScore, [0.6666666666666666, 1, 0]);
  assertEquals(perType.support, [2, 1, 0]);
  const average = (average: "micro" | "macro" | "weighted", beta = 1) =>
    precisionRecallFscoreSupport(yTrue, yPred, { mode: "strict", average, beta, ...quiet });
  assertEquals(average("micro"), {
    precision: 0.6666666666666666,
    recall: 0.6666666666666666,
    fScore: 0.6666666666666666,
    support: 3,
  });
  assertEquals(average("macro"), {
    precision: 0.6666666666666666,
    recall: 0.5,
    fScore: 0.5555555555555555,
    support: 3,
  });
  assertEquals(average("weighted"), {
    precision: 1,
    recall: 0.6666666666666666,
    fScore: 0.7777777777777777,
    support: 3,
  });
  // beta = ∞ makes the F-score the recall (test_average_scores_beta_inf).
  assertAlmostEquals(average("macro", Infinity).fScore, 0.5, 1e-12);
  assertAlmostEquals(average("weighted", Infinity).fScore, 0.6666666666666666, 1e-12);
});

Deno.test("strict and default modes differ on a lone I- tag", () => {
  // Default mode reads the predicted "I-PER" as an entity equal to the gold one; strict mode reads none.
  const yTrue = [["B-PER", "O"]], yPred = [["I-PER", "O"]];
  assertEquals(f1Score(yTrue, yPred), 1);
  assertEquals(f1Score(yTrue, yPred, { mode: "strict", ...quiet }), 0);
});

Deno.test("zero division: warn (default) gives 0 and warns; 0 is silent; 1 gives 1", () => {
  // Gold has a PER, nothing is predicted: precision is 0/0.
  const yTrue = [["B-PER"]], yPred = [["O"]];
  const warnings: string[] = [];
  const warned = precisionRecallFscoreSupport(yTrue, yPred, {
    average: "micro",
    onWarning: (m) => warnings.push(m),
  });
  assertEquals(warned, { precision: 0, recall: 0, fScore: 0, support: 1 });
  assertEquals(warnings, [
    "Precision and F-score are ill-defined and being set to 0.0 due to no predicted samples. " +
    "Use `zero_division` parameter to control this behavior.",
  ]);
  const silent: string[] = [];
  precisionRecallFscoreSupport(yTrue, yPred, {
    average: "micro",
    zeroDivision: 0,
    onWarning: (m) => silent.push(m),
  });
  assertEquals(silent, []);
  // zero_division=1: precision 1, recall 0/1 = 0, F = 2·1·0/(1+0) = 0.
  assertEquals(precisionRecallFscoreSupport(yTrue, yPred, { average: "micro", zeroDivision: 1 }), {
    precision: 1,
    recall: 0,
    fScore: 0,
    support: 1,
  });
});

Deno.test("zero division warnings name labels when there are several (test_v1 test_warning)", () => {
  for (const average of [null, "macro", "weighted"] as const) {
    const warnings: string[] = [];
    precisionRecallFscoreSupport([["B-PER"]], [["B-Test"]], {
      mode: "strict",
      average,
      onWarning: (m) => warnings.push(m),
    });
    assertEquals(warnings.length, 2, String(average));
    assertEquals(warnings[0].startsWith("Precision and F-score are ill-defined"), true);
    assertEquals(warnings[0].includes("in labels with no predicted samples"), true);
    assertEquals(warnings[1].includes("in labels with no true samples"), true);
  }
});

Deno.test("all-O input does not crash: micro 0 with warnings, macro NaN, weighted 0", () => {
  const warnings: string[] = [];
  const onWarning = (m: string) => warnings.push(m);
  const yTrue = [["O", "O"], ["O"]], yPred = [["O", "O"], ["O"]];
  assertEquals(precisionRecallFscoreSupport(yTrue, yPred, { average: "micro", onWarning }), {
    precision: 0,
    recall: 0,
    fScore: 0,
    support: 0,
  });
  const macro = precisionRecallFscoreSupport(yTrue, yPred, { average: "macro", onWarning });
  assertEquals([Number.isNaN(macro.precision), Number.isNaN(macro.fScore), macro.support], [true, true, 0]);
  // test_weighted_true_sum_zero: (0.0, 0.0, 0.0, 0)
  assertEquals(
    precisionRecallFscoreSupport([["O"]], [["O"]], { average: "weighted", mode: "strict", onWarning }),
    {
      precision: 0,
      recall: 0,
      fScore: 0,
      support: 0,
    },
  );
  assertEquals(warnings.includes("Mean of empty slice."), true);
  // f1_score alone on empty input warns that F is undefined (test_fscore_warning).
  const fOnly: string[] = [];
  f1Score([[]], [[]], { onWarning: (m) => fOnly.push(m) });
  assertEquals(fOnly.some((m) => m.startsWith("F-score is ill-defined")), true);
});

Deno.test("weighted average with no gold entities but some predicted: precision 0, recall zero_division", () => {
  // seqeval returns (0, zero_division, 0, 0) when true_sum is 0 and pred_sum is not.
  assertEquals(
    precisionRecallFscoreSupport([["O"]], [["B-PER"]], { average: "weighted", zeroDivision: 1 }),
    { precision: 0, recall: 1, fScore: 0, support: 0 },
  );
});

Deno.test("bad input: inconsistent lengths, bad beta, bad average are errors", () => {
  assertThrows(
    () => f1Score([["B-PER"]], [["B-PER", "O"]]),
    Error,
    "sentence 0 has 1 true tags but 2 predicted",
  );
  assertThrows(() => f1Score([["O"]], [["O"], ["O"]]), Error, "1 sentences but y_pred has 2");
  assertThrows(() => f1Score([["O", 3 as unknown as string]], [["O", "O"]]), Error, "y_true[0][1]");
  assertThrows(() => precisionRecallFscoreSupport([[]], [[]], { beta: -0.1 }), Error, "beta");
  assertThrows(
    () => precisionRecallFscoreSupport([[]], [[]], { average: "mega" as "micro" }),
    Error,
    "average has to be one of",
  );
  assertThrows(() => accuracyScore([[]], [[]]), Error, "no tokens");
});

Deno.test("an entity counts as found only when type, start and end all match", () => {
  // Gold A at 0 and 2, predicted A at 0 only: one true positive of two.
  const counts = countEntities([["B-A", "O", "B-A"]], [["B-A", "O", "O"]]);
  assertEquals(counts, { types: ["A"], truePositives: [1], predicted: [1], actual: [2] });
  // Same span, other type: no match, and both types are listed (sorted).
  assertEquals(countEntities([["B-B", "I-B"]], [["B-A", "I-A"]]), {
    types: ["A", "B"],
    truePositives: [0, 0],
    predicted: [1, 0],
    actual: [0, 1],
  });
  // Same type, other end: no match.
  assertEquals(countEntities([["B-A", "I-A"]], [["B-A", "O"]]).truePositives, [0]);
});

Deno.test("performance_measure: seqeval's docstring example", () => {
  const yTrue = [["O", "O", "O", "B-MISC", "I-MISC", "O", "B-ORG"], ["B-PER", "I-PER", "O", "B-PER"]];
  const yPred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "O"], ["B-PER", "I-PER", "O", "B-MISC"]];
  assertEquals(performanceMeasure(yTrue, yPred), { TP: 3, FP: 3, FN: 1, TN: 4 });
});

Deno.test("numpySum adds in numpy's pairwise order", () => {
  // Fewer than 8 values: left to right.
  assertEquals(numpySum([0.1, 0.2, 0.3]), (0.1 + 0.2) + 0.3);
  // 1e16 followed by fifteen 1s. Left to right every +1 is a tie that rounds back to 1e16 (the spacing of
  // doubles there is 2). numpy keeps 8 partial sums r[k] = a[k] + a[k+8] = [1e16, 2, 2, 2, 2, 2, 2, 2] and adds
  // them as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) = (1e16+2+4)+8 = 1e16+14.
  const values = [1e16, ...new Array(15).fill(1)];
  assertEquals(values.reduce((a, b) => a + b, 0), 1e16);
  assertEquals(numpySum(values), 1e16 + 14);
});
