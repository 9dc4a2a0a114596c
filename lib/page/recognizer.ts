/**
 * The static page's tagger: an exported word-level folder (word_model.ts) behind the pipeline's recognition
 * (lib/predict/recognize.ts) — text in, entities with code-point offsets out, as `deno task ner` gives them
 * (same sentence splitter, default aggregation, consistency rules and batching). Runs in a browser and in
 * Deno alike: the caller brings the ONNX Runtime module and the way files are read.
 *
 * @module
 */
import { sentencesFromText } from "../bio/convert.ts";
import { reportedLabels } from "../bio/reported_types.ts";
import { labelEntityTypes } from "../highlight/palette.js";
import { recognizeDocuments } from "../predict/recognize.ts";
import { DEFAULT_AGGREGATION, type Entity } from "../predict/types.ts";
import { loadOnnxWordModel, type LoadOnnxWordModelOptions, type OnnxWordModel } from "./word_model.ts";

/** A loaded page tagger. */
export interface PageRecognizer {
  readonly model: OnnxWordModel;
  /** Entity types of the model's labels, sorted (the legend's). */
  readonly entityTypes: readonly string[];
  /** Entities of a text, offsets in code points. */
  recognize(text: string): Promise<Entity[]>;
}

/**
 * Loads the folder's export (every check of {@link loadOnnxWordModel}) and returns its tagger.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * const dir = "outputs/bilstm-crf/best";
 * const tagger = await loadPageRecognizer({ ort, source: dir, read: (path) => Deno.readFile(`${dir}/${path}`) });
 * await tagger.recognize("😀 Cisplatin caused nephrotoxicity."); // [{ start: 2, end: 11, … }, …]
 * ```
 */
export async function loadPageRecognizer(options: LoadOnnxWordModelOptions): Promise<PageRecognizer> {
  const model = await loadOnnxWordModel(options);
  const parts = {
    score: { classifier: model },
    labels: model.labels,
    consistency: model.consistency,
    reportedTypes: model.reportedTypes,
    splitSentences: sentencesFromText,
    strategy: DEFAULT_AGGREGATION,
  };
  return {
    model,
    entityTypes: labelEntityTypes(reportedLabels(model.labels, model.reportedTypes)),
    async recognize(text: string): Promise<Entity[]> {
      for await (const { entities } of recognizeDocuments([{ text }], parts)) return entities;
      return [];
    },
  };
}
