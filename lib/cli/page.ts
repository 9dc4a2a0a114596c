/**
 * `deno task page --model DIR --out OUT`: writes OUT, a static page that tags typed text in the browser with
 * DIR's word-level ONNX export (ONNX Runtime Web, wasm) — the entities and offsets `deno task ner` gives, with
 * no server of ours: serve OUT with any static file server (lib/page/build.ts; docs/onnx.md). Prints the
 * summary JSON (files and sizes) on stdout.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { buildStaticPage, PageOutError } from "../page/build.ts";
import { ExitError, runCommand } from "../util/exit_error.ts";

const USAGE = `usage: deno task page --model DIR --out OUT
  --model DIR   a word-level model folder with its ONNX export (deno task export-onnx --model DIR)
  --out OUT     the page folder to write: new, empty, or a page this command wrote (replaced whole)
then serve OUT with any static file server, e.g. python3 -m http.server -d OUT 8000, and open
http://localhost:8000/
exit codes: 0 written; 1 the model folder cannot be used (no export, a BERT export, a stale or tampered
            export): nothing written; 2 bad arguments or an OUT that holds other files`;

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("page", async () => {
    const { values, positionals } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    if (!values.model || !values.out || positionals.length > 0) {
      throw new ExitError("give --model DIR and --out OUT, and nothing else (deno task page --help)", 2);
    }
    const summary = await buildStaticPage({ model: values.model, out: values.out }).catch((error) => {
      if (error instanceof PageOutError) throw new ExitError(error.message, 2);
      throw error;
    });
    console.error(
      `[page] wrote ${summary.out}: serve it with any static file server, e.g. ` +
        `python3 -m http.server -d ${summary.out} 8000, then open http://localhost:8000/`,
    );
    console.log(JSON.stringify(summary));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
