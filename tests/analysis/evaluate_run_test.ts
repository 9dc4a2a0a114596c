/**
 * evaluateRun end to end on the training fixtures with synthetic mistakes: report.md, evaluation.json and
 * figures (PNGs rendered in headless Chromium and checked non-blank when Chromium is installed).
 */
import { assert, assertEquals, assertGreater, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { evaluateRun, perturbTags, scorePredictions } from "../../lib/analysis/mod.ts";
import { readSentencesJsonl } from "../../lib/bio/mod.ts";
import { countEntities } from "../../lib/metrics/mod.ts";
import { decodePng, pixelStats } from "../../lib/plot/mod.ts";
import { hasChromium as chromiumInstalled } from "../../lib/util/chromium.ts";

const FIXTURES = new URL("../../data/fixtures/train/", import.meta.url).pathname;
const gold = await readSentencesJsonl(join(FIXTURES, "test.jsonl"));
const train = await readSentencesJsonl(join(FIXTURES, "train.jsonl"));
const predicted = perturbTags(gold, {
  seed: 5,
  missed: 0.2,
  wrongType: 0.1,
  boundary: 0.15,
  loneInside: 0.1,
  spurious: 0.3,
});
const hasChromium = await chromiumInstalled();

Deno.test("analysis and seqeval agree: exact groups are the default-mode true positives", () => {
  const scores = scorePredictions({ gold, predicted, train });
  const counts = countEntities(gold.map((s) => s.tags), predicted.map((s) => s.tags));
  const truePositives = counts.truePositives.reduce((a, b) => a + b, 0);
  assertEquals(scores.analysis.counts.all.exact, truePositives);
  // Every gold entity is in exactly one group: exact + missed + the gold side of the other kinds = support.
  const goldInGroups = scores.analysis.groups.reduce((n, g) => n + g.gold.length, 0);
  assertEquals(goldInGroups, scores.default.report["micro avg"].support);
  // The perturbation made lone I- starts: strict mode cannot score higher than default mode here.
  assert(scores.strict.report["micro avg"]["f1-score"] <= scores.default.report["micro avg"]["f1-score"]);
});

Deno.test({
  name: "evaluateRun writes report.md, evaluation.json and non-blank figures",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const trainLog = join(dir, "train_log.jsonl");
      await Deno.writeTextFile(
        trainLog,
        [
          { kind: "step", step: 5, epoch: 1, loss: 2.1, lr: 1e-4 },
          { kind: "step", step: 10, epoch: 1, loss: 1.2, lr: 8e-5 },
          { kind: "epoch", epoch: 1, step: 10, dev: { f1: 0.4, precision: 0.5, recall: 0.33 } },
          { kind: "step", step: 15, epoch: 2, loss: 0.7, lr: 4e-5 },
          { kind: "epoch", epoch: 2, step: 15, dev: { f1: 0.6, precision: 0.62, recall: 0.58 } },
        ].map((line) => JSON.stringify(line)).join("\n") + "\n",
      );
      const logs: string[] = [];
      const result = await evaluateRun({
        outDir: dir,
        gold,
        predicted,
        train,
        trainLog,
        title: "fixture run",
        png: hasChromium,
        log: (m) => logs.push(m),
      });
      const report = await Deno.readTextFile(join(dir, "report.md"));
      assertStringIncludes(report, "# fixture run");
      assertStringIncludes(report, "### Strict (IOB2)");
      assertStringIncludes(report, "[interactive](figures/learning_curves.html)");
      const micro = result.strict.report["micro avg"];
      assertStringIncludes(report, `| *micro avg* | ${(micro.precision * 100).toFixed(2)} |`);
      const json = JSON.parse(await Deno.readTextFile(join(dir, "evaluation.json")));
      assertEquals(json.strict["micro avg"], micro);
      assertEquals(json.analysis.counts, result.analysis.counts);
      const names = [
        "prf_strict",
        "prf_default",
        "errors",
        "confusion_tokens",
        "confusion_types",
        "seen_unseen",
      ];
      for (const name of [...names, "recall_by_length", "learning_curves"]) {
        assert(result.files.html.includes(join(dir, "figures", `${name}.html`)), name);
      }
      if (!hasChromium) return;
      assertEquals(result.files.png.length, result.files.html.length);
      for (const path of result.files.png) {
        const image = decodePng(await Deno.readFile(path));
        const stats = pixelStats(image);
        assertEquals(image.width, 900, path);
        assertGreater(stats.variance, 100, `${path} looks blank`);
        assertGreater(stats.colors, 10, `${path} has almost no colours`);
        assertStringIncludes(report, `](figures/${path.split("/").at(-1)})`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("evaluateRun writes nothing when the predictions do not line up", async () => {
  const dir = join(await Deno.makeTempDir(), "run");
  await assertRejects(
    () => evaluateRun({ outDir: dir, gold, predicted: predicted.slice(1), png: false, log: () => {} }),
    Error,
    "gold sentences but",
  );
  assertEquals(await Deno.stat(dir).then(() => true, () => false), false);
  await Deno.remove(join(dir, ".."), { recursive: true });
});
