// Over 300 lines: the two ways of running a notebook (extracted, kernel) share options, errors and lookup.
/**
 * Runs notebooks headless, two ways:
 *
 * - {@link runNotebookExtracted}: code cells → `notebooks/<name>.ts` → `deno check` + `deno run`
 *   (always available, type-checked, deterministic);
 * - {@link runNotebookInKernel}: the real Deno Jupyter kernel through `jupyter nbconvert --execute`, with a
 *   kernelspec written to a temporary `JUPYTER_PATH` (nothing is installed in the user's Jupyter folders).
 *
 * Both run with the notebook's folder as working directory (as Jupyter does) and reject with a
 * {@link NotebookError} naming the notebook and the failing cell.
 *
 * @module
 */
import { basename, dirname, extname, join, resolve } from "node:path";
import { cellAtLine, cellSource, extractNotebook, readNotebook } from "./extract.ts";
import { projectPath } from "../util/paths.ts";
import { type CellOutputs, expectedOutputs } from "./outputs.ts";
import { envValue } from "../util/config.ts";

/**
 * The Jupyter executable: `$JUPYTER`, else Debian's /usr/bin/jupyter (the pyenv python that may come first on
 * PATH on such machines has no nbconvert).
 */
export const JUPYTER: string = envValue("JUPYTER");

/** A notebook failed: `cell` is the index of the failing cell among all cells, when it could be told. */
export class NotebookError extends Error {
  constructor(
    message: string,
    readonly notebookPath: string,
    readonly cell: number | undefined,
    readonly output: string,
  ) {
    super(message);
    this.name = "NotebookError";
  }
}

/** What a successful run produced. */
export interface NotebookRun {
  notebookPath: string;
  seconds: number;
  /** Extracted way: the module's stdout (display fallbacks, console.log). Kernel way: nbconvert's log. */
  output: string;
  /** Kernel way: the executed copy of the notebook. */
  executedPath?: string;
  /** Extracted way with `recordOutputs`: the outputs each cell must produce (see outputs.ts). */
  expectedOutputs?: CellOutputs;
}

/** Options of {@link runNotebookExtracted}. */
export interface ExtractedRunOptions extends RunNotebookOptions {
  /** Record the displays of each cell (the result's `expectedOutputs`). */
  recordOutputs?: boolean;
}

/** Options shared by both ways. */
export interface RunNotebookOptions {
  /** Extra environment variables (the rest is inherited). */
  env?: Record<string, string>;
  /** Kill the run after this many seconds. Default 600. */
  timeoutSeconds?: number;
}

/** A finished command's status and decoded output. */
export interface Completed {
  success: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd` with no stdin, `NO_COLOR` set and a time limit, and returns its decoded output.
 *
 * @example
 * ```ts
 * const { stdout } = await runCommand("echo", ["hi"], { cwd: ".", timeoutSeconds: 10 });
 * ```
 */
export async function runCommand(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutSeconds: number },
): Promise<Completed> {
  const output = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutSeconds * 1000),
  }).output();
  const decoder = new TextDecoder();
  return {
    success: output.success,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function cellLabel(cell: number | undefined): string {
  return cell === undefined ? "outside any cell" : `cell ${cell}`;
}

/**
 * Runs a notebook without Jupyter: extracts its code cells, type-checks them with `deno check` and runs
 * them with `deno run -A`. Rejects with a {@link NotebookError} naming the notebook and cell on a type
 * error or an uncaught exception.
 *
 * @example
 * ```ts
 * const run = await runNotebookExtracted("notebooks/01_load_data.ipynb");
 * console.error(`ok in ${run.seconds.toFixed(1)} s`);
 * ```
 */
export async function runNotebookExtracted(
  notebookPath: string,
  options: ExtractedRunOptions = {},
): Promise<NotebookRun> {
  const started = performance.now();
  const extracted = await extractNotebook(notebookPath);
  const module = resolve(extracted.modulePath);
  const cwd = dirname(module);
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  // Errors name the module as `<name>.ts:LINE:COL`; the line tells the cell.
  const location = new RegExp(`${basename(module).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):\\d+`);
  const fail = (stage: string, result: Completed): never => {
    const output = `${result.stdout}${result.stderr}`;
    const line = location.exec(result.stderr)?.[1];
    const cell = line === undefined ? undefined : cellAtLine(extracted, Number(line));
    throw new NotebookError(
      `${notebookPath}, ${cellLabel(cell)}: ${stage} failed\n${tail(result.stderr)}`,
      notebookPath,
      cell,
      output,
    );
  };

  const deno = Deno.execPath();
  const checked = await runCommand(deno, ["check", "--quiet", module], {
    cwd,
    timeoutSeconds,
    env: options.env,
  });
  if (!checked.success) fail("deno check", checked);
  const displayLog = options.recordOutputs ? await Deno.makeTempFile({ suffix: ".jsonl" }) : undefined;
  try {
    const env = displayLog ? { ...options.env, NOTEBOOK_DISPLAY_LOG: displayLog } : options.env;
    const ran = await runCommand(deno, ["run", "-A", module], { cwd, timeoutSeconds, env });
    if (!ran.success) fail("deno run", ran);
    const cellCount = (await readNotebook(notebookPath)).cells.length;
    return {
      notebookPath,
      seconds: (performance.now() - started) / 1000,
      output: ran.stdout,
      expectedOutputs: displayLog
        ? expectedOutputs(cellCount, await Deno.readTextFile(displayLog))
        : undefined,
    };
  } finally {
    if (displayLog) await Deno.remove(displayLog).catch(() => {});
  }
}

/** Options of {@link runNotebookInKernel}. */
export interface KernelRunOptions extends RunNotebookOptions {
  /** Folder for the executed copy (`<outputDir>/<name>.ipynb`). */
  outputDir: string;
  /** The jupyter executable. Default {@link JUPYTER}. */
  jupyter?: string;
}

/**
 * Writes a Deno kernelspec named "deno" under `<dir>/kernels/deno/` (what `deno jupyter --install` writes, but
 * into a folder we pass as `JUPYTER_PATH` instead of the user's Jupyter data folder).
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeKernelSpec(dir); // then run Jupyter with JUPYTER_PATH=dir
 * ```
 */
export async function writeKernelSpec(dir: string): Promise<void> {
  const specDir = join(dir, "kernels", "deno");
  await Deno.mkdir(specDir, { recursive: true });
  const spec = {
    argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
  };
  await Deno.writeTextFile(join(specDir, "kernel.json"), JSON.stringify(spec, null, 2));
}

/**
 * Executes a notebook in the Deno Jupyter kernel (`jupyter nbconvert --to notebook --execute`) and saves the
 * executed copy to `outputDir`. A cell that throws (or an error output in the executed copy) rejects with a
 * {@link NotebookError} naming the notebook and the cell. The kernel does not type-check; judge a run by its
 * success and the files it writes, not by captured text (the kernel may drop late outputs).
 *
 * @example
 * ```ts
 * const run = await runNotebookInKernel("notebooks/01_load_data.ipynb", { outputDir: "outputs/notebooks" });
 * console.error(run.executedPath); // outputs/notebooks/01_load_data.ipynb
 * ```
 */
export async function runNotebookInKernel(
  notebookPath: string,
  options: KernelRunOptions,
): Promise<NotebookRun> {
  const started = performance.now();
  const { jupyter = JUPYTER, timeoutSeconds = 600 } = options;
  const notebook = await readNotebook(notebookPath);
  const name = basename(notebookPath, extname(notebookPath));
  const outputDir = resolve(options.outputDir);
  await Deno.mkdir(outputDir, { recursive: true });
  const jupyterDir = await Deno.makeTempDir({ prefix: "deno-kernelspec-" });
  try {
    await writeKernelSpec(jupyterDir);
    const result = await runCommand(jupyter, [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      `--ExecutePreprocessor.timeout=${timeoutSeconds}`,
      "--output-dir",
      outputDir,
      "--output",
      `${name}.ipynb`,
      resolve(notebookPath),
    ], {
      cwd: dirname(resolve(notebookPath)),
      timeoutSeconds: timeoutSeconds + 60,
      env: {
        ...options.env,
        JUPYTER_PATH: [jupyterDir, envValue("JUPYTER_PATH")].filter(Boolean).join(":"),
        JUPYTER_RUNTIME_DIR: join(jupyterDir, "runtime"),
      },
    });
    const output = `${result.stdout}${result.stderr}`;
    if (!result.success) {
      const cell = failingCellFromLog(result.stderr, notebook.cells.map(cellSource));
      // Past nbconvert's Python traceback: the failing cell and the kernel's error.
      const report = result.stderr.slice(Math.max(0, result.stderr.indexOf(CELL_ERROR_HEADER)));
      throw new NotebookError(
        `${notebookPath}, ${cellLabel(cell)}: kernel run failed\n${tail(report)}`,
        notebookPath,
        cell,
        output,
      );
    }
    const executedPath = join(outputDir, `${name}.ipynb`);
    const executed = await readNotebook(executedPath);
    const errorCell = executed.cells.findIndex((c) =>
      (c.outputs ?? []).some((o) => (o as { output_type?: string }).output_type === "error")
    );
    if (errorCell >= 0) {
      throw new NotebookError(
        `${notebookPath}, cell ${errorCell}: error output in the executed notebook`,
        notebookPath,
        errorCell,
        output,
      );
    }
    return { notebookPath, seconds: (performance.now() - started) / 1000, output, executedPath };
  } finally {
    await Deno.remove(jupyterDir, { recursive: true }).catch(() => {});
  }
}

const CELL_ERROR_HEADER = "An error occurred while executing the following cell:";

/** nbconvert prints the failing cell's source between dashed lines; find which cell it is. */
function failingCellFromLog(log: string, sources: string[]): number | undefined {
  const match = new RegExp(`${CELL_ERROR_HEADER}\\n-+\\n([\\s\\S]*?)\\n-+\\n`).exec(log);
  if (!match) return undefined;
  const failed = match[1].trim();
  const index = sources.findIndex((source) => source.trim() === failed);
  return index >= 0 ? index : undefined;
}

/** Options of {@link findNotebooks}. */
export interface FindNotebooksOptions {
  /** Folder to look in. Default the project's `notebooks/`. */
  dir?: string;
  /** Keep only these: a file name (`01_load_data.ipynb`), a stem (`01_load_data`) or a number prefix (`01`). */
  names?: string[];
}

/**
 * The notebooks (`*.ipynb`) of a folder, sorted by name; unknown `names` are an error.
 *
 * @example
 * ```ts
 * await findNotebooks({ names: ["01"] }); // ["/…/notebooks/01_load_data.ipynb"]
 * ```
 */
export async function findNotebooks(options: FindNotebooksOptions = {}): Promise<string[]> {
  const dir = options.dir ?? projectPath("notebooks");
  const all: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) all.push(entry.name);
  }
  all.sort();
  if (!options.names?.length) return all.map((name) => join(dir, name));
  const matches = (file: string, name: string) =>
    file === name || file === `${name}.ipynb` || file.startsWith(`${name}_`);
  for (const name of options.names) {
    if (!all.some((file) => matches(file, name))) {
      throw new Error(`no notebook named "${name}" in ${dir} (have: ${all.join(", ") || "none"})`);
    }
  }
  return all.filter((file) => options.names!.some((name) => matches(file, name))).map((name) =>
    join(dir, name)
  );
}
