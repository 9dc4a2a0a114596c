/**
 * `deno task bench`: runs every benchmark of every `bench/*.ts` module (each exports
 * `benchmarks: Benchmark[]`; modules are discovered, so a stage that is missing or broken costs only its own
 * rows). A `perBackend` benchmark runs once per available tfjs backend. Every run is its own child process
 * (`NER_BACKEND` set), so its peak RSS (VmHWM) is its own and one crash does not end the others.
 *
 * Options: `--only <substr>` (benchmark names, case-insensitive), `--backends a,b` (instead of every
 * available one; a named backend is forced, e.g. a software WebGPU adapter), `--quick` (smoke sizes),
 * `--timeout <s>` per run (default 1200), `--out <file>` (default outputs/bench/bench.json),
 * `--dir <folder>` (default bench/; for tests).
 * stderr: progress and a table. stdout: the JSON result (last line), also written to outputs/bench/bench.json.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  BACKEND_ENV,
  deviceMemory,
  initBackend,
  parseBackendName,
  probeBackends,
} from "../../lib/backend/mod.ts";
import type { BenchFigures, Benchmark } from "../types.ts";
import { writeFileAtomic } from "../../lib/util/atomic.ts";
import { peakRssMB } from "../../lib/util/peak_rss.ts";
import { runCommand } from "../../lib/util/exit_error.ts";

export { peakRssMB };

const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));

/** One benchmark run's outcome. */
export interface BenchResult {
  module: string;
  name: string;
  /** The tfjs backend it ran on (perBackend benchmarks), or null. */
  backend: string | null;
  figures?: BenchFigures;
  /** Peak resident memory of the run's process (VmHWM), MB. */
  peakRssMB?: number;
  /** Device memory the backend held at the end (its buffer pool: the peak), MB, where the backend reports it. */
  deviceMB?: number;
  /** Wall time of the whole child process, seconds. */
  wallSeconds: number;
  error?: string;
}

/** A module's benchmarks, or why it could not be loaded. */
type Discovered = { module: string; benchmarks: Benchmark[] } | { module: string; error: string };

/** Modules of bench/ that hold shared types and sizes, not benchmarks (bench/cli/ and bench/pytorch/ are folders: not scanned). */
const HELPER_MODULES = ["types.ts", "sizes.ts"];

/**
 * Imports every bench/*.ts module except the helper modules and collects its `benchmarks`.
 *
 * @example
 * ```ts
 * const modules = await discoverBenchmarks();
 * ```
 */
export async function discoverBenchmarks(dir = BENCH_DIR): Promise<Discovered[]> {
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".ts") && !HELPER_MODULES.includes(e.name))
    .map((e) => e.name)
    .sort();
  const discovered: Discovered[] = [];
  for (const file of files) {
    const module = file.replace(/\.ts$/, "");
    try {
      const { benchmarks } = await import(join(dir, file));
      if (!Array.isArray(benchmarks)) throw new Error("exports no `benchmarks` array");
      discovered.push({ module, benchmarks });
    } catch (error) {
      discovered.push({ module, error: (error as Error).message.split("\n")[0] });
    }
  }
  return discovered;
}

/** Child mode: runs one benchmark of one module and prints its result as the last stdout line. */
async function runChild(dir: string, module: string, name: string, quick: boolean): Promise<void> {
  const { benchmarks } = await import(join(dir, `${module}.ts`)) as { benchmarks: Benchmark[] };
  const benchmark = benchmarks.find((b) => b.name === name);
  if (!benchmark) throw new Error(`${dir}/${module}.ts has no benchmark named ${JSON.stringify(name)}`);
  const backend = benchmark.perBackend ? (await initBackend()).name : null;
  const figures = await benchmark.run({ quick });
  const device = benchmark.perBackend ? deviceMemory() : undefined;
  const deviceMB = device && Math.round(device.allocated / 2 ** 20);
  console.log(JSON.stringify({ backend, figures, peakRssMB: peakRssMB(), deviceMB }));
}

/** Runs one benchmark in a child process; failures become a result with `error`. */
async function runInChild(
  module: string,
  benchmark: Benchmark,
  backend: string | null,
  options: { quick: boolean; dir: string; timeoutSeconds: number },
): Promise<BenchResult> {
  const args = ["run", "-A", fileURLToPath(import.meta.url), "--dir", options.dir, "--child", module];
  args.push("--name", benchmark.name);
  if (options.quick) args.push("--quick");
  const env: Record<string, string> = {};
  if (backend) env[BACKEND_ENV] = backend;
  const start = performance.now();
  const child = new Deno.Command(Deno.execPath(), { args, env, stdout: "piped", stderr: "inherit" }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutSeconds * 1000);
  const output = await child.output().finally(() => clearTimeout(timer));
  const wallSeconds = Math.round((performance.now() - start) / 100) / 10;
  const lastLine = new TextDecoder().decode(output.stdout).trim().split("\n").pop() ?? "";
  const base = { module, name: benchmark.name, backend, wallSeconds };
  if (timedOut) return { ...base, error: `timed out after ${options.timeoutSeconds} s (--timeout)` };
  if (!output.success) return { ...base, error: `child exited with ${output.code} (its stderr is above)` };
  try {
    const parsed = JSON.parse(lastLine);
    return {
      ...base,
      backend: parsed.backend,
      figures: parsed.figures,
      peakRssMB: parsed.peakRssMB,
      deviceMB: parsed.deviceMB,
    };
  } catch {
    return { ...base, error: `child printed no JSON result: ${JSON.stringify(lastLine.slice(0, 200))}` };
  }
}

function formatFigures(figures: BenchFigures): string {
  return Object.entries(figures).map(([key, value]) => `${key} ${value}`).join(", ");
}

function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    r.backend ?? "-",
    r.error ? `ERROR: ${r.error}` : formatFigures(r.figures ?? {}),
    r.peakRssMB === undefined ? "-" : `${r.peakRssMB} MB`,
    `${r.wallSeconds} s`,
    r.deviceMB === undefined ? "-" : `${r.deviceMB} MB`,
  ]);
  const header = ["benchmark", "backend", "figures", "peak RSS", "wall", "device"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => i === 2 ? 0 : row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => i === 2 ? c : c.padEnd(widths[i])).join("  ");
  // The figures column goes last so that long figure lists do not push the others around.
  const order = [0, 1, 3, 5, 4, 2];
  console.error(`\n${line(order.map((i) => header[i]))}`);
  for (const row of rows) console.error(line(order.map((i) => row[i])));
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("bench", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      only: { type: "string" },
      backends: { type: "string" },
      quick: { type: "boolean", default: false },
      out: { type: "string", default: "outputs/bench/bench.json" },
      dir: { type: "string", default: BENCH_DIR },
      timeout: { type: "string", default: "1200" },
      child: { type: "string" },
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.error(
      "usage: deno task bench [--only <substr>] [--backends native,wasm,…] [--quick] [--timeout <s>] [--out <file>]",
    );
    return 0;
  }
  if (values.child) {
    await runChild(values.dir, values.child, values.name ?? "", values.quick);
    return 0;
  }
  const discovered = await discoverBenchmarks(values.dir);
  const only = values.only?.toLowerCase();
  const selected = discovered.flatMap((d) =>
    "error" in d ? [] : d.benchmarks
      .filter((b) => !only || b.name.toLowerCase().includes(only))
      .map((benchmark) => ({ module: d.module, benchmark }))
  );
  const loadErrors = discovered.flatMap((d) => "error" in d ? [{ module: d.module, error: d.error }] : []);
  for (const { module, error } of loadErrors) {
    console.error(`[bench] ${module}.ts skipped: ${error}`);
  }

  let backends: string[] = [];
  if (selected.some(({ benchmark }) => benchmark.perBackend)) {
    backends = values.backends
      ? values.backends.split(",").map((b) => parseBackendName(b, "--backends"))
      : (await probeBackends()).filter((s) => s.works).map((s) => s.name);
    console.error(`[bench] backends: ${backends.join(", ")}`);
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout ${values.timeout}: expected a number of seconds > 0`);
  const childOptions = { quick: values.quick, dir: values.dir, timeoutSeconds };
  const results: BenchResult[] = [];
  for (const { module, benchmark } of selected) {
    for (const backend of benchmark.perBackend ? backends : [null]) {
      console.error(`[bench] ${benchmark.name}${backend ? ` on ${backend}` : ""} …`);
      const result = await runInChild(module, benchmark, backend, childOptions);
      console.error(
        `[bench]   ${result.error ? `ERROR ${result.error}` : formatFigures(result.figures ?? {})}`,
      );
      results.push(result);
    }
  }
  printTable(results);
  const report = {
    date: new Date().toISOString(),
    quick: values.quick,
    machine: { cpus: navigator.hardwareConcurrency, os: `${Deno.build.os}-${Deno.build.arch}` },
    backends,
    loadErrors,
    results,
  };
  await Deno.mkdir(dirname(values.out), { recursive: true });
  await writeFileAtomic(values.out, JSON.stringify(report, null, 2) + "\n");
  console.error(`[bench] wrote ${values.out}`);
  console.log(JSON.stringify(report));
  return results.some((r) => r.error) || loadErrors.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
