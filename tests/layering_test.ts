/**
 * The stage folders of lib/ import each other without cycles (type-only imports count: a cycle of types
 * still ties the folders' meaning together), so each stage can be read knowing only the ones below it.
 */
import { assertEquals } from "@std/assert";
import { dirname, join, relative } from "node:path";

const LIB = new URL("../lib/", import.meta.url).pathname;

/** Relative specifiers of a module's static imports and re-exports (`import … from "./x"`, `import "./x"`). */
function relativeImports(source: string): string[] {
  // No parentheses before `from`: `export function f(…) { new URL("./x") }` is not an import.
  const pattern = /^\s*(?:import|export)\b[^;"'()]*?(?:from\s*)?["'](\.{1,2}\/[^"']+)["']/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

/** One cycle of the graph as its edges, or undefined when it has none. */
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

type Graph = Map<string, Map<string, string>>;

/** File → files it imports (paths under lib/, stage folders only), each edge with its message. */
async function fileGraph(): Promise<Graph> {
  const graph: Graph = new Map();
  for await (const folder of Deno.readDir(LIB)) {
    if (!folder.isDirectory) continue;
    for await (const file of Deno.readDir(join(LIB, folder.name))) {
      if (!/\.(ts|js)$/.test(file.name)) continue;
      const path = join(LIB, folder.name, file.name);
      const from = relative(LIB, path);
      const edges = new Map<string, string>();
      for (const specifier of relativeImports(await Deno.readTextFile(path))) {
        const target = relative(LIB, join(dirname(path), specifier));
        if (!target.startsWith("..") && target.includes("/")) edges.set(target, `${from} → ${target}`);
      }
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Folder → folders it imports from, with one importing file → imported file per edge (for the message). */
function folderGraph(files: Graph): Graph {
  const graph: Graph = new Map();
  for (const [from, edges] of files) {
    const folder = from.split("/")[0];
    for (const [target, message] of edges) {
      const targetFolder = target.split("/")[0];
      if (targetFolder === folder) continue;
      const folderEdges = graph.get(folder) ?? new Map<string, string>();
      folderEdges.set(targetFolder, message);
      graph.set(folder, folderEdges);
    }
  }
  return graph;
}

Deno.test("lib/'s stage folders import each other without cycles", async () => {
  assertEquals(findCycle(folderGraph(await fileGraph())), undefined);
});

Deno.test("lib/'s files import each other without cycles", async () => {
  assertEquals(findCycle(await fileGraph()), undefined);
});
