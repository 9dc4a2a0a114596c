/**
 * A word-level model folder's ONNX export (`deno task export-onnx`), written into `DIR/onnx/` atomically (built
 * aside, checked, renamed into place: a failed check or a crash leaves the previous `onnx/` as it was):
 *
 * - `model.onnx`: the network up to the CRF emissions (onnx_graph.ts), inputs `word_ids`, `shape_ids`,
 *   `char_ids`, `char_rows`, `lengths` → `emissions`;
 * - `crf.json` ({@link CrfFile}): the CRF's transition, start and end scores and the labels they are over, what
 *   the TypeScript decoder (lib/model/crf) needs besides the emissions;
 * - `export.json` (lib/model/export_record.ts): model type "word-crf", the weights' digest, the label map and
 *   the digests of the two files above.
 *
 * The folder's config.json (sizes, labels, `max_word_chars`, the document consistency rules) and vocab.json
 * (word and character ids) stay where they are: every runtime reads words through them. No int8 model: the
 * network is small (6 MB at the bilstm-crf profile's sizes, nearly all of it the word embeddings).
 *
 * @module
 */
import { basename, join } from "node:path";
import { writeDirAtomic } from "../../util/atomic.ts";
import { killPoint } from "../../util/kill_point.ts";
import { ONNX_DIR, ONNX_MODEL_PATH, writeExportRecord } from "../export_record.ts";
import { encodeOnnxModel } from "../formats/onnx_builder.ts";
import { readSafetensors } from "../formats/safetensors.ts";
import { weightsDigest } from "../formats/weights_digest.ts";
import type { ExportOptions, ExportResult } from "../model_type.ts";
import type { StateDict } from "../types.ts";
import { CRF_PARAMETERS } from "../crf/head.ts";
import { loadWordCrfModel, WORD_CRF_MODEL_TYPE, WORD_CRF_WEIGHTS_FILE } from "./folder.ts";
import { wordCrfLabels } from "./network.ts";
import { wordCrfEmissionsGraph } from "./onnx_graph.ts";

/** The export's CRF file, beside model.onnx. */
export const CRF_FILE = "crf.json";

/** `onnx/crf.json`: the CRF over the emissions' labels, as the decoder reads it. */
export interface CrfFile {
  /** Label names by id: the emissions' last axis and every score's index. */
  labels: string[];
  /** `transitions[from][to]`, K×K. */
  transitions: number[][];
  /** Score of starting with each label, K. */
  start: number[];
  /** Score of ending with each label, K. */
  end: number[];
}

/** The CRF of a word-level model's weights as {@link CrfFile}. */
function crfFile(labels: string[], stateDict: StateDict): CrfFile {
  const [transitions, start, end] = CRF_PARAMETERS.map((name) => [...stateDict.get(name)!.data]);
  const k = labels.length;
  return {
    labels,
    transitions: Array.from({ length: k }, (_, i) => transitions.slice(i * k, (i + 1) * k)),
    start,
    end,
  };
}

/**
 * Exports word-level model folder `dir` to `dir/onnx/` (see the module doc), after every check its tfjs loader
 * makes (the vocabularies' sizes against config.json, every weight's shape against the sizes and the labels):
 * weights that the folder's vocabulary or labels do not fit are refused before anything is written.
 *
 * @example
 * ```ts
 * const [{ path, bytes }] = await exportWordCrfOnnx("outputs/bilstm-crf/best");
 * ```
 */
export async function exportWordCrfOnnx(dir: string, options: ExportOptions = {}): Promise<ExportResult[]> {
  const { network } = await loadWordCrfModel(dir);
  const config = network.config;
  network.dispose();
  const weightsPath = join(dir, WORD_CRF_WEIGHTS_FILE);
  const stateDict = await readSafetensors(weightsPath);
  const { sha256 } = await weightsDigest(weightsPath);
  const model = encodeOnnxModel(wordCrfEmissionsGraph(config, stateDict));
  const labels = wordCrfLabels(config);
  const record = {
    modelType: WORD_CRF_MODEL_TYPE,
    weights: WORD_CRF_WEIGHTS_FILE,
    weightsSha256: sha256,
    id2label: config.id2label,
  };
  await writeDirAtomic(join(dir, ONNX_DIR), async (tmp) => {
    await Deno.writeFile(join(tmp, basename(ONNX_MODEL_PATH)), model);
    await Deno.writeTextFile(join(tmp, CRF_FILE), JSON.stringify(crfFile(labels, stateDict)) + "\n");
    await writeExportRecord(tmp, record, [basename(ONNX_MODEL_PATH), CRF_FILE]);
    killPoint("onnx-export-check");
    await options.check?.(tmp, dir);
  });
  return [{ dir, path: join(dir, ONNX_MODEL_PATH), bytes: model.byteLength }];
}
