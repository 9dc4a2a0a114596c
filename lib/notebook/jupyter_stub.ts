/**
 * A stand-in for `Deno.jupyter` when a notebook runs as a plain module (`deno run notebooks/<name>.ts`).
 * Extracted notebooks import it first. Displays print their `text/plain` part to stdout, so code that calls
 * `Deno.jupyter.display` directly still runs and leaves a readable log. With `NOTEBOOK_DISPLAY_LOG=<file>`
 * each display also appends a JSON line `{cell, mimeTypes}` there (the cell as set by the extracted
 * module): the outputs each cell must produce, which a kernel run's outputs are compared with.
 *
 * @module
 */
import { envValue } from "../util/config.ts";

type MediaBundle = Deno.jupyter.MediaBundle;
const displaySymbol = Symbol.for("Jupyter.display");

function plainText(obj: unknown, raw: boolean): string {
  if (raw && obj && typeof obj === "object") {
    const text = (obj as MediaBundle)["text/plain"];
    return typeof text === "string" ? text : JSON.stringify(obj);
  }
  return typeof obj === "string" ? obj : Deno.inspect(obj);
}

function taggedBundle(mime: string) {
  return (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = String.raw(strings, ...values);
    return { [displaySymbol]: () => ({ [mime]: text, "text/plain": text }) };
  };
}

const displayLog = envValue("NOTEBOOK_DISPLAY_LOG");

function recordDisplay(bundle: MediaBundle): void {
  if (!displayLog) return;
  const cell = (globalThis as Record<symbol, unknown>)[Symbol.for("notebook.cell")];
  const line = JSON.stringify({ cell, mimeTypes: Object.keys(bundle).sort() });
  Deno.writeTextFileSync(displayLog, `${line}\n`, { append: true });
}

const stub = {
  $display: displaySymbol,
  async display(obj: unknown, options: Deno.jupyter.DisplayOptions = {}): Promise<void> {
    const displayable = obj && typeof obj === "object" && displaySymbol in obj
      ? await (obj as { [displaySymbol]: () => MediaBundle | Promise<MediaBundle> })[displaySymbol]()
      : undefined;
    const raw = options.raw ?? true;
    // An update replaces an earlier output in place: it adds none.
    if (!options.update) {
      recordDisplay(
        displayable ?? (raw && obj && typeof obj === "object" ? obj as MediaBundle : { "text/plain": "" }),
      );
    }
    console.log(displayable ? plainText(displayable, true) : plainText(obj, raw));
  },
  async broadcast(): Promise<void> {},
  md: taggedBundle("text/markdown"),
  html: taggedBundle("text/html"),
  svg: taggedBundle("image/svg+xml"),
  format: (obj: unknown) => ({ "text/plain": plainText(obj, false) }),
};

let inKernel = true;
try {
  Deno.jupyter;
} catch {
  inKernel = false;
}
if (!inKernel) {
  // `Deno.jupyter` has a setter; outside the kernel its getter throws, so install the stub there only.
  (Deno as unknown as { jupyter: unknown }).jupyter = stub;
}
