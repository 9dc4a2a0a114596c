/**
 * The int8 export (`onnx/model_quantized.onnx`, transformers.js' "q8"): every dense layer is
 * DynamicQuantizeLinear → MatMulInteger on int8 weights, ONNX Runtime runs it close to float32, and our
 * runtimes use it only when asked.
 */
import { assert, assertEquals, assertLess } from "@std/assert";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { initBackend } from "../../lib/backend/mod.ts";
import { compareRuntimes } from "../../lib/onnx/compare.ts";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import { fixtureModel } from "./fixture_model.ts";

const { onnx } = onnxProto;
await initBackend();

Deno.test("the int8 graph quantizes every dense layer (weights int8, activations quantized per call)", async () => {
  await using model = await fixtureModel();
  const graph = onnx.ModelProto.decode(await Deno.readFile(join(model.dir, "onnx/model_quantized.onnx")))
    .graph!;
  const count = (op: string) => graph.node!.filter((n) => n.opType === op).length;
  const layers = 2, densePerLayer = 6; // query, key, value, attention output, intermediate, output
  assertEquals(count("MatMulInteger"), layers * densePerLayer + 1); // + the classifier
  // query, key and value read the same input: it is quantized once.
  assertEquals(count("DynamicQuantizeLinear"), layers * 4 + 1);
  assertEquals(count("MatMul"), layers * 2); // attention scores and weighted values stay float32
  const int8 = graph.initializer!.filter((t) => t.dataType === onnx.TensorProto.DataType.INT8);
  assertEquals(int8.length, layers * densePerLayer + 1);
});

Deno.test("int8 logits stay close to float32's; the pipeline uses int8 only when asked", async () => {
  await using model = await fixtureModel();
  const { quantized } = await compareRuntimes(model.dir, [...EXAMPLE_SENTENCES]);
  assertLess(quantized.maxAbsDifference, 0.1);
  assert(quantized.labelAgreement >= 0.95, `labels agree on ${quantized.labelAgreement}`);
  const auto = await createNerPipeline({ model: model.dir, runtime: "auto" });
  const q8 = await createNerPipeline({ model: model.dir, runtime: "onnx-q8" });
  try {
    assertEquals(auto.runtime, "onnx"); // float32: "auto" never trades accuracy for speed
    assertEquals(q8.runtime, "onnx-q8");
    const [a, b] = [await auto(EXAMPLE_SENTENCES[0]), await q8(EXAMPLE_SENTENCES[0])];
    assert(b.length > 0, "the int8 model finds entities");
    assert(a.length > 0, "the float32 model finds entities");
  } finally {
    auto.dispose();
    q8.dispose();
  }
});
