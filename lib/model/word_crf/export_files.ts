/**
 * What a word-level export holds besides its weights, as its readers need it: the graph's input and output
 * names (onnx_graph.ts builds the graph) and `onnx/crf.json`, the CRF beside the graph (onnx_export.ts writes
 * it): the transition, start and end scores over the labels, what the TypeScript decoder needs besides the
 * emissions. Plain values and checks, no file system and no onnx-proto, so that every runtime of the export
 * reads it through here: ONNX Runtime in Deno (lib/onnx/word_crf.ts) and the static page in a browser
 * (lib/page).
 *
 * @module
 */
import type { CrfScores } from "../crf/decode.ts";

/** The graph's inputs, in order (all int64). */
export const WORD_CRF_ONNX_INPUTS = ["word_ids", "shape_ids", "char_ids", "char_rows", "lengths"] as const;

/** The graph's output. */
export const WORD_CRF_ONNX_OUTPUT = "emissions";

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

/**
 * The decoder's scores from a parsed crf.json (`path` names it in errors), checked: over `labels` (config.json's,
 * in id order), K×K finite transitions, K finite start and end scores.
 *
 * @example
 * ```ts
 * const crf = { labels: ["O", "B-X", "I-X"], transitions: [[0, 0, 0], [0, 0, 1], [0, 0, 1]], start: [0, 0, 0], end: [0, 0, 0] };
 * crfScoresOfFile(crf, ["O", "B-X", "I-X"], "onnx/crf.json").transitions; // Float32Array(9)
 * ```
 */
export function crfScoresOfFile(
  value: unknown,
  labels: readonly string[],
  path: string,
): CrfScores<Float32Array> {
  const crf = value as Partial<CrfFile> | null;
  const k = labels.length;
  const scores = (values: unknown, length: number) =>
    Array.isArray(values) && values.length === length && values.every((v) => Number.isFinite(v));
  if (JSON.stringify(crf?.labels) !== JSON.stringify(labels)) {
    throw new Error(
      `${path}: its labels (${crf?.labels}) are not config.json's (${labels}): re-export the model`,
    );
  }
  if (
    !Array.isArray(crf!.transitions) || crf!.transitions.length !== k ||
    !crf!.transitions.every((row) => scores(row, k)) || !scores(crf!.start, k) || !scores(crf!.end, k)
  ) {
    throw new Error(
      `${path}: needs ${k}×${k} transitions and ${k} start and end scores: re-export the model`,
    );
  }
  return {
    transitions: Float32Array.from(crf!.transitions.flat()),
    start: Float32Array.from(crf!.start!),
    end: Float32Array.from(crf!.end!),
  };
}
