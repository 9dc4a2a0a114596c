/**
 * The outputs a notebook's cells must produce, and a check of an executed copy against them.
 *
 * What a cell must produce is recorded by running the notebook extracted with `NOTEBOOK_DISPLAY_LOG` set (the
 * Jupyter stub logs every display with its cell and MIME types): the same code, with the same inputs,
 * displays the same bundles in the kernel. An output is described by its kind, e.g.
 * `display_data text/html,text/plain`; a cell must produce exactly its list of displays, in order, and no
 * `execute_result` or `error` (cells end in a statement, not a value). Stream outputs (console.log) are not
 * compared: the extracted run prints them with the display fallbacks.
 *
 * @module
 */
import type { Notebook } from "./extract.ts";

/** Per cell index, the kinds of its outputs in order (markdown cells: empty). */
export type CellOutputs = string[][];

/** A cell whose outputs differ from what it must produce. */
export interface OutputMismatch {
  cell: number;
  expected: string[];
  actual: string[];
}

interface NbOutput {
  output_type?: string;
  data?: Record<string, unknown>;
}

/**
 * The kind of one nbformat output: its type, and for rich outputs the sorted MIME types.
 *
 * @example
 * ```ts
 * outputKind({ output_type: "display_data", data: { "text/plain": "", "text/html": "" } });
 * // "display_data text/html,text/plain"
 * ```
 */
export function outputKind(output: NbOutput): string {
  const type = output.output_type ?? "?";
  return output.data ? `${type} ${Object.keys(output.data).sort().join(",")}` : type;
}

/**
 * The compared outputs of every cell of an executed notebook (streams left out).
 *
 * @example
 * ```ts
 * import { readNotebook } from "./extract.ts";
 * const actual = executedOutputs(await readNotebook("outputs/notebooks/01_load_data.ipynb"));
 * ```
 */
export function executedOutputs(notebook: Notebook): CellOutputs {
  return notebook.cells.map((cell) =>
    ((cell.outputs ?? []) as NbOutput[]).filter((o) => o.output_type !== "stream").map(outputKind)
  );
}

/**
 * What each cell must produce, from a display log written by the Jupyter stub (one JSON line per display).
 *
 * @example
 * ```ts
 * declare const notebook: any, logPath: any; // the example's inputs
 * const expected = expectedOutputs(notebook.cells.length, await Deno.readTextFile(logPath));
 * ```
 */
export function expectedOutputs(cellCount: number, displayLog: string): CellOutputs {
  const cells: CellOutputs = Array.from({ length: cellCount }, () => []);
  displayLog.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const { cell, mimeTypes } = JSON.parse(line) as { cell?: unknown; mimeTypes: string[] };
    if (typeof cell !== "number" || !cells[cell]) {
      throw new Error(`display log line ${i + 1}: a display outside any cell (${line})`);
    }
    cells[cell].push(`display_data ${mimeTypes.join(",")}`);
  });
  return cells;
}

/**
 * The cells whose outputs differ from the expected ones.
 *
 * @example
 * ```ts
 * declare const expected: any, actual: any; // the example's inputs
 * for (const m of compareOutputs(expected, actual)) console.error(`cell ${m.cell}: ${m.actual.length}/${m.expected.length}`);
 * ```
 */
export function compareOutputs(expected: CellOutputs, actual: CellOutputs): OutputMismatch[] {
  const mismatches: OutputMismatch[] = [];
  expected.forEach((want, cell) => {
    const got = actual[cell] ?? [];
    if (want.length !== got.length || want.some((kind, i) => kind !== got[i])) {
      mismatches.push({ cell, expected: want, actual: got });
    }
  });
  return mismatches;
}
