/**
 * The public door of the toolkit: every pipeline stage's API, from one import.
 *
 * corpus → bio → tokenizer → model → train → metrics / analysis → predict
 *
 * @example Run NER on new text
 * ```ts
 * import { createNerPipeline } from "./lib/mod.ts";
 * const ner = await createNerPipeline({ model: "outputs/cpu-small/best" });
 * console.log(await ner("Cisplatin caused nephrotoxicity."));
 * ```
 *
 * Two stages name a type alike; the door keeps the BIO stage's `Span` and the metrics stage's `ScoreOptions`.
 * The others are at `lib/analysis/mod.ts` (`Span`) and `lib/predict/mod.ts` (`ScoreOptions`). The ONNX
 * export and runtime are at `lib/onnx/mod.ts` (importing it loads ONNX Runtime's native library).
 *
 * @module
 */
export * from "./corpus/mod.ts";
export * from "./bio/mod.ts";
export * from "./tokenizer/mod.ts";
export * from "./model/mod.ts";
export * from "./backend/mod.ts";
export * from "./train/mod.ts";
export * from "./metrics/mod.ts";
export * from "./analysis/mod.ts";
export * from "./plot/mod.ts";
export * from "./predict/mod.ts";
export * from "./notebook/mod.ts";
export * from "./web/mod.ts";
export type { Span } from "./bio/mod.ts";
export type { ScoreOptions } from "./metrics/mod.ts";
