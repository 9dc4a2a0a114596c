/**
 * lib/util/config.ts is the one door to the environment: no other file of lib/ touches `Deno.env`, every
 * variable the notebooks and tests read is documented there, docs/environment.md's table is generated from it, and its
 * getters read the variable at the moment of the call.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { join, relative } from "node:path";
import { ENVIRONMENT, envValue, isEnvName } from "../../lib/util/config.ts";
import { main as envTable } from "../../lib/cli/env_table.ts";
import { projectPath } from "../../lib/util/paths.ts";

async function* filesUnder(dir: string, extensions: string[]): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* filesUnder(path, extensions);
    else if (extensions.some((ext) => entry.name.endsWith(ext))) yield path;
  }
}

/** Temporarily sets (or, with undefined, removes) `name` around `fn`. */
function withEnv(name: string, value: string | undefined, fn: () => void): void {
  const saved = Deno.env.get(name);
  try {
    if (value === undefined) Deno.env.delete(name);
    else Deno.env.set(name, value);
    fn();
  } finally {
    if (saved === undefined) Deno.env.delete(name);
    else Deno.env.set(name, saved);
  }
}

Deno.test("no file of lib/ but lib/util/config.ts reads or writes Deno.env (doc examples aside)", async () => {
  const offenders: string[] = [];
  for await (const path of filesUnder(projectPath("lib"), [".ts", ".js"])) {
    if (path === projectPath("lib", "util", "config.ts")) continue;
    const lines = (await Deno.readTextFile(path)).split("\n");
    lines.forEach((line, i) => {
      const code = line.trimStart();
      if (code.startsWith("*") || code.startsWith("//")) return; // JSDoc examples show user code
      if (/\bDeno\.env\b|process\.env\b/.test(code)) {
        offenders.push(`${relative(projectPath(), path)}:${i + 1}`);
      }
    });
  }
  assertEquals(offenders, [], "read the environment through lib/util/config.ts");
});

Deno.test("every variable the notebooks and tests read or require by name is documented in lib/util/config.ts", async () => {
  const undocumented: string[] = [];
  for (const dir of ["notebooks", "tests"]) {
    for await (const path of filesUnder(projectPath(dir), [".ipynb", ".ts"])) {
      const text = await Deno.readTextFile(path);
      const names = [...text.matchAll(/Deno\.env\.get\(\\?"([A-Z][A-Z0-9_]*)\\?"\)/g)].map((m) => m[1]);
      // A notebook names the variables its run needs in its metadata (tests/notebooks reads them).
      if (path.endsWith(".ipynb")) names.push(...JSON.parse(text).metadata?.requiresEnv ?? []);
      for (const name of names) {
        if (!isEnvName(name)) undocumented.push(`${relative(projectPath(), path)}: ${name}`);
      }
    }
  }
  assertEquals(undocumented, []);
});

Deno.test("docs/environment.md's table is the one generated from lib/util/config.ts", async () => {
  assertEquals(await envTable(["--check"]), 0, "run `deno task env-table`");
  const page = await Deno.readTextFile(projectPath("docs", "environment.md"));
  for (const name of Object.keys(ENVIRONMENT)) assert(page.includes(`| \`${name}\``), name);
});

Deno.test("getters read the variable when called, parse it, and fall back to the documented default", () => {
  withEnv("HF_ENDPOINT", undefined, () => assertEquals(envValue("HF_ENDPOINT"), "https://huggingface.co"));
  withEnv("HF_ENDPOINT", "http://127.0.0.1:9/hub//", () => {
    assertEquals(envValue("HF_ENDPOINT"), "http://127.0.0.1:9/hub");
  });
  withEnv("BC5CDR_DIR", "", () => assertEquals(envValue("BC5CDR_DIR"), undefined)); // empty counts as unset
  withEnv("TF_NUM_INTRAOP_THREADS", "3", () => assertEquals(envValue("TF_NUM_INTRAOP_THREADS"), 3));
  withEnv("TF_NUM_INTRAOP_THREADS", "0", () => assertEquals(envValue("TF_NUM_INTRAOP_THREADS"), undefined));
  withEnv("BENCH_MAX_SECONDS", undefined, () => assertEquals(envValue("BENCH_MAX_SECONDS"), 120));
  withEnv("BENCH_MAX_SECONDS", "soon", () => {
    assertThrows(
      () => envValue("BENCH_MAX_SECONDS"),
      Error,
      'BENCH_MAX_SECONDS must be a positive number, got "soon"',
    );
  });
});
