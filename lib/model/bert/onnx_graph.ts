/**
 * BertForTokenClassification as an ONNX graph (opset 17), built op by op from a Hugging Face state dict, with
 * the inputs and output names Hugging Face's exporters use (`input_ids`, `attention_mask`, `token_type_ids`
 * → `logits`), so ONNX Runtime, transformers.js and Optimum-style clients run it as they run theirs.
 *
 * The graph follows lib/model/bert/network.ts exactly (post-LN encoder, erf GELU, additive mask −10000), so its logits
 * equal the tfjs model's up to float rounding.
 *
 * @module
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";

// onnx-proto is CommonJS: its namespace comes as the default export's property.
const { onnx } = onnxProto;
import type { BertConfig, StateDict } from "../types.ts";
import { GraphBuilder, onnxModel, valueInfo } from "../formats/onnx_builder.ts";

/** What the tfjs model adds to the attention scores of padding keys (lib/model/bert/network.ts). */
const MASKED_SCORE = -10000;

/** The weight `name` of the state dict, or a clear error. */
function weight(stateDict: StateDict, name: string) {
  const tensor = stateDict.get(name);
  if (!tensor) throw new Error(`the model has no weight ${name}`);
  return tensor;
}

/** `[out, in]` → `[in, out]`, so that `x @ W` is one MatMul. */
function transposed(data: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = data[r * columns + c];
  return out;
}

/** Options of {@link bertTokenClassifierGraph}. */
export interface GraphOptions {
  /**
   * int8 weights with dynamic activation quantization for every dense layer (what transformers.js calls
   * "q8", `onnx/model_quantized.onnx`): each MatMul with a weight becomes DynamicQuantizeLinear (the
   * activations to uint8, with their own scale and zero point, computed per call) → MatMulInteger with the
   * int8 weights → Cast → Mul by the two scales. Standard ONNX ops, the pattern onnxruntime's
   * `quantize_dynamic` writes (and that transformers.js' own q8 exports hold), so ONNX Runtime (node and web)
   * runs it and fuses it into its int8 kernels. Weights are quantized symmetrically per output column (scale
   * = max |w| / 127, zero point 0). Embeddings, attention products, LayerNorm and GELU stay float32.
   */
  quantize?: boolean;
}

/** `[in, out]` weights as int8 per output column (symmetric, zero point 0) and each column's scale. */
function quantizedColumns(w: Float32Array, rows: number, columns: number) {
  const scales = new Float32Array(columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) scales[c] = Math.max(scales[c], Math.abs(w[r * columns + c]));
  }
  scales.forEach((max, c) => (scales[c] = max > 0 ? max / 127 : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round(w[i] / scales[i % columns]);
  return { q, scales };
}

/**
 * The ONNX model of a BERT token classifier: its config and HF state dict (PyTorch layout) in, a ModelProto
 * out (weights inline); `quantize` for the int8 model ({@link GraphOptions}).
 *
 * @example
 * ```ts
 * import { readModelWeights } from "./pretrained.ts";
 * declare const config: any, dir: any, onnx: any; // the example's inputs
 * const model = bertTokenClassifierGraph(config, await readModelWeights(dir));
 * await Deno.writeFile(`${dir}/onnx/model.onnx`, onnx.ModelProto.encode(model).finish());
 * ```
 */
export function bertTokenClassifierGraph(
  config: BertConfig,
  stateDict: StateDict,
  options: GraphOptions = {},
): OnnxTypes.IModelProto {
  const g = new GraphBuilder();
  const hidden = config.hidden_size, heads = config.num_attention_heads, headSize = hidden / heads;
  const param = (name: string) => {
    const { shape, data } = weight(stateDict, name);
    return g.float(name, shape, data);
  };
  // Each activation is quantized once, however many dense layers read it (query, key and value share x).
  const quantizedActivations = new Map<string, string[]>();
  const quantizedMatMul = (x: string, prefix: string, w: Float32Array, rows: number, columns: number) => {
    const { q, scales } = quantizedColumns(w, rows, columns);
    const wq = g.int8(`${prefix}.weight_quantized`, [rows, columns], q);
    const wScale = g.float(`${prefix}.weight_scale`, [columns], scales);
    if (!quantizedActivations.has(x)) {
      quantizedActivations.set(x, g.opOutputs("DynamicQuantizeLinear", [x], `${x}/quantized`, 3));
    }
    const [xq, xScale, xZeroPoint] = quantizedActivations.get(x)!;
    const product = g.op("MatMulInteger", [xq, wq, xZeroPoint], `${prefix}/MatMulInteger`);
    const float = g.op("Cast", [product], `${prefix}/MatMulInteger_float`, {
      to: onnx.TensorProto.DataType.FLOAT,
    });
    const scale = g.op("Mul", [xScale, wScale], `${prefix}/scale`);
    return g.op("Mul", [float, scale], `${prefix}/MatMul`);
  };
  const dense = (x: string, prefix: string) => {
    const { shape, data } = weight(stateDict, `${prefix}.weight`);
    const w = transposed(data, shape[0], shape[1]);
    const product = options.quantize
      ? quantizedMatMul(x, prefix, w, shape[1], shape[0])
      : g.op("MatMul", [x, g.float(`${prefix}.weight`, [shape[1], shape[0]], w)], `${prefix}/MatMul`);
    return g.op("Add", [product, param(`${prefix}.bias`)], `${prefix}/Add`);
  };
  const layerNorm = (x: string, prefix: string) =>
    g.op(
      "LayerNormalization",
      [x, param(`${prefix}.LayerNorm.weight`), param(`${prefix}.LayerNorm.bias`)],
      `${prefix}/LayerNorm`,
      { axis: -1, epsilon: { float: config.layer_norm_eps } },
    );

  // Embeddings: word + token type + position (the first `sequence` rows), then LayerNorm.
  const e = "bert.embeddings";
  const words = g.op("Gather", [param(`${e}.word_embeddings.weight`), "input_ids"], `${e}/words`);
  const types = g.op("Gather", [param(`${e}.token_type_embeddings.weight`), "token_type_ids"], `${e}/types`);
  const inputShape = g.op("Shape", ["input_ids"], `${e}/input_shape`);
  const zero = g.int64("const/zero", [0]), one = g.int64("const/one", [1]), two = g.int64("const/two", [2]);
  const sequence = g.op("Slice", [inputShape, one, two], `${e}/sequence`);
  const positions = g.op(
    "Slice",
    [param(`${e}.position_embeddings.weight`), zero, sequence, zero],
    `${e}/positions`,
  );
  const summed = g.op("Add", [g.op("Add", [words, types], `${e}/words_types`), positions], `${e}/sum`);
  let x = layerNorm(summed, e);

  // Additive attention mask [batch, 1, 1, sequence]: 0 where a key may be attended to, −10000 where not.
  const keep = g.op("Cast", ["attention_mask"], "mask/float", { to: onnx.TensorProto.DataType.FLOAT });
  const masked = g.op("Sub", [g.float("const/float_one", [], Float32Array.of(1)), keep], "mask/masked");
  const scaled = g.op(
    "Mul",
    [masked, g.float("const/masked_score", [], Float32Array.of(MASKED_SCORE))],
    "mask/scores",
  );
  const scoreMask = g.op("Unsqueeze", [scaled, g.int64("const/mask_axes", [1, 2])], "mask/additive");

  const toHeads = g.int64("const/heads_shape", [0, 0, heads, headSize]);
  const fromHeads = g.int64("const/hidden_shape", [0, 0, hidden]);
  const queryScale = g.float("const/query_scale", [], Float32Array.of(1 / Math.sqrt(headSize)));
  const half = g.float("const/half", [], Float32Array.of(0.5));
  const rsqrt2 = g.float("const/rsqrt2", [], Float32Array.of(Math.SQRT1_2));
  const floatOne = "const/float_one";
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const l = `bert.encoder.layer.${i}`, a = `${l}.attention.self`;
    const split = (t: string, name: string, perm: number[]) =>
      g.op("Transpose", [g.op("Reshape", [t, toHeads], `${a}/${name}_heads`)], `${a}/${name}_t`, { perm });
    const scaledQuery = g.op("Mul", [dense(x, `${a}.query`), queryScale], `${a}/query_scaled`);
    const query = split(scaledQuery, "query", [0, 2, 1, 3]);
    const keyT = split(dense(x, `${a}.key`), "key", [0, 2, 3, 1]);
    const value = split(dense(x, `${a}.value`), "value", [0, 2, 1, 3]);
    const scores = g.op(
      "Add",
      [g.op("MatMul", [query, keyT], `${a}/scores`), scoreMask],
      `${a}/masked_scores`,
    );
    const probabilities = g.op("Softmax", [scores], `${a}/probabilities`, { axis: -1 });
    const weighted = g.op("MatMul", [probabilities, value], `${a}/weighted`);
    const merged = g.op(
      "Reshape",
      [g.op("Transpose", [weighted], `${a}/weighted_t`, { perm: [0, 2, 1, 3] }), fromHeads],
      `${a}/merged`,
    );
    const attended = dense(merged, `${l}.attention.output.dense`);
    x = layerNorm(g.op("Add", [attended, x], `${l}/attention_residual`), `${l}.attention.output`);
    // Exact GELU: x/2 · (1 + erf(x/√2)).
    const inner = dense(x, `${l}.intermediate.dense`);
    const erf = g.op("Erf", [g.op("Mul", [inner, rsqrt2], `${l}/gelu_scaled`)], `${l}/gelu_erf`);
    const gate = g.op("Mul", [g.op("Add", [erf, floatOne], `${l}/gelu_plus_one`), half], `${l}/gelu_gate`);
    const activated = g.op("Mul", [inner, gate], `${l}/gelu`);
    const outer = dense(activated, `${l}.output.dense`);
    x = layerNorm(g.op("Add", [outer, x], `${l}/output_residual`), `${l}.output`);
  }
  const logits = dense(x, "classifier");
  g.nodes.push({ opType: "Identity", name: "logits", input: [logits], output: ["logits"] });

  const tokens = (name: string) => valueInfo(name, "int64", ["batch_size", "sequence_length"]);
  const numLabels = Object.keys(config.id2label).length;
  return onnxModel(g, {
    name: options.quantize
      ? "BertForTokenClassification (int8 dynamic quantization)"
      : "BertForTokenClassification",
    inputs: [tokens("input_ids"), tokens("attention_mask"), tokens("token_type_ids")],
    outputs: [valueInfo("logits", "float32", ["batch_size", "sequence_length", numLabels])],
  });
}
