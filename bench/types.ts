/**
 * The shape of one benchmark of `deno task bench`. Each pipeline stage lists its benchmarks in
 * `bench/<stage>.ts`; `bench/cli/bench.ts` runs them and prints the figures.
 *
 * @module
 */

/** Figures a benchmark measured, e.g. `{ seconds: 1.9, "tokens/s": 52000 }`. */
export type BenchFigures = Record<string, number | string>;

/** What `deno task bench` passes to every benchmark. */
export interface BenchOptions {
  /** `--quick`: fewer repetitions / smaller inputs, for a smoke run in seconds rather than minutes. */
  quick: boolean;
}

/** One benchmark. */
export interface Benchmark {
  /** Unique, e.g. "bio: load + split + tokenize + BIO (3 splits)". */
  name: string;
  /** Whether it depends on the tfjs backend (then it runs once per available backend). */
  perBackend?: boolean;
  /** Measures and returns its figures. Setup it must not count is done inside, before timing. */
  run(options?: BenchOptions): Promise<BenchFigures>;
}
