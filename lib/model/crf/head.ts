/**
 * The CRF's parameters as a model holds them: the transition, start and end scores of a linear-chain CRF over
 * the word tags, under pytorch-crf's names (`crf.transitions`, `crf.start_transitions`, `crf.end_transitions`).
 * The word-level model keeps them among its weights; a BERT token classifier with a CRF head (profile
 * `model.crf: true`) keeps them in `crf.safetensors` beside the BERT weights — a Hugging Face loader reads the
 * folder as the plain classifier and ignores the file.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, serializeSafetensors } from "../formats/safetensors.ts";
import type { CrfScores } from "./crf.ts";

/** A CRF's parameters by name (see the module doc). */
export type CrfHead = Map<string, tf.Variable>;

/** The file of a folder's CRF head. */
export const CRF_HEAD_FILE = "crf.safetensors";

/** The CRF's parameter names: transitions `[from, to]` (K×K), start and end scores (K). */
export const CRF_PARAMETERS = ["crf.transitions", "crf.start_transitions", "crf.end_transitions"] as const;

/**
 * Parameter names and shapes of a CRF over `k` tags.
 *
 * @example
 * ```ts
 * crfParameterShapes(3); // [["crf.transitions", [3, 3]], ["crf.start_transitions", [3]], ["crf.end_transitions", [3]]]
 * ```
 */
export function crfParameterShapes(k: number): [string, number[]][] {
  const [transitions, start, end] = CRF_PARAMETERS;
  return [[transitions, [k, k]], [start, [k]], [end, [k]]];
}

/**
 * A new CRF head over `k` tags: every score 0 (no transition preferred until trained).
 *
 * @example
 * ```ts
 * const head = newCrfHead(5);
 * [...head.keys()]; // ["crf.transitions", "crf.start_transitions", "crf.end_transitions"]
 * ```
 */
export function newCrfHead(k: number): CrfHead {
  return new Map(
    crfParameterShapes(k).map((
      [name, shape],
    ) => [name, tf.variable(tf.zeros(shape), true, `${name}/${crypto.randomUUID()}`)]),
  );
}

/**
 * The CRF's scores among a model's parameters (the head's, or a word-level model's), as tensors (not copies).
 *
 * @example
 * ```ts
 * const scores = crfHeadScores(newCrfHead(3)); // { transitions, start, end }
 * ```
 */
export function crfHeadScores(parameters: ReadonlyMap<string, tf.Tensor>): CrfScores<tf.Tensor> {
  return {
    transitions: parameters.get("crf.transitions")!,
    start: parameters.get("crf.start_transitions")!,
    end: parameters.get("crf.end_transitions")!,
  };
}

/**
 * The head as the bytes of `crf.safetensors`.
 *
 * @example
 * ```ts
 * const bytes = await crfHeadBytes(newCrfHead(3));
 * ```
 */
export async function crfHeadBytes(head: CrfHead): Promise<Uint8Array> {
  const stateDict = new Map();
  for (const [name, variable] of head) {
    stateDict.set(name, {
      shape: variable.shape,
      data: await variable.data() as Float32Array,
      storedAs: "F32",
    });
  }
  return serializeSafetensors(stateDict);
}

/**
 * The CRF head of a model folder over `k` tags, or undefined when the folder has none; a head of other
 * names or shapes is an error naming the file.
 *
 * @example
 * ```ts
 * const head = await readCrfHead("outputs/run/best", 5);
 * ```
 */
export async function readCrfHead(dir: string, k: number): Promise<CrfHead | undefined> {
  const path = join(dir, CRF_HEAD_FILE);
  if (!await Deno.stat(path).then((s) => s.isFile, () => false)) return undefined;
  const stateDict = await readSafetensors(path);
  const head = new Map<string, tf.Variable>();
  for (const [name, shape] of crfParameterShapes(k)) {
    const tensor = stateDict.get(name);
    if (!tensor || tensor.shape.join() !== shape.join()) {
      tf.dispose([...head.values()]);
      throw new Error(`${path}: needs ${name} of shape [${shape}] (the model has ${k} labels)`);
    }
    head.set(name, tf.variable(tf.tensor(tensor.data, shape), true, `${name}/${crypto.randomUUID()}`));
  }
  return head;
}
