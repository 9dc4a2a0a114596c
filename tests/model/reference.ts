/**
 * The PyTorch reference of data/fixtures/model (made by make_fixtures.py): its inputs as a TokenBatch, its
 * logits, and a comparison helper.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { fileURLToPath } from "node:url";
import type { TokenBatch } from "../../lib/tokenizer/types.ts";

/** Folder of the model fixtures. */
export const FIXTURES = fileURLToPath(new URL("../../data/fixtures/model/", import.meta.url));
/** The tiny model folder (config.json, vocab.txt, model.safetensors, pytorch_model.bin). */
export const TINY_BERT = `${FIXTURES}tiny-bert`;

interface Reference {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds: number[][];
  logits: number[][][];
  logitsFp16: number[][][];
  labels: number[][];
  loss: number;
  gradients: Record<string, number[]>;
  gradientNorm: number;
  text: string;
  textTokens: string[];
  textInputIds: number[];
  textLogits: number[][];
}

/** The reference inputs and logits. */
export const reference: Reference = JSON.parse(await Deno.readTextFile(`${FIXTURES}reference.json`));

/** The reference inputs as one padded batch. */
export function referenceBatch(): TokenBatch {
  return {
    batchSize: reference.inputIds.length,
    seqLength: reference.inputIds[0].length,
    inputIds: Int32Array.from(reference.inputIds.flat()),
    attentionMask: Int32Array.from(reference.attentionMask.flat()),
    tokenTypeIds: Int32Array.from(reference.tokenTypeIds.flat()),
  };
}

/** Largest absolute difference between `logits` (disposed here) and `expected`; throws on a shape mismatch. */
export async function maxAbsDifference(logits: tf.Tensor3D, expected: number[][][]): Promise<number> {
  const actual = await logits.array();
  logits.dispose();
  if (actual.length !== expected.length || actual[0].length !== expected[0].length) {
    throw new Error(`logits shape [${logits.shape}] differs from the reference`);
  }
  let max = 0;
  actual.forEach((rows, b) =>
    rows.forEach((row, t) => {
      if (row.length !== expected[b][t].length) {
        throw new Error(`label count ${row.length} differs from the reference`);
      }
      row.forEach((value, label) => max = Math.max(max, Math.abs(value - expected[b][t][label])));
    })
  );
  return max;
}
