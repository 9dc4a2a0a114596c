/**
 * Evaluation benchmark: seqeval scores in strict and default mode plus the full error analysis of the
 * whole BC5CDR test split (4.8k sentences, 9.8k entities). Predictions are the gold tags with synthetic,
 * seeded mistakes (lib/analysis/perturb.ts), so the benchmark needs no trained model. Target: < 1 s.
 * Reports the first (cold) run and the best of the following ones, as wall time and as CPU time of the
 * process (the fairer figure on a shared, loaded machine).
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { perturbTags } from "../lib/analysis/perturb.ts";
import { scorePredictions } from "../lib/analysis/evaluate_run.ts";
import { convertDocuments } from "../lib/bio/convert.ts";
import { readBc5cdr } from "../lib/corpus/mod.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";
import { envValue } from "../lib/util/config.ts";

async function evaluateTestSplit(options?: BenchOptions): Promise<BenchFigures> {
  const dir = envValue("BC5CDR_DIR");
  if (!dir) return { skipped: "set BC5CDR_DIR" };
  const corpus = await readBc5cdr({ dir, source: "pubtator", splits: ["train", "test"] });
  const gold = convertDocuments(corpus.splits.test).sentences;
  const train = convertDocuments(corpus.splits.train).sentences;
  const predicted = perturbTags(gold, { seed: 1 });

  const seconds: number[] = [], cpuSeconds: number[] = [];
  let result;
  for (let run = 0; run < (options?.quick ? 2 : 6); run++) {
    const started = performance.now(), cpu = cpuUsage();
    result = scorePredictions({ gold, predicted, train });
    const used = cpuUsage(cpu);
    seconds.push((performance.now() - started) / 1000);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  const round = (x: number) => Number(x.toFixed(3));
  const warm = Math.min(...seconds.slice(1));
  return {
    seconds: round(warm),
    "cpu seconds": round(Math.min(...cpuSeconds.slice(1))),
    "cold seconds": round(seconds[0]),
    "cold cpu seconds": round(cpuSeconds[0]),
    sentences: gold.length,
    "gold entities": result!.default.report["micro avg"].support,
    "sentences/s": Math.round(gold.length / warm),
    "strict F1 (synthetic)": round(result!.strict.report["micro avg"]["f1-score"]),
  };
}

/** The evaluation stage's benchmarks for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "metrics: seqeval strict + default + error analysis, BC5CDR test (gold with synthetic mistakes)",
    run: evaluateTestSplit,
  },
];
