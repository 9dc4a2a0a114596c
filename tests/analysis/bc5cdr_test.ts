/**
 * On the real BC5CDR test split (skipped without BC5CDR_DIR): gold against itself is perfect in both modes
 * with supports equal to the converter's entity counts; synthetic mistakes show up in the analysis exactly as
 * seqeval counts them.
 */
import { assertEquals } from "@std/assert";
import { perturbTags, scorePredictions } from "../../lib/analysis/mod.ts";
import { convertDocuments } from "../../lib/bio/convert.ts";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { countEntities } from "../../lib/metrics/mod.ts";

const dir = Deno.env.get("BC5CDR_DIR");

async function loadSplits() {
  const corpus = await readBc5cdr({ dir, source: "pubtator", splits: ["train", "test"] });
  return {
    test: convertDocuments(corpus.splits.test),
    train: convertDocuments(corpus.splits.train).sentences,
  };
}

Deno.test({
  name: "BC5CDR test: gold against gold is perfect, supports are the converter's entity counts",
  ignore: !dir,
  async fn() {
    const { test, train } = await loadSplits();
    const gold = test.sentences;
    const scores = scorePredictions({ gold, predicted: gold, train });
    for (const evaluation of [scores.strict, scores.default]) {
      for (const [type, count] of Object.entries(test.report.entities)) {
        assertEquals(
          evaluation.report[type],
          { precision: 1, recall: 1, "f1-score": 1, support: count },
          type,
        );
      }
      assertEquals(evaluation.accuracy, 1);
    }
    const total = Object.values(test.report.entities).reduce((a, b) => a + b, 0);
    assertEquals(scores.analysis.counts.all.exact, total);
    const { seen, unseen } = scores.analysis.seenUnseen!.all;
    assertEquals(seen.total + unseen.total, total);
  },
});

Deno.test({
  name: "BC5CDR test with synthetic mistakes: analysis and seqeval count the same entities",
  ignore: !dir,
  async fn() {
    const { test, train } = await loadSplits();
    const gold = test.sentences, predicted = perturbTags(gold, { seed: 11 });
    const scores = scorePredictions({ gold, predicted, train });
    for (const mode of ["default", "strict"] as const) {
      const counts = countEntities(gold.map((s) => s.tags), predicted.map((s) => s.tags), { mode });
      const analysis = mode === "default" ? scores.analysis : scorePredictions({
        gold,
        predicted,
        analysisMode: "strict",
      }).analysis;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      assertEquals(analysis.counts.all.exact, sum(counts.truePositives), mode);
      assertEquals(analysis.groups.reduce((n, g) => n + g.predicted.length, 0), sum(counts.predicted), mode);
      assertEquals(analysis.groups.reduce((n, g) => n + g.gold.length, 0), sum(counts.actual), mode);
    }
  },
});
