/**
 * Turns a notebook's code cells into one TypeScript module next to the notebook (`notebooks/<name>.ts`,
 * ignored by git), so a notebook can be type-checked with `deno check` and run with `deno run` without Jupyter.
 *
 * The module first imports a `Deno.jupyter` stub (see `jupyter_stub.ts`), then holds the code cells in order,
 * each under a line that records the cell's index for the stub (`… = N; // ── cell N ──`). Because the cells become one module, no top-level name may be
 * declared in two cells. {@link cellAtLine} maps a line of the module back to its cell, so errors from
 * `deno check` / `deno run` can name the cell.
 *
 * @module
 */
import { basename, dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../util/atomic.ts";

/** The parts of an .ipynb file (nbformat 4) the runner uses. */
export interface Notebook {
  cells: NotebookCell[];
  metadata?: Record<string, unknown>;
  nbformat?: number;
  nbformat_minor?: number;
}

/** One notebook cell; `source` is a string or a list of lines, as nbformat allows. */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}

/** Where one code cell sits in the extracted module. */
export interface CellLines {
  /** Index of the cell among all cells of the notebook (0-based), as Jupyter front ends count them. */
  cell: number;
  /** First and last line (1-based, inclusive) of the cell's code in the module. */
  firstLine: number;
  lastLine: number;
}

/** The result of {@link extractNotebook}. */
export interface ExtractedNotebook {
  notebookPath: string;
  /** The written module, `<dir>/<name>.ts`. */
  modulePath: string;
  cells: CellLines[];
}

const STUB_PATH = fileURLToPath(new URL("./jupyter_stub.ts", import.meta.url));

/**
 * Reads and validates an .ipynb file.
 *
 * @example
 * ```ts
 * const notebook = await readNotebook("notebooks/01_load_data.ipynb");
 * console.log(notebook.cells.length);
 * ```
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`${path}: not a readable notebook (${(error as Error).message})`, { cause: error });
  }
  const cells = (parsed as Notebook | null)?.cells;
  if (!Array.isArray(cells)) throw new Error(`${path}: not a notebook (no "cells" list)`);
  cells.forEach((cell, i) => {
    if (!["code", "markdown", "raw"].includes(cell?.cell_type)) {
      throw new Error(`${path}: cell ${i} has an unknown cell_type ${JSON.stringify(cell?.cell_type)}`);
    }
  });
  return parsed as Notebook;
}

/**
 * A cell's source as one string (nbformat allows a string or a list of lines).
 *
 * @example
 * ```ts
 * cellSource({ cell_type: "code", source: ["const a = 1;\n", "a;"] }); // "const a = 1;\na;"
 * ```
 */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Writes the code cells of the notebook at `notebookPath` into `<dir>/<name>.ts` (atomically) and returns
 * where each cell landed.
 *
 * @example
 * ```ts
 * const { modulePath, cells } = await extractNotebook("notebooks/01_load_data.ipynb");
 * // modulePath === "notebooks/01_load_data.ts"
 * ```
 */
export async function extractNotebook(notebookPath: string): Promise<ExtractedNotebook> {
  const notebook = await readNotebook(notebookPath);
  const modulePath = join(dirname(notebookPath), `${basename(notebookPath, extname(notebookPath))}.ts`);
  let stubImport = relative(dirname(modulePath), STUB_PATH).replaceAll("\\", "/");
  if (!stubImport.startsWith(".")) stubImport = `./${stubImport}`;

  const lines = [
    `// Generated from ${
      basename(notebookPath)
    } by lib/notebook/extract.ts: edit the notebook, not this file.`,
    `import "${stubImport}";`,
  ];
  const cells: CellLines[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const code = cellSource(cell).replace(/\n$/, "").split("\n");
    // The marker tells the Jupyter stub which cell a display comes from (see recordDisplays in run.ts).
    lines.push(
      "",
      `(globalThis as Record<symbol, unknown>)[Symbol.for("notebook.cell")] = ${index}; // ── cell ${index} ──`,
    );
    cells.push({ cell: index, firstLine: lines.length + 1, lastLine: lines.length + code.length });
    lines.push(...code);
  });
  await writeFileAtomic(modulePath, lines.join("\n") + "\n");
  return { notebookPath, modulePath, cells };
}

/**
 * The notebook cell that holds `line` of the extracted module, or undefined for the generated header.
 *
 * @example
 * ```ts
 * const extracted = await extractNotebook("notebooks/01_load_data.ipynb");
 * cellAtLine(extracted, 12); // e.g. 3
 * ```
 */
export function cellAtLine(extracted: ExtractedNotebook, line: number): number | undefined {
  return extracted.cells.find((c) => line >= c.firstLine && line <= c.lastLine)?.cell;
}
