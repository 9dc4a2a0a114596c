/**
 * Figure builders: the numbers in each figure are those of the report / analysis they were built from.
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  analyzeErrors,
  confusionHeatmapFigure,
  errorBreakdownFigure,
  recallByLengthFigure,
  seenUnseenFigure,
} from "../../lib/analysis/mod.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { classificationReport } from "../../lib/metrics/mod.ts";
import { type LearningCurveLine, learningCurvesFigure, prfBarsFigure } from "../../lib/plot/mod.ts";

function sentence(index: number, items: string): Sentence {
  let offset = 0;
  const words = [], tags = [];
  for (const item of items.split(" ")) {
    const [text, tag = "O"] = item.split("/");
    words.push({ text, start: offset, end: offset + text.length });
    tags.push(tag);
    offset += text.length + 1;
  }
  return { docId: "d", index, start: 0, end: offset - 1, words, tags };
}

const GOLD = [
  sentence(0, "cisplatin/B-Chemical caused renal/B-Disease failure/I-Disease"),
  sentence(1, "heparin/B-Chemical and bleeding/B-Disease"),
];
// cisplatin found, renal failure cut to "failure" (boundary), heparin found, bleeding missed.
const PREDICTED = [
  { ...GOLD[0], tags: ["B-Chemical", "O", "O", "B-Disease"] },
  { ...GOLD[1], tags: ["B-Chemical", "O", "O"] },
];
const TRAIN = [sentence(0, "Heparin/B-Chemical")];

type Trace = Record<string, unknown>;

Deno.test("P/R/F1 bars: one trace per metric, types then micro average, in percent", () => {
  const report = classificationReport(GOLD.map((s) => s.tags), PREDICTED.map((s) => s.tags), {
    mode: "strict",
  });
  const figure = prfBarsFigure(report);
  assertEquals(figure.data.map((t) => t.name), ["precision", "recall", "f1-score"]);
  assertEquals(figure.data[0].x, ["Chemical", "Disease", "micro avg"]);
  // Chemical 2/2 predicted correct; Disease 0/1; micro 2/3 precision, 2/4 recall.
  assertEquals(figure.data[0].y, [100, 0, 66.67]);
  assertEquals(figure.data[1].y, [100, 0, 50]);
});

Deno.test("error breakdown: stacked counts per kind and type", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED });
  const figure = errorBreakdownFigure(analysis);
  const byKind = Object.fromEntries(figure.data.map((t: Trace) => [t.name, t.y]));
  assertEquals(byKind.exact, [2, 0]);
  assertEquals(byKind.boundary, [0, 1]);
  assertEquals(byKind["false negative"], [0, 1]);
  assertEquals(figure.layout?.barmode, "stack");
});

Deno.test("confusion heatmap: colour is the row share, text the count", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED });
  const [trace] = confusionHeatmapFigure(analysis.tokenConfusion).data;
  assertEquals(trace.x, ["O", "B-Chemical", "B-Disease", "I-Disease"]);
  // Gold I-Disease ("failure") predicted B-Disease: the whole row.
  assertEquals((trace.z as number[][])[3], [0, 0, 1, 0]);
  // Gold O words ("caused", "and") both predicted O.
  assertEquals((trace.text as string[][])[0], ["2", "0", "0", "0"]);
  for (const row of trace.z as number[][]) assertAlmostEquals(row.reduce((a, b) => a + b), 1, 1e-12);
});

Deno.test("seen/unseen and length recall bars carry found/total", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED, train: TRAIN });
  const seen = seenUnseenFigure(analysis);
  // "heparin" is seen (case-insensitive) and found; of the 3 unseen, only cisplatin is found.
  assertEquals(seen.data[0].x, ["Chemical", "Disease", "all"]);
  assertEquals(seen.data[0].text, ["1/1", "0/0", "1/1"]);
  assertEquals(seen.data[1].text, ["1/1", "0/2", "1/3"]);
  assertEquals(seen.data[1].y, [100, 0, 33.33]);
  assertThrows(
    () => seenUnseenFigure(analyzeErrors({ gold: GOLD, predicted: PREDICTED })),
    Error,
    "no training",
  );
  const byLength = recallByLengthFigure(analysis);
  const all = byLength.data.find((t: Trace) => t.name === "all")!;
  assertEquals(all.x, ["1", "2", "3", "4", "5+"]);
  assertEquals(all.text, ["2/3", "0/1", "0/0", "0/0", "0/0"]);
});

Deno.test("learning curves: loss and lr by step, dev scores at each epoch's step", () => {
  const log: LearningCurveLine[] = [
    { kind: "step", step: 10, epoch: 1, loss: 1.5, lr: 1e-4 },
    { kind: "step", step: 20, epoch: 1, loss: 0.9, lr: 5e-5 },
    { kind: "epoch", epoch: 1, step: 20, dev: { f1: 0.5, precision: 0.6, recall: 0.4 } },
    { kind: "step", step: 30, epoch: 2, loss: 0.5, lr: 2e-5 },
    // An epoch line without a step sits at the last step of its epoch.
    { kind: "epoch", epoch: 2, dev: { f1: 0.7 } },
  ];
  const figure = learningCurvesFigure(log);
  const byName = Object.fromEntries(figure.data.map((t: Trace) => [t.name, t]));
  assertEquals(byName["train loss"].y, [1.5, 0.9, 0.5]);
  assertEquals(byName["learning rate"].x, [10, 20, 30]);
  assertEquals(byName["dev f1"].x, [20, 30]);
  assertEquals(byName["dev f1"].y, [50, 70]);
  assertEquals(byName["dev precision"].y, [60, null]);
  assertThrows(() => learningCurvesFigure([]), Error, "no step or epoch lines");
});
