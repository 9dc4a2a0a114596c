import { assert, assertEquals, assertLess, assertRejects } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  BertForTokenClassification,
  loadTokenClassifier,
  loadTokenClassifierWithReport,
  logitsReport,
  makeBertConfig,
  parseSafetensors,
  saveTokenClassifier,
  serializeSafetensors,
} from "../../lib/model/mod.ts";
import { ModelFileError } from "../../lib/model/errors.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import { FIXTURES, maxAbsDifference, reference, referenceBatch, TINY_BERT } from "./reference.ts";

await initBackend();

const quiet = { log: () => {} };

Deno.test("a saved model folder loads back with identical logits, labels and a usable tokenizer", async () => {
  const model = await loadTokenClassifier(TINY_BERT);
  const tokenizer = await loadBertTokenizer(`${TINY_BERT}/vocab.txt`);
  const dir = join(await Deno.makeTempDir(), "best");
  await saveTokenClassifier(model, dir, { vocab: tokenizer.vocab });

  const files = [];
  for await (const entry of Deno.readDir(dir)) files.push(entry.name);
  assertEquals(files.sort(), [
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
  ]);
  const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
  assertEquals(config.architectures, ["BertForTokenClassification"]);
  assertEquals(config.id2label["1"], "B-Chemical");
  assertEquals(JSON.parse(await Deno.readTextFile(join(dir, "tokenizer_config.json"))).do_lower_case, false);
  assertEquals(JSON.parse(await Deno.readTextFile(join(dir, "tokenizer.json"))).model.vocab["[CLS]"], 2);
  // Weights are stored in PyTorch layout ([out, in]), as transformers expects.
  const saved = parseSafetensors(await Deno.readFile(join(dir, "model.safetensors")));
  assertEquals(saved.get("bert.encoder.layer.0.intermediate.dense.weight")!.shape, [64, 32]);

  const reloaded = await loadTokenClassifier(dir);
  const before = await model.forward(referenceBatch()).data();
  const after = await reloaded.forward(referenceBatch()).data();
  assertEquals(after, before);
  assertEquals(
    await logitsReport({ model: dir, text: "Aspirin induced renal failure." }),
    await logitsReport({ model: TINY_BERT, text: "Aspirin induced renal failure." }),
  );
  model.dispose();
  reloaded.dispose();
});

Deno.test("a base checkpoint needs labels for a new head; with them, HF's report is logged", async () => {
  const dir = await Deno.makeTempDir();
  for (const file of ["config.json", "vocab.txt"]) {
    await Deno.copyFile(join(TINY_BERT, file), join(dir, file));
  }
  await Deno.copyFile(`${FIXTURES}variants/base/pytorch_model.bin`, join(dir, "pytorch_model.bin"));
  await assertRejects(
    () => loadTokenClassifier(dir, quiet),
    Error,
    "lacks classifier.weight, classifier.bias",
  );

  const messages: string[] = [];
  const labels = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];
  const { model, report } = await loadTokenClassifierWithReport(dir, {
    labels,
    log: (m) => messages.push(m),
  });
  assertEquals(report.missingKeys, ["classifier.weight", "classifier.bias"]);
  const log = messages.join("\n");
  assert(log.includes("were not used when initializing BertForTokenClassification"), log);
  assert(log.includes('are newly initialized: ["classifier.weight","classifier.bias"]'), log);
  assertEquals(model.config.id2label["4"], "I-Disease");
  model.dispose();
});

Deno.test("an incomplete classifier is refused before the model is built at the config's (huge) sizes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = JSON.parse(await Deno.readTextFile(join(TINY_BERT, "config.json")));
    // 1 million (the config limit) × 256 word embeddings: 1 GB the weight file (empty) never paid for.
    await Deno.writeTextFile(
      join(dir, "config.json"),
      JSON.stringify({ ...config, vocab_size: 1_000_000, hidden_size: 256, num_attention_heads: 4 }),
    );
    await Deno.writeFile(join(dir, "model.safetensors"), serializeSafetensors(new Map()));
    const rssBefore = Deno.memoryUsage().rss;
    await assertRejects(
      () => loadTokenClassifier(dir, quiet),
      ModelFileError,
      "not a complete token classifier",
    );
    assertLess(Deno.memoryUsage().rss - rssBefore, 200e6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a head of the wrong size is an error naming the tensor", async () => {
  const error = await assertRejects(() =>
    loadTokenClassifier(TINY_BERT, { labels: ["O", "B-X", "I-X"], ...quiet })
  );
  assert((error as Error).message.includes("classifier.weight has shape [5,32], the model expects [3,32]"));
});

Deno.test("saving refuses a vocab of the wrong size and leaves nothing behind", async () => {
  const config = makeBertConfig({
    vocab_size: 10,
    hidden_size: 8,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 16,
  }, { labels: ["O"] });
  const model = BertForTokenClassification.create(config);
  const dir = join(await Deno.makeTempDir(), "model");
  await assertRejects(
    () => saveTokenClassifier(model, dir, { vocab: ["[PAD]"] }),
    Error,
    "vocab has 1 tokens",
  );
  assertEquals(await Deno.stat(dir).then(() => true, () => false), false);
  model.dispose();
});

Deno.test("the committed tiny model folder gives the reference logits through loadTokenClassifier", async () => {
  const model = await loadTokenClassifier(TINY_BERT);
  assert(await maxAbsDifference(model.forward(referenceBatch()), reference.logits) < 1e-4);
  model.dispose();
});
