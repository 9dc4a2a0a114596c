/**
 * Writes the static page (`deno task page`): a folder any static file server can serve, that tags typed text
 * in the browser with an exported word-level model, with no server of ours:
 *
 * - `index.html`: text box, button, highlighted entities, legend and table (lib/page/index.html);
 * - `ner_page.js`: our pipeline for the browser, bundled by `deno bundle` from lib/page/browser_entry.ts (the
 *   sentence splitter, word tokenizer, vocabulary and batch encoding, CRF decoding, consistency rules and
 *   entity building of `deno task ner`, and lib/highlight's renderers);
 * - `ort/`: ONNX Runtime Web's wasm build from npm (`ort.wasm.bundle.min.mjs` and its `.wasm`);
 * - `model/`: the model folder's files the page reads (word_model.ts's `MODEL_FILES`).
 *
 * The model folder is checked first by the very code the page runs (loadOnnxWordModel, here on
 * onnxruntime-node), and its export must have been made from its weights (`export.json`'s digest of them):
 * a folder the page would refuse, or a stale export, is refused here and nothing is written. The folder is
 * written atomically (complete or not at all) and replaces only a page this command wrote.
 *
 * @module
 */
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import { demoPageStyle } from "../highlight/page_style.ts";
import { WORD_CRF_MODEL_TYPE } from "../model/word_crf/config.ts";
import { CORPORA_FILE, isMultiWordCrfFolder } from "../model/word_crf/multi.ts";
import { exportStatus } from "../predict/runtime.ts";
import { writeDirAtomic } from "../util/atomic.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { loadOnnxWordModel, MODEL_FILES } from "./word_model.ts";

/** The page's files from ONNX Runtime Web's `dist/`: the wasm build's module (glue included) and its binary. */
export const ORT_WEB_FILES = ["ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.wasm"] as const;

/** The bundled script's name in the page folder. */
export const PAGE_SCRIPT = "ner_page.js";

const HERE = dirname(new URL(import.meta.url).pathname);

/** Options of {@link buildStaticPage}. */
export interface StaticPageOptions {
  /** The model folder (config.json, vocab.json, model.safetensors, onnx/ from `deno task export-onnx`). */
  model: string;
  /** The page folder to write. */
  out: string;
}

/** What {@link buildStaticPage} wrote. */
export interface StaticPageSummary {
  out: string;
  model: string;
  labels: readonly string[];
  /** Every file written, relative to `out`, with its size in bytes. */
  files: Record<string, number>;
}

/** The page folder cannot be written there: a usage problem (exit 2). */
export class PageOutError extends Error {
  override name = "PageOutError";
}

/**
 * ONNX Runtime Web's `dist/` folder: in node_modules as npm lays it out, else beside transformers.js, which
 * depends on it (Deno's layout nests it there; our import map names only transformers.js).
 *
 * @example
 * ```ts
 * const dist = await onnxRuntimeWebDist(); // …/onnxruntime-web/dist
 * ```
 */
export async function onnxRuntimeWebDist(): Promise<string> {
  const candidates = [join(PROJECT_ROOT, "node_modules", "onnxruntime-web", "dist")];
  const transformers = await Deno.realPath(join(PROJECT_ROOT, "node_modules", "@huggingface", "transformers"))
    .catch(() => undefined);
  if (transformers) candidates.push(join(dirname(transformers), "..", "onnxruntime-web", "dist"));
  for (const dist of candidates) {
    if (await Deno.stat(join(dist, ORT_WEB_FILES[0])).then(() => true, () => false)) return dist;
  }
  throw new Error(
    `onnxruntime-web not found in node_modules (looked in ${candidates.join(", ")}): run \`deno task setup\``,
  );
}

/** Refuses an `out` that holds anything but a page this command wrote (it is replaced whole). */
async function checkOut(out: string): Promise<void> {
  const entries = await Array.fromAsync(Deno.readDir(out)).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new PageOutError(`--out ${out}: ${(error as Error).message}`);
  });
  if (!entries || entries.length === 0) return;
  const names = new Set(entries.map((e) => e.name));
  if (!names.has("index.html") || !names.has(PAGE_SCRIPT)) {
    throw new PageOutError(
      `--out ${out} is a folder that holds other files than a page of \`deno task page\` (it would be ` +
        "replaced whole): give a new or empty folder",
    );
  }
}

/**
 * Refuses a model folder the page would refuse (the page's own checks, on onnxruntime-node), or whose export
 * was not made from its weights (lib/predict/runtime.ts's `exportStatus`, what runtime "auto" asks).
 */
async function checkModel(dir: string): Promise<readonly string[]> {
  if (await isMultiWordCrfFolder(dir)) {
    throw new Error(
      `${dir} holds per-corpus heads (${CORPORA_FILE}), which the page cannot merge (tfjs only: deno task ner, ` +
        `serve): give one corpus's folder, ${join(dir, "<corpus>")}`,
    );
  }
  const model = await loadOnnxWordModel({ ort, source: dir, read: (path) => Deno.readFile(join(dir, path)) });
  model.dispose();
  const { current, why } = await exportStatus(dir, { modelType: WORD_CRF_MODEL_TYPE });
  if (!current) throw new Error(`${dir}: its export cannot be used: ${why}`);
  return model.labels;
}

/** `ner_page.js`: browser_entry.ts and what it imports, as one ES module (`deno bundle`, esbuild inside). */
async function bundlePageScript(path: string): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      "-o",
      path,
      join(HERE, "browser_entry.ts"),
    ],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1);
    throw new Error(`deno bundle failed (exit ${output.code}): ${why}`);
  }
}

/**
 * Writes the page folder (see the module doc).
 *
 * @example
 * ```ts
 * const summary = await buildStaticPage({ model: "outputs/bilstm-crf/best", out: "outputs/page" });
 * Object.keys(summary.files); // ["index.html", "ner_page.js", "ort/…", "model/config.json", …]
 * ```
 */
export async function buildStaticPage(options: StaticPageOptions): Promise<StaticPageSummary> {
  const { model, out } = options;
  await checkOut(out);
  const labels = await checkModel(model);
  const dist = await onnxRuntimeWebDist();
  const copies: [string, string][] = [
    ...ORT_WEB_FILES.map((name): [string, string] => [join(dist, name), join("ort", name)]),
    ...MODEL_FILES.map((path): [string, string] => [join(model, path), join("model", path)]),
  ];
  const files: Record<string, number> = {};
  await Deno.mkdir(dirname(out), { recursive: true });
  // The page with the demo pages' common style inlined (the serve page inlines the same sheet).
  const style = await demoPageStyle();
  const page = (await Deno.readTextFile(join(HERE, "index.html"))).replace("__STYLE__", () => style);
  await writeDirAtomic(out, async (tmp) => {
    await Deno.writeTextFile(join(tmp, "index.html"), page);
    for (const [from, to] of copies) {
      await Deno.mkdir(dirname(join(tmp, to)), { recursive: true });
      await Deno.copyFile(from, join(tmp, to));
    }
    await bundlePageScript(join(tmp, PAGE_SCRIPT));
    for (const name of ["index.html", PAGE_SCRIPT, ...copies.map(([, to]) => to)]) {
      files[name] = (await Deno.stat(join(tmp, name))).size;
    }
  });
  return { out, model, labels, files };
}
