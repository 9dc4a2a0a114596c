/**
 * SCAFFOLD, until the word-level export (issue 26, helper "perf") lands: an `onnx/` folder with the export's
 * layout and inputs for a word-level folder, whose graph is NOT the network — its emissions are sums of
 * per-word, per-shape and per-character tables (random) — so the page's plumbing (loading, checks, feeds,
 * decoding, rendering) can be tested against onnxruntime-node and -web before the real export exists. It
 * proves nothing about matching `deno task ner`; the page test compares with ner only on a real export.
 *
 * @module
 */
import { join } from "node:path";
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { readSafetensors, serializeSafetensors } from "../../lib/model/formats/safetensors.ts";
import { weightsDigest } from "../../lib/model/formats/weights_digest.ts";

const { onnx } = onnxProto;

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes the scaffold export into `dir/onnx/` (see the module doc). */
export async function writeScaffoldExport(dir: string): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
  const k = Object.keys(config.id2label).length;
  let seed = 11;
  const random = (n: number) =>
    Float32Array.from(
      { length: n },
      () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2,
    );
  const table = (name: string, rows: number): OnnxTypes.ITensorProto => {
    const data = random(rows * k);
    return {
      name,
      dims: [rows, k],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer),
    };
  };
  const int64 = (name: string, dims: string[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.INT64,
        shape: { dim: dims.map((d) => ({ dimParam: d })) },
      },
    },
  });
  const node = (opType: string, input: string[], output: string) => ({
    opType,
    name: output,
    input,
    output: [output],
  });
  const model: OnnxTypes.IModelProto = {
    irVersion: 8,
    producerName: "scaffold",
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "scaffold",
      initializer: [
        table("words", config.word_vocab_size),
        table("shapes", 9),
        table("chars", config.char_vocab_size),
        {
          name: "axis1",
          dims: [1],
          dataType: onnx.TensorProto.DataType.INT64,
          rawData: new Uint8Array(BigInt64Array.of(1n).buffer),
        },
      ],
      node: [
        node("Gather", ["words", "word_ids"], "by_word"),
        node("Gather", ["shapes", "shape_ids"], "by_shape"),
        node("Gather", ["chars", "char_ids"], "by_char"),
        {
          ...node("ReduceSum", ["by_char", "axis1"], "by_spelling"),
          attribute: [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
        node("Gather", ["by_spelling", "char_rows"], "by_row"),
        node("Add", ["by_word", "by_shape"], "sum"),
        node("Add", ["sum", "by_row"], "emissions"),
      ],
      input: [
        int64("word_ids", ["batch", "time"]),
        int64("shape_ids", ["batch", "time"]),
        int64("char_ids", ["spellings", "chars"]),
        int64("char_rows", ["batch", "time"]),
        int64("lengths", ["batch"]),
      ],
      output: [{
        name: "emissions",
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{ dimParam: "batch" }, { dimParam: "time" }, { dimValue: k }] },
          },
        },
      }],
    },
  };
  const onnxDir = join(dir, "onnx");
  await Deno.mkdir(onnxDir, { recursive: true });
  await Deno.writeFile(join(onnxDir, "model.onnx"), onnx.ModelProto.encode(model).finish());
  const weights = await readSafetensors(join(dir, "model.safetensors"));
  const crf = new Map([...weights].filter(([name]) => name.startsWith("crf.")));
  await Deno.writeFile(join(onnxDir, "crf.safetensors"), serializeSafetensors(crf));
  const files: Record<string, string> = {};
  for (const name of ["model.onnx", "crf.safetensors"]) files[name] = await sha256(join(onnxDir, name));
  await Deno.writeTextFile(
    join(onnxDir, "export.json"),
    JSON.stringify(
      {
        modelType: "word-crf",
        weights: "model.safetensors",
        weightsSha256: (await weightsDigest(join(dir, "model.safetensors"))).sha256,
        id2label: config.id2label,
        files,
      },
      null,
      2,
    ),
  );
}
