import { assert, assertEquals, assertInstanceOf, assertLess, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/mod.ts";
import { modelFromStateDict, readBertConfig, readSafetensors } from "../../lib/model/mod.ts";
import { unpickle, UnsafePickleError } from "../../lib/model/formats/pickle.ts";
import { readPytorchCheckpoint } from "../../lib/model/formats/pytorch.ts";
import { FIXTURES, maxAbsDifference, reference, referenceBatch, TINY_BERT } from "./reference.ts";

await initBackend();

const TOLERANCE = 1e-4;
const config = await readBertConfig(`${TINY_BERT}/config.json`);

const cases = [
  { what: "torch.save zip format, fp32", file: `${TINY_BERT}/pytorch_model.bin`, expected: reference.logits },
  {
    what: "fp16 storages",
    file: `${FIXTURES}variants/fp16/pytorch_model.bin`,
    expected: reference.logitsFp16,
  },
  {
    what: "old LayerNorm gamma/beta names and a non-contiguous tensor",
    file: `${FIXTURES}variants/gamma-beta/pytorch_model.bin`,
    expected: reference.logits,
  },
  {
    what: "the legacy (pre-1.6, non-zip) format",
    file: `${FIXTURES}variants/legacy/pytorch_model.bin`,
    expected: reference.logits,
  },
  {
    what: "a zip with deflated entries",
    file: `${FIXTURES}variants/deflated/pytorch_model.bin`,
    expected: reference.logitsFp16,
  },
];
for (const { what, file, expected } of cases) {
  Deno.test(`pytorch_model.bin (${what}): logits match the PyTorch reference`, async () => {
    const { model, report } = modelFromStateDict(config, await readPytorchCheckpoint(file));
    assertEquals(report, { missingKeys: [], unexpectedKeys: [] });
    assertLess(await maxAbsDifference(model.forward(referenceBatch()), expected), TOLERANCE);
    model.dispose();
  });
}

Deno.test("pytorch_model.bin and model.safetensors of one model hold the same tensors bit for bit", async () => {
  const fromPickle = await readPytorchCheckpoint(`${TINY_BERT}/pytorch_model.bin`);
  const fromSafetensors = await readSafetensors(`${TINY_BERT}/model.safetensors`);
  assertEquals([...fromPickle.keys()], [...fromSafetensors.keys()]);
  for (const [name, tensor] of fromPickle) {
    assertEquals(tensor.shape, fromSafetensors.get(name)!.shape, name);
    assertEquals(tensor.data, fromSafetensors.get(name)!.data, name);
  }
});

Deno.test("a base checkpoint reports a new classifier head and unused pre-training weights, as HF does", async () => {
  const stateDict = await readPytorchCheckpoint(`${FIXTURES}variants/base/pytorch_model.bin`);
  assertEquals(stateDict.get("bert.embeddings.position_ids")?.storedAs, "I64");
  const { model, report } = modelFromStateDict(config, stateDict);
  assertEquals(report.missingKeys, ["classifier.weight", "classifier.bias"]);
  // position_ids is a buffer HF ignores silently; the pooler and cls.* heads are reported.
  assertEquals(report.unexpectedKeys, [
    "bert.pooler.dense.weight",
    "bert.pooler.dense.bias",
    "cls.predictions.bias",
    "cls.seq_relationship.weight",
  ]);
  const full = await readSafetensors(`${TINY_BERT}/model.safetensors`);
  const embeddings = await model.parameters.get("bert.embeddings.word_embeddings.weight")!.data();
  assertEquals(embeddings, full.get("bert.embeddings.word_embeddings.weight")!.data);
  model.dispose();
});

Deno.test("a checkpoint whose pickle calls os.system is refused before anything runs", async () => {
  const error = await assertRejects(
    () => readPytorchCheckpoint(`${FIXTURES}variants/malicious/pytorch_model.bin`),
    UnsafePickleError,
    "refusing to unpickle the global",
  );
  // Python pickles os.system as posix.system on Linux.
  assertEquals((error as UnsafePickleError).global, "posix.system");
});

Deno.test("the unpickler refuses every global that is not allowed, and reads plain containers", () => {
  // pickle.dumps(os.system, protocol 0) written by hand: c os \n system \n ( S'ls' \n t R .
  const callsSystem = new TextEncoder().encode("cos\nsystem\n(S'ls'\ntR.");
  assertThrows(() => unpickle(callsSystem, { globals: {} }), UnsafePickleError, "os.system");
  // builtins.eval is no better than os.system.
  const callsEval = Uint8Array.from("\x80\x02cbuiltins\neval\nq\x00.", (c) => c.charCodeAt(0));
  assertThrows(() => unpickle(callsEval, { globals: {} }), UnsafePickleError, "builtins.eval");
  // pickle.dumps({"a": [1, 2], "b": (None, True, 1.5)}, protocol=2)
  const plain = Uint8Array.from([
    0x80,
    0x02,
    0x7d,
    0x71,
    0x00,
    0x28,
    0x58,
    0x01,
    0x00,
    0x00,
    0x00,
    0x61,
    0x71,
    0x01,
    0x5d,
    0x71,
    0x02,
    0x28,
    0x4b,
    0x01,
    0x4b,
    0x02,
    0x65,
    0x58,
    0x01,
    0x00,
    0x00,
    0x00,
    0x62,
    0x71,
    0x03,
    0x4e,
    0x88,
    0x47,
    0x3f,
    0xf8,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x87,
    0x71,
    0x04,
    0x75,
    0x2e,
  ]);
  assertEquals(
    unpickle(plain, { globals: {} }),
    new Map<string, unknown>([["a", [1, 2]], ["b", [null, true, 1.5]]]),
  );
});

Deno.test("not a checkpoint: clear errors naming the file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".bin" });
  await Deno.writeTextFile(path, "hello, I am not a checkpoint");
  const error = await assertRejects(() => readPytorchCheckpoint(path), Error);
  assert((error as Error).message.startsWith(path), (error as Error).message);
  assertInstanceOf(error, Error);
  await Deno.remove(path);
});
