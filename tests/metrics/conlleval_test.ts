/**
 * Default mode against conlleval itself: the CoNLL-2000 output example, whose conlleval output is published
 * (see data/fixtures/metrics/README.md). Predictions there start chunks with I- (IOB1 style), type changes
 * inside chunks and stray I- tags — the cases where conlleval-compatible reading matters.
 */
import { assertEquals } from "@std/assert";
import { accuracyScore, countEntities, precisionRecallFscoreSupport } from "../../lib/metrics/mod.ts";

const FIXTURE = new URL("../../data/fixtures/metrics/conll2000_example.tags", import.meta.url);

/** Reads "gold predicted" lines, blank lines between sentences. */
async function readTags(): Promise<{ yTrue: string[][]; yPred: string[][] }> {
  const blocks = (await Deno.readTextFile(FIXTURE)).trim().split(/\n\s*\n/);
  const sentences = blocks.map((block) => block.trim().split("\n").map((line) => line.split(" ")));
  return {
    yTrue: sentences.map((lines) => lines.map(([gold]) => gold)),
    yPred: sentences.map((lines) => lines.map(([, predicted]) => predicted)),
  };
}

const { yTrue, yPred } = await readTags();
const percent = (x: number) => (100 * x).toFixed(2);

Deno.test("conlleval's published totals: 961 tokens, 459 phrases, found 539, correct 371, accuracy 84.08%", () => {
  assertEquals(yTrue.flat().length, 961);
  const counts = countEntities(yTrue, yPred);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  assertEquals([sum(counts.actual), sum(counts.predicted), sum(counts.truePositives)], [459, 539, 371]);
  assertEquals(percent(accuracyScore(yTrue, yPred)), "84.08");
  const micro = precisionRecallFscoreSupport(yTrue, yPred, { average: "micro" });
  assertEquals([percent(micro.precision), percent(micro.recall), percent(micro.fScore)], [
    "68.83",
    "80.83",
    "74.35",
  ]);
});

Deno.test("conlleval's published per-type precision, recall, FB1 and found counts", () => {
  const scores = precisionRecallFscoreSupport(yTrue, yPred, { average: null, zeroDivision: 0 });
  const counts = countEntities(yTrue, yPred);
  const rows = scores.types.map((type, i) => [
    type,
    percent(scores.precision[i]),
    percent(scores.recall[i]),
    percent(scores.fScore[i]),
    counts.predicted[i],
  ]);
  assertEquals(rows, [
    ["ADJP", "0.00", "0.00", "0.00", 1],
    ["ADVP", "45.45", "62.50", "52.63", 11],
    ["NP", "64.98", "78.63", "71.16", 317],
    ["PP", "83.18", "98.89", "90.36", 107],
    ["SBAR", "66.67", "33.33", "44.44", 3],
    ["VP", "69.00", "79.31", "73.80", 100],
  ]);
});

Deno.test("suffix style gives the same scores (seqeval's test_metrics_for_inv_data)", () => {
  const invert = (tag: string) => (tag === "O" ? tag : `${tag.slice(2)}-${tag[0]}`);
  const invTrue = yTrue.map((s) => s.map(invert)), invPred = yPred.map((s) => s.map(invert));
  assertEquals(invTrue[0][0], "NP-B");
  assertEquals(
    precisionRecallFscoreSupport(invTrue, invPred, { average: null, suffix: true }),
    precisionRecallFscoreSupport(yTrue, yPred, { average: null }),
  );
});

Deno.test("strict mode reads this IOB1-style output very differently", () => {
  // Strict IOB2 drops every chunk the predictions start with I-, so it finds fewer phrases than conlleval.
  const strict = countEntities(yTrue, yPred, { mode: "strict" });
  const found = strict.predicted.reduce((a, b) => a + b, 0);
  assertEquals(found < 539, true);
});
