/**
 * `deno task notebooks [--kernel [--check-outputs] [--repeat N]] [names…]`: runs the project's notebooks headless.
 *
 * Without `--kernel` each notebook's code cells are extracted to `notebooks/<name>.ts`, type-checked and run.
 * With `--kernel` they execute in the Deno Jupyter kernel (needs /usr/bin/jupyter; `deno task setup` installs
 * it) and the executed copies land in `outputs/notebooks/`. `--check-outputs` first runs the notebook
 * extracted to record the outputs each cell must produce, then checks every kernel execution's outputs
 * against them (lib/notebook/outputs.ts); `--repeat N` executes each notebook N times in a row (to measure
 * how often outputs go missing). Names select notebooks (`01`, `01_load_data`, …). Progress goes to stderr;
 * the last stdout line is a JSON summary. Exits 1 when a notebook fails or an output is missing.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename } from "node:path";
import { projectPath } from "../util/paths.ts";
import {
  findNotebooks,
  JUPYTER,
  NotebookError,
  runNotebookExtracted,
  runNotebookInKernel,
} from "../notebook/run.ts";
import { readNotebook } from "../notebook/extract.ts";
import { type CellOutputs, compareOutputs, executedOutputs } from "../notebook/outputs.ts";
import { runCommand } from "../util/exit_error.ts";

const USAGE =
  "usage: deno task notebooks [--kernel [--check-outputs] [--repeat N]] [names…]   (names: 01, 01_load_data, 01_load_data.ipynb)";
interface Result {
  name: string;
  ok: boolean;
  /** Seconds of each execution. */
  seconds: number[];
  cell?: number;
  error?: string;
  /** With --check-outputs: executions that lost or changed an output, and the outputs missing in all. */
  executionsWithMismatch?: number;
  missingOutputs?: number;
  mismatches?: { execution: number; cell: number; expected: string[]; actual: string[] }[];
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("notebooks", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      kernel: { type: "boolean", default: false },
      "check-outputs": { type: "boolean", default: false },
      repeat: { type: "string", default: "1" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const repeat = Number(values.repeat);
  if (
    !Number.isInteger(repeat) || repeat < 1 || ((repeat > 1 || values["check-outputs"]) && !values.kernel)
  ) {
    console.error(`--repeat needs a positive integer and, like --check-outputs, --kernel\n${USAGE}`);
    return 2;
  }
  const mode = values.kernel ? "kernel" : "extracted";
  if (values.kernel && !(await Deno.stat(JUPYTER).then(() => true, () => false))) {
    console.error(`--kernel needs ${JUPYTER} (run \`deno task setup\` as root, or drop --kernel)`);
    return 2;
  }

  const results: Result[] = [];
  let paths: string[];
  try {
    paths = await findNotebooks({ names: positionals });
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const log = (message: string) => console.error(`[notebooks] ${message}`);
  for (const path of paths) {
    const name = basename(path);
    const result: Result = { name, ok: true, seconds: [] };
    results.push(result);
    try {
      let expected: CellOutputs | undefined;
      if (values["check-outputs"]) {
        log(`${name}: recording the outputs each cell must produce (extracted run) …`);
        expected = (await runNotebookExtracted(path, { recordOutputs: true })).expectedOutputs!;
        result.executionsWithMismatch = 0;
        result.missingOutputs = 0;
        result.mismatches = [];
      }
      for (let execution = 1; execution <= repeat; execution++) {
        log(`${name} (${mode})${repeat > 1 ? ` ${execution}/${repeat}` : ""} …`);
        const started = performance.now();
        const run = values.kernel
          ? await runNotebookInKernel(path, { outputDir: projectPath("outputs", "notebooks") })
          : await runNotebookExtracted(path);
        result.seconds.push(Math.round((performance.now() - started) / 100) / 10);
        let note = "";
        if (expected) {
          const mismatches = compareOutputs(expected, executedOutputs(await readNotebook(run.executedPath!)));
          if (mismatches.length > 0) {
            result.ok = false;
            result.executionsWithMismatch!++;
            for (const m of mismatches) {
              result.missingOutputs! += Math.max(0, m.expected.length - m.actual.length);
              result.mismatches!.push({ execution, ...m });
            }
            note = `, outputs differ in cells ${mismatches.map((m) => m.cell).join(", ")}`;
          } else note = ", every output present";
        }
        log(`${name}: ran in ${result.seconds.at(-1)!.toFixed(1)} s${note}`);
      }
    } catch (error) {
      if (!(error instanceof NotebookError)) throw error;
      console.error(error.message);
      Object.assign(result, { ok: false, cell: error.cell, error: error.message.split("\n")[0] });
      log(`${name}: FAILED`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(JSON.stringify({ mode, repeat, passed: results.length - failed, failed, notebooks: results }));
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
