import * as tf from "@tensorflow/tfjs-core";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  BertForTokenClassification,
  bertParameterSpecs,
  gelu,
  makeBertConfig,
  modelFromStateDict,
  readBertConfig,
  readSafetensors,
} from "../../lib/model/mod.ts";
import type { TokenBatch } from "../../lib/tokenizer/types.ts";
import { FIXTURES, maxAbsDifference, reference, referenceBatch, TINY_BERT } from "./reference.ts";

await initBackend();

const TOLERANCE = 1e-4;
const smallConfig = makeBertConfig({
  vocab_size: 50,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 32,
  max_position_embeddings: 16,
}, { labels: ["O", "B-Chemical", "I-Chemical"] });

function smallBatch(): TokenBatch {
  return {
    batchSize: 2,
    seqLength: 5,
    inputIds: Int32Array.from([2, 10, 11, 12, 3, 2, 20, 3, 0, 0]),
    attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
    tokenTypeIds: new Int32Array(10),
  };
}

Deno.test("logits from model.safetensors match the PyTorch reference", async () => {
  const config = await readBertConfig(`${TINY_BERT}/config.json`);
  const { model, report } = modelFromStateDict(
    config,
    await readSafetensors(`${TINY_BERT}/model.safetensors`),
  );
  assertEquals(report, { missingKeys: [], unexpectedKeys: [] });
  assertLess(await maxAbsDifference(model.forward(referenceBatch()), reference.logits), TOLERANCE);
  model.dispose();
});

Deno.test("logits from an fp16 model.safetensors match the reference computed with fp16-rounded weights", async () => {
  const config = await readBertConfig(`${TINY_BERT}/config.json`);
  const stateDict = await readSafetensors(`${FIXTURES}variants/fp16/model.safetensors`);
  assertEquals(stateDict.get("classifier.weight")?.storedAs, "F16");
  const { model } = modelFromStateDict(config, stateDict);
  assertLess(await maxAbsDifference(model.forward(referenceBatch()), reference.logitsFp16), TOLERANCE);
  model.dispose();
});

Deno.test("gradients of the token-classification loss match PyTorch's", async () => {
  const config = await readBertConfig(`${TINY_BERT}/config.json`);
  const { model } = modelFromStateDict(config, await readSafetensors(`${TINY_BERT}/model.safetensors`));
  // HF's loss, written out: mean cross-entropy over the tokens whose label is not -100.
  const labels = reference.labels.flat();
  const labelled = tf.tensor1d(labels.map((label) => (label >= 0 ? 1 : 0)));
  const oneHot = tf.oneHot(tf.tensor1d(labels.map((label) => Math.max(label, 0)), "int32"), 5);
  const lossFunction = () =>
    tf.tidy(() => {
      const logits = tf.reshape(model.forward(referenceBatch()), [labels.length, -1]);
      const negativeLogLikelihood = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1));
      return tf.div(tf.sum(tf.mul(negativeLogLikelihood, labelled)), tf.sum(labelled)) as tf.Scalar;
    });
  const { value, grads } = tf.variableGrads(lossFunction, [...model.parameters.values()]);
  assertAlmostEquals((await value.data())[0], reference.loss, 1e-5);
  const byName = new Map([...model.parameters].map(([name, variable]) => [name, grads[variable.name]]));
  for (const [name, expected] of Object.entries(reference.gradients)) {
    // Linear weights are [in, out] here, [out, in] in PyTorch.
    const gradient = byName.get(name)!;
    const actual = await (gradient.rank === 2 ? tf.transpose(gradient) : gradient).data<"float32">();
    const worst = Math.max(...expected.map((v, i) => Math.abs(actual[i] - v)));
    assertLess(worst, 1e-5, `${name}: max abs difference ${worst}`);
  }
  const squares = await Promise.all(
    [...byName.values()].map(async (g) => (await tf.sum(tf.square(g)).data())[0]),
  );
  assertAlmostEquals(Math.sqrt(squares.reduce((a, b) => a + b, 0)), reference.gradientNorm, 1e-4);
  tf.dispose([value, labelled, oneHot, ...Object.values(grads)]);
  model.dispose();
});

Deno.test("gelu is the exact x·Φ(x), with the derivative Φ(x) + x·φ(x)", async () => {
  const x = tf.tensor1d([-1, 0, 1, 2.5]);
  const phi = (v: number) => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
  const values = await gelu(x).data<"float32">();
  // Φ(1) = 0.8413447460685429 (normal CDF); Φ(-1) = 1 - Φ(1).
  assertAlmostEquals(values[2], 0.8413447460685429, 1e-6);
  assertAlmostEquals(values[0], -(1 - 0.8413447460685429), 1e-6);
  assertEquals(values[1], 0);
  const slopes = await tf.grad((t: tf.Tensor) => gelu(t))(x).data<"float32">();
  const cdf = [1 - 0.8413447460685429, 0.5, 0.8413447460685429, 0.9937903346742238];
  [-1, 0, 1, 2.5].forEach((v, i) => assertAlmostEquals(slopes[i], cdf[i] + v * phi(v), 1e-5));
});

Deno.test("random init is seeded and follows HF: normal(0, 0.02), LayerNorm 1/0, zero biases, zero pad row", async () => {
  const a = BertForTokenClassification.create(smallConfig, { seed: 7 });
  const b = BertForTokenClassification.create(smallConfig, { seed: 7 });
  const c = BertForTokenClassification.create(smallConfig, { seed: 8 });
  const name = "bert.encoder.layer.1.intermediate.dense.weight";
  const weights = await a.parameters.get(name)!.data<"float32">();
  assertEquals(weights, await b.parameters.get(name)!.data<"float32">());
  assertNotEquals(weights, await c.parameters.get(name)!.data<"float32">());
  const std = Math.sqrt(weights.reduce((sum: number, w: number) => sum + w * w, 0) / weights.length);
  assertAlmostEquals(std, 0.02, 0.003);
  assert(
    (await a.parameters.get("bert.embeddings.LayerNorm.weight")!.data<"float32">()).every((v) => v === 1),
  );
  assert((await a.parameters.get("classifier.bias")!.data<"float32">()).every((v) => v === 0));
  const padRow = (await a.parameters.get("bert.embeddings.word_embeddings.weight")!.data<"float32">()).slice(
    0,
    16,
  );
  assert(padRow.every((v) => v === 0), "word embedding of pad_token_id 0 is zero");
  assertEquals(a.parameters.get("bert.encoder.layer.0.intermediate.dense.weight")!.shape, [16, 32]);
  for (const model of [a, b, c]) model.dispose();
});

Deno.test("every parameter gets a gradient, and one matches a finite difference", async () => {
  const model = BertForTokenClassification.create(smallConfig, { seed: 1 });
  const batch = smallBatch();
  const weights = tf.randomNormal([2, 5, 3], 0, 1, "float32", 3);
  const loss = () => tf.sum(tf.mul(model.forward(batch), weights)) as tf.Scalar;
  const { value, grads } = tf.variableGrads(loss, [...model.parameters.values()]);
  assertEquals(Object.keys(grads).length, model.parameters.size);
  for (const [name, variable] of model.parameters) {
    const norm = (await tf.norm(grads[variable.name]).data<"float32">())[0];
    if (name === "bert.embeddings.word_embeddings.weight" || name.startsWith("bert.encoder")) {
      assert(norm > 0 && Number.isFinite(norm), `${name}: gradient norm ${norm}`);
    }
  }
  // d loss / d (one LayerNorm weight), by central difference.
  const probe = model.parameters.get("bert.encoder.layer.0.output.LayerNorm.weight")!;
  const analytic = (await grads[probe.name].data<"float32">())[5];
  const original = await probe.data<"float32">();
  const lossWith = async (delta: number) => {
    const shifted = original.slice();
    shifted[5] += delta;
    probe.assign(tf.tensor1d(shifted));
    return (await loss().data<"float32">())[0];
  };
  const eps = 1e-2;
  const numeric = (await lossWith(eps) - await lossWith(-eps)) / (2 * eps);
  assertAlmostEquals(analytic, numeric, 1e-2 * Math.max(1, Math.abs(numeric)));
  for (const tensor of [value, weights, ...Object.values(grads)]) tensor.dispose();
  model.dispose();
});

Deno.test("dropout acts only when training, with reproducible masks when seeded", async () => {
  const model = BertForTokenClassification.create(smallConfig, { seed: 2 });
  const run = (options = {}) => model.forward(smallBatch(), options).data<"float32">();
  const eval1 = await run();
  assertEquals(await run(), eval1);
  assertNotEquals(await run({ training: true }), eval1);
  const seeded = await run({ training: true, dropoutSeed: 11 });
  assertEquals(await run({ training: true, dropoutSeed: 11 }), seeded);
  assertNotEquals(await run({ training: true, dropoutSeed: 12 }), seeded);
  model.dispose();
});

Deno.test("padding does not change the logits of real tokens", async () => {
  const model = BertForTokenClassification.create(smallConfig, { seed: 3 });
  const padded = await model.forward(smallBatch()).array();
  const alone = await model.forward({
    batchSize: 1,
    seqLength: 3,
    inputIds: Int32Array.from([2, 20, 3]),
    attentionMask: Int32Array.from([1, 1, 1]),
    tokenTypeIds: new Int32Array(3),
  }).array();
  for (let t = 0; t < 3; t++) {
    alone[0][t].forEach((v, label) => assertAlmostEquals(v, padded[1][t][label], 1e-5));
  }
  model.dispose();
});

Deno.test("bad configs and bad batches fail with errors that name the problem", () => {
  assertThrows(
    () => makeBertConfig({ hidden_size: 30, num_attention_heads: 4 }, { source: "my/config.json" }),
    Error,
    "my/config.json: hidden_size 30 is not a multiple of num_attention_heads 4",
  );
  assertThrows(() => makeBertConfig({ hidden_act: "relu" }), Error, 'hidden_act "relu" is not supported');
  assertThrows(() => makeBertConfig({ id2label: { "0": "O", "2": "B-X" } }), Error, "without gaps");
  const model = BertForTokenClassification.create(smallConfig);
  const tooBig = { ...smallBatch(), inputIds: Int32Array.from([2, 10, 11, 99, 3, 2, 20, 3, 0, 0]) };
  assertThrows(
    () => model.forward(tooBig),
    Error,
    "batch.inputIds[3] = 99 is outside the vocabulary (size 50)",
  );
  const tooLong = {
    batchSize: 1,
    seqLength: 17,
    inputIds: new Int32Array(17),
    attentionMask: new Int32Array(17),
  };
  assertThrows(
    () => model.forward({ ...tooLong, tokenTypeIds: new Int32Array(17) }),
    Error,
    "exceeds max_position_embeddings 16",
  );
  model.dispose();
});

Deno.test("a BERT-base-cased config with 5 labels has HF's parameter count (no pooler in a token classifier)", () => {
  const config = makeBertConfig({ vocab_size: 28996 }, { labels: ["O", "B-A", "I-A", "B-B", "I-B"] });
  const count = bertParameterSpecs(config).reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1),
    0,
  );
  const [h, ffn] = [768, 3072];
  const embeddings = (28996 + 512 + 2) * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * h + (h * ffn + ffn) + (ffn * h + h) + 2 * h;
  assertEquals(count, embeddings + 12 * layer + (h * 5 + 5));
  assertEquals(count, 107_723_525);
});

Deno.test("labels and HF defaults: an old 11-key config gets layer_norm_eps 1e-12 and pad_token_id 0", () => {
  const config = makeBertConfig({ hidden_size: 64, num_attention_heads: 2 }, { labels: ["O", "B-Disease"] });
  assertEquals(config.layer_norm_eps, 1e-12);
  assertEquals(config.pad_token_id, 0);
  assertEquals(config.id2label, { "0": "O", "1": "B-Disease" });
  assertEquals(config.label2id, { O: 0, "B-Disease": 1 });
  assertEquals(makeBertConfig({}).id2label, { "0": "LABEL_0", "1": "LABEL_1" });
});
