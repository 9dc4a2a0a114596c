/**
 * The word-level network up to its CRF emissions as an ONNX graph (opset 17), built from a folder's weights:
 * what ONNX Runtime (node and web) runs in place of network.ts's `emissions`, the CRF decoding staying in the
 * one TypeScript decoder (lib/model/crf). Inputs are a {@link WordBatch} as makeWordBatch (batch.ts) makes it,
 * as int64:
 *
 * - `word_ids`, `shape_ids`, `char_rows` `[batch, time]` (padding: 0), `lengths` `[batch]` (each ≥ 1);
 * - `char_ids` `[spellings, chars]`: each distinct spelling's characters, row 0 the padding;
 *
 * output `emissions` float32 `[batch, time, labels]` (rows past a sentence's length are not the tfjs model's:
 * no decoder reads them). Ops: Gather (embeddings), Conv + Relu + ReduceMax (the character CNN, "same"
 * padding, max over the characters), Concat, ONNX's fused `LSTM` (bidirectional, with `sequence_lens`, so the
 * backward direction reads each sentence reversed within its own length, as bilstm.ts does), MatMul + Add.
 *
 * Weight layouts: ours (bilstm.ts) stack the directions on axis 0 with `[input, 4H]` kernels in gate order
 * input, forget, output, cell and one bias; ONNX's LSTM wants `W` `[2, 4H, input]` and `R` `[2, 4H, H]` in gate
 * order input, output, forget, cell and `B` `[2, 8H]` (input bias, then recurrent bias: ours, then zeros). The
 * character kernel is `[width, channels, filters]` here, `[filters, channels, width]` in ONNX's Conv.
 *
 * @module
 */
import type { onnx as OnnxTypes } from "onnx-proto";
import type { StateDict } from "../types.ts";
import { GraphBuilder, ONNX_TYPES, onnxModel, valueInfo } from "../formats/onnx_builder.ts";
import { WORD_SHAPES } from "./features.ts";
import type { WordCrfConfig } from "./network.ts";

/** The graph's inputs, in order (all int64). */
export const WORD_CRF_ONNX_INPUTS = ["word_ids", "shape_ids", "char_ids", "char_rows", "lengths"] as const;

/** The graph's output. */
export const WORD_CRF_ONNX_OUTPUT = "emissions";

/** Our gate order is i, f, o, g; ONNX's i, o, f, c: ONNX gate `n` is our gate `OUR_GATE[n]`. */
const OUR_GATE = [0, 2, 1, 3] as const;

/**
 * LSTM weights `[2, rows, 4H]` (ours) → `[2, 4H, rows]` in ONNX's gate order.
 *
 * @example
 * ```ts
 * // One input row, H = 1: gates i f o g = 1 2 3 4 → ONNX i o f c = 1 3 2 4.
 * onnxLstmKernel(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 1, 1); // [1, 3, 2, 4, 5, 7, 6, 8]
 * ```
 */
export function onnxLstmKernel(ours: Float32Array, rows: number, hidden: number): Float32Array {
  const gates = 4 * hidden;
  const out = new Float32Array(ours.length);
  for (let d = 0; d < 2; d++) {
    for (let n = 0; n < 4; n++) {
      for (let h = 0; h < hidden; h++) {
        const column = OUR_GATE[n] * hidden + h;
        for (let r = 0; r < rows; r++) {
          out[d * gates * rows + (n * hidden + h) * rows + r] = ours[d * rows * gates + r * gates + column];
        }
      }
    }
  }
  return out;
}

/** Our bias `[2, 4H]` → ONNX's `[2, 8H]`: the input bias in ONNX's gate order, then a zero recurrent bias. */
function onnxLstmBias(ours: Float32Array, hidden: number): Float32Array {
  const gates = 4 * hidden;
  const out = new Float32Array(2 * 2 * gates);
  for (let d = 0; d < 2; d++) {
    for (let n = 0; n < 4; n++) {
      out.set(
        ours.subarray(d * gates + OUR_GATE[n] * hidden, d * gates + (OUR_GATE[n] + 1) * hidden),
        d * 2 * gates + n * hidden,
      );
    }
  }
  return out;
}

/** The character kernel `[width, channels, filters]` → Conv's `[filters, channels, width]`. */
function convKernel(ours: Float32Array, width: number, channels: number, filters: number): Float32Array {
  const out = new Float32Array(ours.length);
  for (let w = 0; w < width; w++) {
    for (let c = 0; c < channels; c++) {
      for (let f = 0; f < filters; f++) {
        out[(f * channels + c) * width + w] = ours[(w * channels + c) * filters + f];
      }
    }
  }
  return out;
}

/**
 * The ONNX model of a word-level network's emissions, from its config and weights (safetensors names and
 * layout of network.ts). A missing weight or one of another shape than the config implies is a one-line error.
 *
 * @example
 * ```ts
 * import { readSafetensors } from "../formats/safetensors.ts";
 * import type { WordCrfConfig } from "./network.ts";
 * declare const config: WordCrfConfig; // the example's inputs
 * const model = wordCrfEmissionsGraph(config, await readSafetensors("outputs/bilstm-crf/best/model.safetensors"));
 * ```
 */
export function wordCrfEmissionsGraph(config: WordCrfConfig, stateDict: StateDict): OnnxTypes.IModelProto {
  const g = new GraphBuilder();
  const k = Object.keys(config.id2label).length;
  const h = config.hidden_size;
  const input = config.word_dim + config.char_filters + config.shape_dim;
  const weight = (name: string, shape: number[]) => {
    const tensor = stateDict.get(name);
    if (!tensor) throw new Error(`the weights have no ${name}`);
    if (tensor.shape.join() !== shape.join()) {
      throw new Error(`${name} has shape [${tensor.shape}], the config implies [${shape}]`);
    }
    return tensor.data;
  };
  const param = (name: string, shape: number[]) => g.float(name, shape, weight(name, shape));
  // Checked here so that a folder whose weights the config does not describe fails before anything is built.
  const wordTable = param("word_embeddings.weight", [config.word_vocab_size, config.word_dim]);
  const charTable = param("char_embeddings.weight", [config.char_vocab_size, config.char_dim]);
  const shapeTable = param("shape_embeddings.weight", [WORD_SHAPES.length, config.shape_dim]);
  const width = config.char_kernel, channels = config.char_dim, filters = config.char_filters;
  const kernel = g.float(
    "char_cnn.weight",
    [filters, channels, width],
    convKernel(weight("char_cnn.weight", [width, channels, filters]), width, channels, filters),
  );
  const kernelBias = param("char_cnn.bias", [filters]);
  const lstmW = g.float(
    "lstm.W",
    [2, 4 * h, input],
    onnxLstmKernel(weight("lstm.input_kernel", [2, input, 4 * h]), input, h),
  );
  const lstmR = g.float(
    "lstm.R",
    [2, 4 * h, h],
    onnxLstmKernel(weight("lstm.recurrent_kernel", [2, h, 4 * h]), h, h),
  );
  const lstmB = g.float("lstm.B", [2, 8 * h], onnxLstmBias(weight("lstm.bias", [2, 4 * h]), h));
  const emissionsW = param("emissions.weight", [2 * h, k]);
  const emissionsB = param("emissions.bias", [k]);

  // Per word: its word and shape embeddings, and its spelling's character features.
  const words = g.op("Gather", [wordTable, "word_ids"], "words");
  const shapes = g.op("Gather", [shapeTable, "shape_ids"], "shapes");
  const chars = g.op("Gather", [charTable, "char_ids"], "chars"); // [spellings, chars, channels]
  const before = Math.floor((width - 1) / 2);
  const convolved = g.op(
    "Conv",
    [g.op("Transpose", [chars], "chars_t", { perm: [0, 2, 1] }), kernel, kernelBias],
    "char_cnn",
    { kernel_shape: [width], pads: [before, width - 1 - before] },
  );
  const spellingFeatures = g.op(
    "ReduceMax",
    [g.op("Relu", [convolved], "char_cnn_relu")],
    "spelling_features",
    {
      axes: [2],
      keepdims: 0,
    },
  );
  const charFeatures = g.op("Gather", [spellingFeatures, "char_rows"], "char_features");
  const features = g.op("Concat", [words, charFeatures, shapes], "features", { axis: 2 });

  // The BiLSTM over [time, batch, input]; Y is [time, 2, batch, H] → [batch, time, 2H] (forward, then backward).
  const lengths = g.op("Cast", ["lengths"], "lengths_int32", { to: ONNX_TYPES.INT32 });
  const [states] = g.opOutputs(
    "LSTM",
    [g.op("Transpose", [features], "features_t", { perm: [1, 0, 2] }), lstmW, lstmR, lstmB, lengths],
    "lstm",
    1,
    { direction: "bidirectional", hidden_size: h },
  );
  const byPosition = g.op("Transpose", [states], "lstm_states_t", { perm: [2, 0, 1, 3] });
  const hidden = g.op("Reshape", [byPosition, g.int64("const/hidden_shape", [0, 0, 2 * h])], "lstm_states");
  const scores = g.op(
    "Add",
    [g.op("MatMul", [hidden, emissionsW], "emissions/MatMul"), emissionsB],
    "emissions/Add",
  );
  g.nodes.push({
    opType: "Identity",
    name: WORD_CRF_ONNX_OUTPUT,
    input: [scores],
    output: [WORD_CRF_ONNX_OUTPUT],
  });

  const ids = (name: string, dims: string[]) => valueInfo(name, "int64", dims);
  return onnxModel(g, {
    name: "WordCrfEmissions",
    inputs: [
      ids("word_ids", ["batch", "time"]),
      ids("shape_ids", ["batch", "time"]),
      ids("char_ids", ["spellings", "chars"]),
      ids("char_rows", ["batch", "time"]),
      ids("lengths", ["batch"]),
    ],
    outputs: [valueInfo(WORD_CRF_ONNX_OUTPUT, "float32", ["batch", "time", k])],
  });
}
