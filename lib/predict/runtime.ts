/**
 * What runs the model's forward passes at inference: tfjs (any backend of lib/backend; also trains) or
 * ONNX Runtime on the folder's exported `onnx/model.onnx` (lib/onnx). `NER_RUNTIME` chooses for commands
 * (`deno task ner`, `serve`, workers inherit it); the pipeline's `runtime` option for code.
 *
 * @module
 */
import { initBackend } from "../backend/mod.ts";
import { loadTokenClassifierWithReport, resolveModelDir } from "../model/pretrained.ts";
import type { ScoringModel } from "../model/types.ts";
import { envRecord } from "../util/config.ts";

/** The inference runtimes. */
export const RUNTIMES = ["tfjs", "onnx"] as const;

/** One of {@link RUNTIMES}. */
export type Runtime = typeof RUNTIMES[number];

/** The environment variable that chooses the runtime. */
export const RUNTIME_ENV = "NER_RUNTIME";

/**
 * The runtime `NER_RUNTIME` asks for, else tfjs (measured faster here; see README "ONNX export").
 *
 * @example
 * ```ts
 * defaultRuntime({ NER_RUNTIME: "onnx" }); // "onnx"
 * ```
 */
export function defaultRuntime(env: Record<string, string | undefined> = envRecord([RUNTIME_ENV])): Runtime {
  const value = env[RUNTIME_ENV];
  if (value === undefined || value === "") return "tfjs";
  if (!(RUNTIMES as readonly string[]).includes(value)) {
    throw new Error(`${RUNTIME_ENV} must be one of ${RUNTIMES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as Runtime;
}

/**
 * Loads a model folder or hub id for inference on `runtime`; for tfjs it first picks the compute backend
 * (lib/backend's `initBackend`: the best that works, or `NER_BACKEND`), so callers never do.
 *
 * @example
 * ```ts
 * const { model, dir } = await loadScoringModel("outputs/cpu-small/best", "onnx");
 * ```
 */
export async function loadScoringModel(
  source: string,
  runtime: Runtime,
): Promise<{ model: ScoringModel; dir: string; backend: string }> {
  if (runtime === "tfjs") {
    const { name: backend } = await initBackend();
    return { ...await loadTokenClassifierWithReport(source), backend };
  }
  const dir = await resolveModelDir(source);
  // Imported here so that tfjs users never load ONNX Runtime's native library.
  const { loadOnnxClassifier } = await import("../onnx/classifier.ts");
  return { model: await loadOnnxClassifier(dir), dir, backend: "onnx" };
}
