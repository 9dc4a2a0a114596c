/**
 * Building ONNX graphs op by op with `onnx-proto` (what every model type's export writes: BERT's
 * lib/model/bert/onnx_graph.ts, the word-level model's lib/model/word_crf/onnx_graph.ts): nodes, float32 /
 * int8 / int64 initializers, attributes, and the model around the graph.
 *
 * @module
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";

// onnx-proto is CommonJS: its namespace comes as the default export's property.
const { onnx } = onnxProto;

/** The opset every export uses: 17 has LayerNormalization (BERT) and LSTM's 14th version. */
export const ONNX_OPSET = 17;

/** ONNX's element types by name (`ONNX_TYPES.INT32`), e.g. for Cast's `to`. */
export const ONNX_TYPES = onnx.TensorProto.DataType;

/** An attribute: an int, ints, a float or a string. */
export type Attribute = number | number[] | { float: number } | string;

/** Collects nodes and initializers; names each node's output after the node. */
export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];

  /** Adds a node; returns its (first) output's name. */
  op(opType: string, inputs: string[], name: string, attributes: Record<string, Attribute> = {}): string {
    return this.opOutputs(opType, inputs, name, 1, attributes)[0];
  }

  /** Adds a node with `outputs` outputs, named `name`, `name:1`, …; returns their names. */
  opOutputs(
    opType: string,
    inputs: string[],
    name: string,
    outputs: number,
    attributes: Record<string, Attribute> = {},
  ): string[] {
    const output = Array.from({ length: outputs }, (_, i) => (i === 0 ? name : `${name}:${i}`));
    this.nodes.push({
      opType,
      name,
      input: inputs,
      output,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return output;
  }

  /** A float32 constant. */
  float(name: string, shape: number[], data: Float32Array): string {
    return this.#constant(name, shape, ONNX_TYPES.FLOAT, data);
  }

  /** An int8 constant (quantized weights). */
  int8(name: string, shape: number[], data: Int8Array): string {
    return this.#constant(name, shape, ONNX_TYPES.INT8, data);
  }

  /** An int64 constant (shapes, axes). */
  int64(name: string, values: number[]): string {
    return this.#constant(name, [values.length], ONNX_TYPES.INT64, BigInt64Array.from(values.map(BigInt)));
  }

  #constant(name: string, dims: number[], dataType: number, data: ArrayBufferView): string {
    this.initializers.push({
      name,
      dims,
      dataType,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }
}

function attribute(name: string, value: Attribute): OnnxTypes.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === "number") return { name, type: AttributeType.INT, i: value };
  if (typeof value === "string") {
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  return { name, type: AttributeType.FLOAT, f: value.float };
}

/**
 * A graph input or output: its element type and dimensions (a number: fixed; a string: a named dynamic size).
 *
 * @example
 * ```ts
 * valueInfo("input_ids", "int64", ["batch_size", "sequence_length"]);
 * ```
 */
export function valueInfo(
  name: string,
  type: "int64" | "float32",
  dims: (number | string)[],
): OnnxTypes.IValueInfoProto {
  const elemType = type === "int64" ? ONNX_TYPES.INT64 : ONNX_TYPES.FLOAT;
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }) },
      },
    },
  };
}

/**
 * The model around a built graph: opset {@link ONNX_OPSET}, weights inline.
 *
 * @example
 * ```ts
 * const g = new GraphBuilder();
 * g.op("Identity", ["x"], "y");
 * onnxModel(g, { name: "copy", inputs: [valueInfo("x", "float32", [1])], outputs: [valueInfo("y", "float32", [1])] });
 * ```
 */
export function onnxModel(
  g: GraphBuilder,
  graph: { name: string; inputs: OnnxTypes.IValueInfoProto[]; outputs: OnnxTypes.IValueInfoProto[] },
): OnnxTypes.IModelProto {
  return {
    irVersion: 8,
    producerName: "bc5cdr-ner",
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    graph: {
      name: graph.name,
      node: g.nodes,
      initializer: g.initializers,
      input: graph.inputs,
      output: graph.outputs,
    },
  };
}

/**
 * A model's bytes, as written to a `.onnx` file.
 *
 * @example
 * ```ts
 * declare const model: any; // the example's inputs
 * await Deno.writeFile("model.onnx", encodeOnnxModel(model));
 * ```
 */
export function encodeOnnxModel(model: OnnxTypes.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}
