/**
 * `deno task notebooks [--kernel] [names…]`: runs the project's notebooks headless.
 *
 * Without `--kernel` each notebook's code cells are extracted to `notebooks/<name>.ts`, type-checked and run.
 * With `--kernel` they execute in the Deno Jupyter kernel (needs /usr/bin/jupyter; `deno task setup` installs
 * it) and the executed copies land in `outputs/notebooks/`. Names select notebooks (`01`, `01_load_data`, …).
 * Progress goes to stderr; the last stdout line is a JSON summary. Exits 1 when a notebook fails.
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

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    kernel: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: true,
});
if (values.help) {
  console.error(
    "usage: deno task notebooks [--kernel] [names…]   (names: 01, 01_load_data, 01_load_data.ipynb)",
  );
  Deno.exit(0);
}
const mode = values.kernel ? "kernel" : "extracted";
if (values.kernel && !(await Deno.stat(JUPYTER).then(() => true, () => false))) {
  console.error(`--kernel needs ${JUPYTER} (run \`deno task setup\` as root, or drop --kernel)`);
  Deno.exit(2);
}

const results: { name: string; ok: boolean; seconds: number; cell?: number; error?: string }[] = [];
const paths = await findNotebooks({ names: positionals }).catch((error: Error) => {
  console.error(error.message);
  Deno.exit(2);
});
for (const path of paths) {
  const name = basename(path);
  console.error(`[notebooks] ${name} (${mode}) …`);
  const started = performance.now();
  try {
    if (values.kernel) await runNotebookInKernel(path, { outputDir: projectPath("outputs", "notebooks") });
    else await runNotebookExtracted(path);
    results.push({ name, ok: true, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    if (!(error instanceof NotebookError)) throw error;
    console.error(error.message);
    results.push({
      name,
      ok: false,
      seconds: (performance.now() - started) / 1000,
      cell: error.cell,
      error: error.message.split("\n")[0],
    });
  }
  const last = results.at(-1)!;
  console.error(`[notebooks] ${name}: ${last.ok ? "ok" : "FAILED"} in ${last.seconds.toFixed(1)} s`);
}
const failed = results.filter((r) => !r.ok).length;
console.log(JSON.stringify({ mode, passed: results.length - failed, failed, notebooks: results }));
if (failed > 0) Deno.exit(1);
