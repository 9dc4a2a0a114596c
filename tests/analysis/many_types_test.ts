/**
 * Evaluation and error analysis of a corpus with 16 entity types (the synthetic BioNLP13CG-typed fixture of
 * data/fixtures/types16): every per-type view covers the 16 types, the type confusion is 17×17 (with O),
 * the figures stay readable (slanted ticks, cells and bars with room) and colour each type with the
 * corpus's palette — 16 distinct colours.
 */
import { assert, assertEquals } from "@std/assert";
import { evaluationFigures, scorePredictions } from "../../lib/analysis/evaluate_run.ts";
import { exampleHtml } from "../../lib/analysis/examples.ts";
import { loadCorpus } from "../../lib/corpus/load.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { paletteFor } from "../../lib/highlight/palette.js";
import { writeFigurePngs } from "../../lib/plot/png.ts";
import { hasChromium } from "../../lib/util/chromium.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";

const FIXTURE = new URL("../../data/fixtures/types16", import.meta.url).pathname;
const TYPES = Object.keys(MENTIONS).sort();

/** The fixture's test split, and predictions that call every Cell a Cancer and miss every Tissue. */
async function goldAndPredicted(): Promise<{ gold: Sentence[]; predicted: Sentence[] }> {
  const gold = (await loadCorpus(FIXTURE)).conversion("test").sentences;
  const predicted = gold.map((s) => ({
    ...s,
    tags: s.tags.map((tag) => tag.endsWith("-Tissue") ? "O" : tag.replace(/-Cell$/, "-Cancer")),
  }));
  return { gold, predicted };
}

Deno.test("16 types: per-type tables, a 17×17 type confusion, figures in 16 distinct palette colours", async () => {
  const { gold, predicted } = await goldAndPredicted();
  const scores = scorePredictions({ gold, predicted });
  const { analysis } = scores;
  assertEquals(analysis.types, TYPES);
  assertEquals(Object.keys(scores.strict.report).filter((row) => !row.includes("avg")), TYPES);
  assertEquals(analysis.typeConfusion.labels, [...TYPES, "O"]);
  const at = (gold: string, predicted: string) =>
    analysis.typeConfusion.matrix[TYPES.indexOf(gold)][analysis.typeConfusion.labels.indexOf(predicted)];
  assert(at("Cell", "Cancer") > 0 && at("Tissue", "O") > 0 && at("Organ", "Organ") > 0);
  assertEquals(analysis.recallByLength.Tissue["1"].recall, 0);

  const figures = evaluationFigures(scores);
  const palette = paletteFor(TYPES);
  const recall = figures.recall_by_length.figure.data;
  const colors = Object.fromEntries(recall.map((t) => [t.name, (t.marker as { color: string }).color]));
  assertEquals(colors, {
    ...Object.fromEntries(TYPES.map((type) => [type, palette[type].line])),
    all: "#555555",
  });
  assertEquals(new Set(Object.values(colors)).size, 17);
  // 17 groups of bars: values on hover only, names slanted.
  assert(recall.every((t) => t.textposition === "none"));
  const prf = figures.prf_strict.figure;
  assert(prf.data.every((t) => t.text === undefined));
  assertEquals((prf.layout!.xaxis as { tickangle: number }).tickangle, -40);
  assertEquals((prf.layout!.legend as { orientation: string }).orientation, "v"); // beside, clear of the names
  const confusion = figures.confusion_types.figure.layout as { height: number; width: number };
  assert(confusion.height >= 17 * 30 && confusion.width >= 17 * 34, JSON.stringify(confusion));

  // Error examples in the same colours as the figures.
  const [example] = analysis.examples.type;
  const html = exampleHtml(example, { palette });
  for (const span of [...example.gold, ...example.predicted]) {
    assert(html.includes(`data-type="${span.type}" style="background:${palette[span.type].background}`));
  }

  if (await hasChromium()) {
    // For a person to look at: outputs/figures_16_types/*.png.
    await writeFigurePngs(
      ["prf_strict", "confusion_types", "recall_by_length"].map((name) => ({
        path: projectPath("outputs", "figures_16_types", `${name}.png`),
        figure: figures[name].figure,
      })),
    );
  }
});
