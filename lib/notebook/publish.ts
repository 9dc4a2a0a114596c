/**
 * Executed notebooks a reader can open: signed as trusted (so a frontend runs their figure scripts) and
 * exported to self-contained HTML (figures drawn offline: plotly.js is inlined in the first figure).
 *
 * Signing is Jupyter's own: `jupyter trust` stores the HMAC-SHA256 of the notebook, keyed with the user's
 * `notebook_secret`, in `nbsignatures.db` (both in the Jupyter data folder) — the database classic
 * Notebook, JupyterLab and Notebook 7 consult when they open the file as this user. Debian ships the command
 * in `jupyter-nbformat` (`deno task setup` installs it).
 *
 * @module
 */
import { basename, dirname, extname, join, resolve } from "node:path";
import { JUPYTER, runCommand } from "./run.ts";

/** Options of {@link trustNotebook} and {@link isNotebookTrusted}. */
export interface TrustOptions {
  /** Extra environment for Jupyter, e.g. `JUPYTER_DATA_DIR` to sign for another Jupyter data folder. */
  env?: Record<string, string>;
}

/** Jupyter's commands here sign or convert one notebook: seconds, so a run past this limit is a hang. */
const JUPYTER_TIMEOUT_SECONDS = 300;

async function jupyter(args: string[], what: string, env?: Record<string, string>): Promise<string> {
  const output = await runCommand(JUPYTER, args, {
    cwd: Deno.cwd(),
    env,
    timeoutSeconds: JUPYTER_TIMEOUT_SECONDS,
  });
  const text = output.stdout + output.stderr;
  if (!output.success) throw new Error(`${what} failed (jupyter ${args.join(" ")}):\n${text.trim()}`);
  return text;
}

/**
 * Signs a notebook as trusted for the current user (`jupyter trust`) and checks the signature took: asked
 * again, Jupyter must answer that the notebook is already signed.
 *
 * @example
 * ```ts
 * await trustNotebook("outputs/smoke/notebooks/01_load_data.ipynb");
 * ```
 */
export async function trustNotebook(path: string, options: TrustOptions = {}): Promise<void> {
  await jupyter(["trust", path], `signing ${path}`, options.env);
  if (!await isNotebookTrusted(path, options)) throw new Error(`${path}: jupyter trust did not sign it`);
}

/**
 * Whether Jupyter holds a valid signature of the notebook for the current user. Asks `jupyter trust`, which
 * signs an unsigned notebook: only call it on notebooks that may be signed.
 *
 * @example
 * ```ts
 * declare const path: any; // the example's inputs
 * if (!await isNotebookTrusted(path)) console.error(`${path} is not trusted`);
 * ```
 */
export async function isNotebookTrusted(path: string, options: TrustOptions = {}): Promise<boolean> {
  return (await jupyter(["trust", path], `checking ${path}`, options.env)).includes("already signed");
}

/**
 * Exports a notebook to one self-contained HTML file (`jupyter nbconvert --to html`) in `outputDir`; returns
 * its path.
 *
 * @example
 * ```ts
 * const html = await exportNotebookHtml("outputs/smoke/notebooks/01_load_data.ipynb");
 * ```
 */
export async function exportNotebookHtml(path: string, outputDir = dirname(path)): Promise<string> {
  const name = `${basename(path, extname(path))}.html`;
  await jupyter(
    ["nbconvert", "--to", "html", "--output-dir", resolve(outputDir), "--output", name, resolve(path)],
    `exporting ${path} to HTML`,
  );
  return join(resolve(outputDir), name);
}
