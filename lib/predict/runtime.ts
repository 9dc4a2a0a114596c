/**
 * What runs the model's forward passes at inference: tfjs (any backend of lib/backend; also trains) or
 * ONNX Runtime on the folder's exported `onnx/model.onnx` (lib/onnx); by default ("auto") ONNX Runtime
 * when the folder has a current export, else tfjs. `NER_RUNTIME` chooses for commands (`deno task ner`,
 * `serve`, workers inherit it); the pipeline's `runtime` option for code.
 *
 * @module
 */
import { join } from "node:path";
import { BACKEND_ENV, initBackend } from "../backend/mod.ts";
import { findWeights } from "../model/hub.ts";
import { ONNX_MODEL_PATH } from "../onnx/export.ts";
import { loadTokenClassifierWithReport, resolveModelDir } from "../model/pretrained.ts";
import type { ScoringModel } from "../model/types.ts";
import { CRF_HEAD_FILE, readCrfHead } from "../model/crf_head.ts";
import { checkVocabFitsModel } from "../model/config.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { BertCrfScorer } from "./bert_crf.ts";
import { isWordCrfFolder, loadWordCrfModel, WordCrfScorer } from "../model/word_crf/mod.ts";
import { envRecord } from "../util/config.ts";

/** The inference runtimes. */
export const RUNTIMES = ["tfjs", "onnx"] as const;

/** One of {@link RUNTIMES}. */
export type Runtime = typeof RUNTIMES[number];

/**
 * What a caller may ask for: a runtime, or "auto" — ONNX Runtime when the model folder holds an ONNX export at
 * least as new as its weights, else tfjs. ONNX Runtime is the faster here (README "ONNX export": 1.3–1.4× over
 * a whole `deno task ner` run), but only on a file made by `deno task export-onnx`, which is never made behind
 * the user's back; an export older than the weights is from other weights and is not used.
 */
export type RuntimeChoice = Runtime | "auto";

/** The environment variable that chooses the runtime. */
export const RUNTIME_ENV = "NER_RUNTIME";

/**
 * The runtime `NER_RUNTIME` asks for, else "auto".
 *
 * @example
 * ```ts
 * defaultRuntime({ NER_RUNTIME: "onnx" }); // "onnx"
 * defaultRuntime({}); // "auto"
 * ```
 */
export function defaultRuntime(
  env: Record<string, string | undefined> = envRecord([RUNTIME_ENV]),
): RuntimeChoice {
  const value = env[RUNTIME_ENV];
  if (value === undefined || value === "") return "auto";
  const choices: readonly string[] = [...RUNTIMES, "auto"];
  if (!choices.includes(value)) {
    throw new Error(`${RUNTIME_ENV} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as RuntimeChoice;
}

/**
 * The runtime "auto" picks for model folder `dir`, and why. `NER_BACKEND` (a tfjs backend asked for by name,
 * e.g. a GPU) keeps tfjs.
 *
 * @example
 * ```ts
 * const { runtime, why } = await autoRuntime("outputs/cpu-small/best"); // "onnx", "…/onnx/model.onnx is current"
 * ```
 */
export async function autoRuntime(
  dir: string,
  env: Record<string, string | undefined> = envRecord([BACKEND_ENV]),
): Promise<{ runtime: Runtime; why: string }> {
  if (env[BACKEND_ENV]) {
    return { runtime: "tfjs", why: `${BACKEND_ENV}=${env[BACKEND_ENV]} asks for a tfjs backend` };
  }
  const onnxPath = join(dir, ONNX_MODEL_PATH);
  const exported = await Deno.stat(onnxPath).catch(() => undefined);
  if (!exported?.mtime) {
    return { runtime: "tfjs", why: `no ${onnxPath} (\`deno task export-onnx --model ${dir}\` makes one)` };
  }
  const weights = await findWeights(dir);
  const weightsTime = weights ? (await Deno.stat(weights)).mtime : null;
  if (weights && weightsTime && weightsTime > exported.mtime) {
    return {
      runtime: "tfjs",
      why: `${onnxPath} is older than ${weights} (\`deno task export-onnx --model ${dir}\` renews it)`,
    };
  }
  return { runtime: "onnx", why: `${onnxPath} is current` };
}

/**
 * Loads a model folder or hub id for inference on `runtime` ("auto": see {@link RuntimeChoice}); for tfjs it
 * first picks the compute backend (lib/backend's `initBackend`: the best that works, or `NER_BACKEND`), so
 * callers never do. `runtimeReason` says why "auto" chose what it did.
 *
 * @example
 * ```ts
 * const { model, dir, backend } = await loadScoringModel("outputs/cpu-small/best", "auto");
 * ```
 */
export async function loadScoringModel(
  source: string,
  runtime: RuntimeChoice,
): Promise<{ model: ScoringModel; dir: string; backend: string; runtimeReason?: string }> {
  const dir = await resolveModelDir(source);
  if (await isWordCrfFolder(dir)) {
    // A word-level model has no ONNX export (export-onnx writes BERT graphs): it always runs on tfjs.
    if (runtime === "onnx") {
      throw new Error(`${dir} holds a word-level model (word-crf): it runs on tfjs only`);
    }
    const { name: backend } = await initBackend();
    const model = new WordCrfScorer(await loadWordCrfModel(dir));
    return { model, dir, backend, runtimeReason: runtime === "auto" ? "word-level model: tfjs" : undefined };
  }
  const crf = await bertCrfScorer(dir, runtime);
  if (crf) return { model: crf.scorer, dir, backend: crf.backend, runtimeReason: crf.why };
  const chosen = runtime === "auto" ? await autoRuntime(dir) : { runtime, why: undefined };
  if (chosen.runtime === "tfjs") {
    const { name: backend } = await initBackend();
    return { ...await loadTokenClassifierWithReport(dir), backend, runtimeReason: chosen.why };
  }
  // Imported here so that tfjs users never load ONNX Runtime's native library.
  const { loadOnnxClassifier } = await import("../onnx/classifier.ts");
  return { model: await loadOnnxClassifier(dir), dir, backend: "onnx", runtimeReason: chosen.why };
}

/**
 * The BERT classifier of `dir` with its CRF head, when the folder has one (`crf.safetensors`): it decodes whole
 * sentences, which its ONNX export (logits only) cannot, so it runs on tfjs.
 */
async function bertCrfScorer(
  dir: string,
  runtime: RuntimeChoice,
): Promise<{ scorer: BertCrfScorer; backend: string; why?: string } | undefined> {
  if (!await Deno.stat(join(dir, CRF_HEAD_FILE)).then((s) => s.isFile, () => false)) return undefined;
  if (runtime === "onnx") throw new Error(`${dir} has a CRF head (${CRF_HEAD_FILE}): it runs on tfjs only`);
  const { name: backend } = await initBackend();
  const { model } = await loadTokenClassifierWithReport(dir);
  try {
    const head = (await readCrfHead(dir, Object.keys(model.config.id2label).length))!;
    const vocabPath = join(dir, "vocab.txt");
    const tokenizer = await loadBertTokenizer(vocabPath);
    checkVocabFitsModel(tokenizer.vocabSize, vocabPath, model.config);
    const scorer = new BertCrfScorer({ classifier: model, tokenizer, head });
    return { scorer, backend, why: runtime === "auto" ? `CRF head (${CRF_HEAD_FILE}): tfjs` : undefined };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
