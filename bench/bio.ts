/**
 * BIO stage benchmark: load the three BC5CDR splits (PubTator, from BC5CDR_DIR) and convert them — sentence
 * split + word tokenization + IOB2 tags, with the lost-mention check. Target: < 3 s for all of it on a
 * 2-core machine. Reports the best of 3 runs (1 with `--quick`).
 *
 * @module
 */
import { convertDocuments } from "../lib/bio/convert.ts";
import { readBc5cdr } from "../lib/corpus/mod.ts";
import { SPLITS } from "../lib/corpus/types.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";
import { envValue } from "../lib/util/config.ts";

async function loadAndConvert(options?: BenchOptions): Promise<BenchFigures> {
  const dir = envValue("BC5CDR_DIR");
  if (!dir) return { skipped: "set BC5CDR_DIR" };
  let best = { load: Infinity, convert: Infinity, total: Infinity };
  let sentences = 0, words = 0;
  for (let run = 0; run < (options?.quick ? 1 : 3); run++) {
    const started = performance.now();
    const corpus = await readBc5cdr({ dir, source: "pubtator" });
    const loaded = performance.now();
    const converted = SPLITS.map((split) => convertDocuments(corpus.splits[split]).sentences);
    const finished = performance.now();
    const seconds = {
      load: (loaded - started) / 1000,
      convert: (finished - loaded) / 1000,
      total: (finished - started) / 1000,
    };
    if (seconds.total < best.total) best = seconds;
    sentences = converted.reduce((n, s) => n + s.length, 0);
    words = converted.flat().reduce((n, s) => n + s.words.length, 0);
  }
  const round = (x: number) => Number(x.toFixed(3));
  return {
    seconds: round(best.total),
    "load seconds": round(best.load),
    "split + tokenize + BIO seconds": round(best.convert),
    sentences,
    "words/s": Math.round(words / best.convert),
  };
}

/** The BIO stage's benchmarks for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  { name: "bio: load + sentence split + tokenize + BIO (3 splits)", run: loadAndConvert },
];
