import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { nativeInstalled, tfjsNodePackageDir } from "../../lib/backend/mod.ts";
import { discoverBenchmarks, peakRssMB } from "../../bench/cli/bench.ts";

/** A stand-in bench/ folder: a good module, a module that fails to load, and one without benchmarks. */
async function benchFolder(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(dir, "good.ts"),
    `import * as tf from "@tensorflow/tfjs-core";
export const benchmarks = [
  { name: "sum", perBackend: true, run: async (o) => ({ tfjs: tf.getBackend(), quick: String(o?.quick),
      sum: (await tf.sum(tf.tensor1d([1, 2, 3])).data())[0] }) },
  { name: "plain", run: async () => ({ answer: 42 }) },
  { name: "broken", run: async () => { throw new Error("boom"); } },
  { name: "endless", run: () => new Promise(() => setInterval(() => {}, 1000)) },
];`,
  );
  await Deno.writeTextFile(join(dir, "bad.ts"), `throw new Error("cannot load");`);
  await Deno.writeTextFile(join(dir, "empty.ts"), `export const other = 1;`);
  await Deno.writeTextFile(join(dir, "types.ts"), `export type T = number;`);
  await Deno.writeTextFile(join(dir, "notes.py"), `print("not a bench module")`);
  return dir;
}

Deno.test("benchmark modules are discovered from the folder; one that fails to load is reported, not fatal", async () => {
  const dir = await benchFolder();
  const discovered = await discoverBenchmarks(dir);
  assertEquals(discovered.map((d) => d.module), ["bad", "empty", "good"]);
  assertEquals(discovered[0], { module: "bad", error: "cannot load" });
  assertEquals(discovered[1], { module: "empty", error: "exports no `benchmarks` array" });
  assertEquals("benchmarks" in discovered[2] && discovered[2].benchmarks.length, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("peak RSS is read from /proc/self/status", { ignore: Deno.build.os !== "linux" }, () => {
  const mb = peakRssMB()!;
  assert(mb > 10 && mb < 100_000, `${mb} MB`);
});

// Native too when installed: node-pre-gyp, run when tfjs-node loads, reads `--dir` in argv as its own option.
const backends = nativeInstalled(tfjsNodePackageDir("@tensorflow/tfjs-node") ?? "")
  ? ["cpu", "native"]
  : ["cpu", "wasm"];

Deno.test("deno task bench runs perBackend benchmarks once per backend, each in its own process", async () => {
  const dir = await benchFolder();
  const out = join(dir, "bench.json");
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "bench/cli/bench.ts",
      "--dir",
      dir,
      "--backends",
      backends.join(),
      "--quick",
      "--timeout",
      "10",
      "--out",
      out,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  // Exit status 1: a module failed to load, a benchmark threw, one hung; everything else still ran.
  assertEquals(output.code, 1);
  const report = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
  assertEquals(JSON.parse(await Deno.readTextFile(out)), report);
  assertEquals(report.backends, backends);
  assertEquals(report.loadErrors.map((e: { module: string }) => e.module), ["bad", "empty"]);
  const rows = report.results.map((
    r: { name: string; backend: string; figures?: object; error?: string },
  ) => [
    r.name,
    r.backend,
    r.figures ?? (r.error ? "error" : undefined),
  ]);
  assertEquals(rows, [
    ...backends.map((backend) => [
      "sum",
      backend,
      { tfjs: backend === "native" ? "tensorflow" : backend, quick: "true", sum: 6 },
    ]),
    ["plain", null, { answer: 42 }],
    ["broken", null, "error"],
    ["endless", null, "error"],
  ]);
  assertEquals(report.results.at(-1).error, "timed out after 10 s (--timeout)");
  for (const result of report.results.slice(0, 3)) assert(result.peakRssMB > 10, JSON.stringify(result));
  await Deno.remove(dir, { recursive: true });
});
