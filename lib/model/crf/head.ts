/**
 * A CRF head for a BERT token classifier (profile `model.crf: true`): the transition, start and end scores of
 * a linear-chain CRF over the word tags (pytorch-crf's names), kept in `crf.safetensors` beside the BERT
 * weights — a Hugging Face loader reads the folder as the plain classifier and ignores the file.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, serializeSafetensors } from "../formats/safetensors.ts";
import type { CrfScores } from "./crf.ts";

/** The file of a folder's CRF head. */
export const CRF_HEAD_FILE = "crf.safetensors";

/** Parameter names and shapes of a CRF over `k` tags. */
function crfShapes(k: number): [string, number[]][] {
  return [["crf.transitions", [k, k]], ["crf.start_transitions", [k]], ["crf.end_transitions", [k]]];
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
export function newCrfHead(k: number): Map<string, tf.Variable> {
  return new Map(
    crfShapes(k).map((
      [name, shape],
    ) => [name, tf.variable(tf.zeros(shape), true, `${name}/${crypto.randomUUID()}`)]),
  );
}

/**
 * The head's tensors as the CRF's scores (not copies).
 *
 * @example
 * ```ts
 * const scores = crfHeadScores(newCrfHead(3)); // { transitions, start, end }
 * ```
 */
export function crfHeadScores(head: Map<string, tf.Variable>): CrfScores<tf.Tensor> {
  return {
    transitions: head.get("crf.transitions")!,
    start: head.get("crf.start_transitions")!,
    end: head.get("crf.end_transitions")!,
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
export async function crfHeadBytes(head: Map<string, tf.Variable>): Promise<Uint8Array> {
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
export async function readCrfHead(dir: string, k: number): Promise<Map<string, tf.Variable> | undefined> {
  const path = join(dir, CRF_HEAD_FILE);
  if (!await Deno.stat(path).then((s) => s.isFile, () => false)) return undefined;
  const stateDict = await readSafetensors(path);
  const head = new Map<string, tf.Variable>();
  for (const [name, shape] of crfShapes(k)) {
    const tensor = stateDict.get(name);
    if (!tensor || tensor.shape.join() !== shape.join()) {
      tf.dispose([...head.values()]);
      throw new Error(`${path}: needs ${name} of shape [${shape}] (the model has ${k} labels)`);
    }
    head.set(name, tf.variable(tf.tensor(tensor.data, shape), true, `${name}/${crypto.randomUUID()}`));
  }
  return head;
}
