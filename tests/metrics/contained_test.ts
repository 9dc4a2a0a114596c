/**
 * HunFlair's lenient matching in word units (lib/metrics/contained.ts): hand-counted cases of its two passes —
 * a prediction right when inside an unused gold entity of its type, a gold entity missed when inside no unused
 * prediction of its type.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { containedMatchReport } from "../../lib/metrics/mod.ts";

const rowOf = (gold: string[][], predicted: string[][], type = "Chemical") => {
  const row = containedMatchReport(gold, predicted)[type];
  return [row.precision, row.recall, row.support];
};

Deno.test("contained matching: exact spans are right; a part of a gold mention is found and the mention missed", () => {
  assertEquals(rowOf([["B-Chemical", "I-Chemical", "O"]], [["B-Chemical", "I-Chemical", "O"]]), [1, 1, 1]);
  // "vitamin D" inside "1alpha,25-dihydroxyvitamin D3": TP, and the gold mention is FN (inside no prediction).
  assertEquals(rowOf([["B-Chemical", "I-Chemical", "I-Chemical"]], [["O", "B-Chemical", "I-Chemical"]]), [
    1,
    0.5,
    1,
  ]);
});

Deno.test("contained matching: a prediction wider than its mention is wrong, and the mention is not missed", () => {
  assertEquals(rowOf([["O", "B-Chemical", "O"]], [["B-Chemical", "I-Chemical", "O"]]), [0, 0, 1]);
});

Deno.test("contained matching: a gold mention is used once; types and sentences must agree", () => {
  // Two predictions inside one mention: the first is right, the second wrong, the mention missed.
  assertEquals(rowOf([["B-Chemical", "I-Chemical", "I-Chemical"]], [["B-Chemical", "O", "B-Chemical"]]), [
    0.5,
    0.5,
    1,
  ]);
  assertEquals(rowOf([["B-Chemical", "O"]], [["B-Gene", "O"]]), [0, 0, 1]);
  assertEquals(rowOf([["B-Chemical"], ["O"]], [["O"], ["B-Chemical"]]), [0, 0, 1]);
});

Deno.test("contained matching: micro average over the types' counts; entities read in strict IOB2", () => {
  const report = containedMatchReport(
    [["B-Chemical", "O", "B-Gene", "I-Gene"], ["B-Gene"]],
    // A lone I-Gene is no entity in strict IOB2: the second sentence's gene is missed.
    [["B-Chemical", "O", "B-Gene", "O"], ["I-Gene"]],
  );
  assertEquals(Object.keys(report), ["Chemical", "Gene", "micro avg"]);
  assertEquals([report.Gene.precision, report.Gene.recall, report.Gene.support], [1, 1 / 3, 2]);
  // micro: TP 2, FP 0, FN 2 → P 1, R 0.5.
  assertEquals([report["micro avg"].precision, report["micro avg"].recall], [1, 0.5]);
  assertAlmostEquals(report["micro avg"]["f1-score"], 2 / 3);
  assertEquals(report["micro avg"].support, 3);
});
