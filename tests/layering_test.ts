/**
 * lib/'s layout rules, checked over every file at any folder depth:
 * - no import cycles: between files, between the stage folders of lib/, and between the sub-folders (and
 *   files) of any folder (type-only imports count: a cycle of types still ties the parts' meaning together),
 *   so each part can be read knowing only the ones below it;
 * - lib/ imports nothing outside itself (bench/, tests/ and notebooks/ sit on top of it);
 * - a file of lib/ longer than 300 lines says why on its first line (`// Over 300 lines: …`).
 */
import { assert, assertEquals } from "@std/assert";
import { dirname, join, relative } from "node:path";

const LIB = new URL("../lib/", import.meta.url).pathname;

/** Relative specifiers of a module's static imports and re-exports (`import … from "./x"`, `import "./x"`). */
function relativeImports(source: string): string[] {
  // No parentheses before `from`: `function f(…) { new URL("./x") }` is not an import.
  const pattern = /^\s*(?:import|export)\b[^;"'()]*?(?:from\s*)?["'](\.{1,2}\/[^"']+)["']/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

/** Node → node → the message of that edge (one importing file → imported file). */
type Graph = Map<string, Map<string, string>>;

/** One cycle of the graph as its edges' messages, or undefined when it has none. */
function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, "open");
    path.push(node);
    for (const [next] of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const loop = [...path.slice(path.indexOf(next)), next];
        return loop.slice(1).map((to, i) => graph.get(loop[i])!.get(to)!);
      }
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

/** Every .ts/.js file under `dir`, at any depth. */
async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.(ts|js)$/.test(entry.name)) yield path;
  }
}

/** The files of a tree, by path relative to its root, with their text. */
async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const path of sourceFiles(root)) files.set(relative(root, path), await Deno.readTextFile(path));
  return files;
}

/**
 * File → files it imports (paths relative to the root, e.g. `model/crf/crf.ts`), each edge with its
 * message; imports that leave the root go to `outside`.
 */
function fileGraph(files: Map<string, string>, outside: string[] = []): Graph {
  const graph: Graph = new Map();
  for (const [from, text] of files) {
    const edges = new Map<string, string>();
    for (const specifier of relativeImports(text)) {
      const target = join(dirname(from), specifier);
      if (target.startsWith("..")) outside.push(`${from} → ${specifier}`);
      else edges.set(target, `${from} → ${target}`);
    }
    graph.set(from, edges);
  }
  return graph;
}

/**
 * For every folder of the tree (the root included), the graph between its parts — its sub-folders and its own
 * files — made of the imports between files under it: `folder` → that graph. An import between two files of
 * one part belongs to that part's own folder graph (or to the file graph), not to this one.
 */
function folderGraphs(files: Graph): Map<string, Graph> {
  const graphs = new Map<string, Graph>();
  for (const [from, edges] of files) {
    for (const [target, message] of edges) {
      const a = from.split("/"), b = target.split("/");
      // The deepest folder holding both; below it, the part each side lies in.
      let depth = 0;
      while (depth < Math.min(a.length, b.length) - 1 && a[depth] === b[depth]) depth++;
      const folder = a.slice(0, depth).join("/") || ".";
      const [partA, partB] = [a[depth], b[depth]];
      if (partA === partB) continue;
      const graph = graphs.get(folder) ?? new Map<string, Map<string, string>>();
      const partEdges = graph.get(partA) ?? new Map<string, string>();
      partEdges.set(partB, message);
      graph.set(partA, partEdges);
      graphs.set(folder, graph);
    }
  }
  return graphs;
}

/** Every folder-level cycle: `folder: a → b, b → a` (one per folder that has any). */
function folderCycles(files: Graph): string[] {
  return [...folderGraphs(files)].sort(([a], [b]) => a.localeCompare(b)).flatMap(([folder, graph]) => {
    const cycle = findCycle(graph);
    return cycle ? [`lib/${folder === "." ? "" : `${folder}/`}: ${cycle.join(", ")}`] : [];
  });
}

/** Why a file's text breaks the length rule (over 300 lines and no reason on line 1), or undefined. */
function lengthProblem(text: string): string | undefined {
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  if (lines <= 300) return undefined;
  return /^\/\/ Over 300 lines: \S.{10,}/.test(text)
    ? undefined
    : `${lines} lines, no "// Over 300 lines: why" first`;
}

const lib = await readTree(LIB);

Deno.test("lib/'s stage folders, and the sub-folders of every folder, import each other without cycles", () => {
  assertEquals(folderCycles(fileGraph(lib)), []);
});

Deno.test("lib/'s files import each other without cycles", () => {
  assertEquals(findCycle(fileGraph(lib)), undefined);
});

Deno.test("lib/ imports nothing outside lib/ (bench/, tests/, notebooks/ build on it)", () => {
  const outside: string[] = [];
  fileGraph(lib, outside);
  assertEquals(outside, []);
});

Deno.test("a lib/ file over 300 lines says why on its first line (`// Over 300 lines: …`)", () => {
  const problems = [...lib].flatMap(([path, text]) => {
    const problem = lengthProblem(text);
    return problem ? [`lib/${path}: ${problem}`] : [];
  }).sort();
  assertEquals(problems, []);
});

Deno.test("the checks find what they look for: a cycle two folders deep, one through a sibling file, a long file", () => {
  const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
  // model/a/x.ts → model/b/y.ts → model/a/z.ts: no file cycle, but model/a and model/b depend on each other.
  const deep = fileGraph(files({
    "model/a/x.ts": 'import { y } from "../b/y.ts";',
    "model/b/y.ts": 'import { z } from "../a/z.ts";',
    "model/a/z.ts": "export const z = 1;",
  }));
  assertEquals(findCycle(deep), undefined);
  assertEquals(folderCycles(deep), ["lib/model/: model/a/x.ts → model/b/y.ts, model/b/y.ts → model/a/z.ts"]);
  // A sub-folder and a file beside it: train/loop/fit.ts → train/step.ts → train/loop/events.ts.
  const sibling = fileGraph(files({
    "train/loop/fit.ts": 'import "../step.ts";',
    "train/step.ts": 'import type { E } from "./loop/events.ts";',
    "train/loop/events.ts": "export type E = 1;",
  }));
  assertEquals(folderCycles(sibling), [
    "lib/train/: train/loop/fit.ts → train/step.ts, train/step.ts → train/loop/events.ts",
  ]);
  // Stage folders, as before: bio → corpus → bio.
  const stages = fileGraph(files({
    "bio/a.ts": 'export * from "../corpus/b.ts";',
    "corpus/b.ts": 'import { c } from "../bio/c.ts";',
    "bio/c.ts": "export const c = 1;",
  }));
  assertEquals(folderCycles(stages), ["lib/: bio/a.ts → corpus/b.ts, corpus/b.ts → bio/c.ts"]);
  // Out of lib/.
  const outside: string[] = [];
  fileGraph(files({ "cli/x.ts": 'import "../../bench/y.ts";' }), outside);
  assertEquals(outside, ["cli/x.ts → ../../bench/y.ts"]);
  // Length.
  const long = "x\n".repeat(301);
  assert(lengthProblem(long)?.startsWith("301 lines"));
  assertEquals(lengthProblem(`// Over 300 lines: one table, read top to bottom.\n${long}`), undefined);
  assertEquals(lengthProblem("x\n".repeat(300)), undefined);
});
