/**
 * The word-level model's ONNX export (lib/model/word_crf/onnx_export.ts) and its ONNX Runtime path
 * (lib/onnx/word_crf.ts): the graph's emissions are tfjs's (padding, both LSTM directions, the character CNN),
 * the one TypeScript decoder gives the same labels, `export-onnx` writes single and multi-corpus folders, runtime
 * "auto" uses an export only of the folder's weights, labels and files; and what is refused, each in one line:
 * a vocabulary or labels that do not fit the weights, a tampered model.onnx or crf.json, a BERT export in a
 * word-level folder and the other way round, the int8 runtime.
 */
import { assert, assertEquals, assertLess, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { initBackend } from "../../lib/backend/mod.ts";
import { convertDocuments } from "../../lib/bio/convert.ts";
import { readBc5cdr } from "../../lib/corpus/mod.ts";
import { readExportRecord } from "../../lib/model/export_record.ts";
import {
  loadWordCrfModel,
  makeWordBatch,
  newWordCrfModel,
  saveWordCrfModel,
  WordCrfScorer,
} from "../../lib/model/word_crf/mod.ts";
import { exportWordCrfOnnx } from "../../lib/model/word_crf/onnx_export.ts";
import { loadOnnxWordCrf } from "../../lib/onnx/word_crf.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import { autoRuntime, loadScoringModel } from "../../lib/predict/runtime.ts";
import { EXPORT_CLI, fixtureModel, NER_CLI, runCli } from "./fixture_model.ts";
import { TRAIN_SENTENCES, WORD_LABELS, WORD_SIZES, wordCrfFixture } from "./word_crf_fixture.ts";

await initBackend();

/** Sentences of many lengths (padding in every batch), words the vocabulary has and has not seen. */
const SENTENCES = [
  ...TRAIN_SENTENCES.slice(0, 12).map((sentence) => sentence.words.map((word) => word.text)),
  [
    "Naloxone",
    "reverses",
    "clonidine-induced",
    "hypotension",
    "in",
    "spontaneously",
    "hypertensive",
    "rats",
    ".",
  ],
  ["Ω"],
];

/** No JavaScript stack frame in the output. */
function assertNoStack(stderr: string): void {
  assert(!/^\s+at /m.test(stderr), `a stack trace:\n${stderr}`);
}

Deno.test("word-level export: ONNX Runtime's emissions (fused LSTM) and decoded labels are tfjs's", async () => {
  await using fixture = await wordCrfFixture();
  const record = (await readExportRecord(fixture.dir))!;
  assertEquals(record.modelType, "word-crf");
  assertEquals(Object.keys(record.files).sort(), ["crf.json", "model.onnx"]);
  const graph = onnxProto.onnx.ModelProto.decode(await Deno.readFile(join(fixture.dir, "onnx/model.onnx")));
  const ops = graph.graph!.node!.map((node) => node.opType);
  assert(ops.includes("LSTM") && !ops.includes("Loop") && !ops.includes("Scan"), `ops: ${ops}`);
  assertEquals(graph.graph!.input!.map((input) => input.name), [
    "word_ids",
    "shape_ids",
    "char_ids",
    "char_rows",
    "lengths",
  ]);

  const tfjs = new WordCrfScorer(await loadWordCrfModel(fixture.dir));
  const onnx = await loadOnnxWordCrf(fixture.dir);
  try {
    const batch = makeWordBatch(SENTENCES.map((words) => tfjs.model.vocab.encode(words)));
    const expected = await tfjs.model.network.emissions(batch).data() as Float32Array;
    const actual = await onnx.emissions(batch);
    const k = WORD_LABELS.length;
    let largest = 0;
    batch.lengths.forEach((n, row) => {
      for (let i = row * batch.seqLength * k; i < (row * batch.seqLength + n) * k; i++) {
        largest = Math.max(largest, Math.abs(expected[i] - actual[i]));
      }
    });
    assertLess(largest, 1e-5, `emissions differ by ${largest}`);
    const [a, b] = [await tfjs.scoreWords(SENTENCES), await onnx.scoreWords(SENTENCES)];
    assertEquals(b.map((s) => s.labelIds), a.map((s) => s.labelIds));
    a.forEach((sentence, i) =>
      sentence.scores.forEach((row, t) =>
        row.forEach((p, j) => assertLess(Math.abs(p - b[i].scores[t][j]), 1e-5))
      )
    );
    assert(new Set(a.flatMap((s) => s.labelIds)).size > 1, "the fixture's labels vary: a real comparison");
  } finally {
    tfjs.dispose();
    onnx.dispose();
  }
});

Deno.test("export-onnx on a word-level folder and on a multi-corpus folder (each corpus's); --dev is BERT's", async () => {
  await using single = await wordCrfFixture({ exported: false });
  const cli = await runCli(EXPORT_CLI, ["--model", single.dir]);
  assertEquals(cli.code, 0, cli.stderr);
  const summary = JSON.parse(cli.stdout.trim().split("\n").at(-1)!);
  assertEquals([summary.modelType, summary.onnx], ["word-crf", join(single.dir, "onnx/model.onnx")]);
  assertEquals(summary.bytes, (await Deno.stat(join(single.dir, "onnx/model.onnx"))).size);
  assert(summary.checkedTokens > 20 && summary.maxAbsDifference < 1e-4, cli.stdout);
  assertEquals(summary.quantizedOnnx, undefined);

  await using multi = await wordCrfFixture({ multi: true, exported: false });
  const both = await runCli(EXPORT_CLI, ["--model", multi.dir]);
  assertEquals(both.code, 0, both.stderr);
  const exports = JSON.parse(both.stdout.trim().split("\n").at(-1)!).exports;
  assertEquals(exports.map((e: { model: string }) => e.model), [join(multi.dir, "a"), join(multi.dir, "b")]);
  for (const name of ["a", "b"]) {
    assertEquals((await autoRuntime(join(multi.dir, name), {})).runtime, "onnx");
  }

  const dev = await runCli(EXPORT_CLI, ["--model", single.dir, "--dev"]);
  assertEquals(dev.code, 2, dev.stderr);
  assertStringIncludes(dev.stderr, "--dev scores the int8 model of a BERT export");
});

Deno.test("runtime auto uses the word-level export; NER_RUNTIME=onnx deno task ner finds tfjs's entities", async () => {
  await using fixture = await wordCrfFixture();
  const chosen = await autoRuntime(fixture.dir, {});
  assertEquals(chosen.runtime, "onnx", chosen.why);
  const input = join(fixture.dir, "..", "input.txt");
  const texts = TRAIN_SENTENCES.slice(0, 30).map((sentence) =>
    sentence.words.map((word) => word.text).join(" ")
  );
  await Deno.writeTextFile(input, texts.join("\n") + "\n");
  const run = async (runtime: string) => {
    const cli = await runCli(NER_CLI, ["--model", fixture.dir, "--workers", "1", input], {
      NER_RUNTIME: runtime,
    });
    assertEquals(cli.code, 0, cli.stderr);
    assertStringIncludes(cli.stderr, `[ner] runtime ${runtime}: NER_RUNTIME=${runtime}`);
    return cli.stdout.trim().split("\n").map((line) => JSON.parse(line).entities);
  };
  const [tfjs, onnx] = [await run("tfjs"), await run("onnx")];
  const spans = (docs: { start: number; end: number; type: string }[][]) =>
    docs.map((entities) => entities.map((e) => [e.start, e.end, e.type]));
  assertEquals(spans(onnx), spans(tfjs));
  assert(tfjs.flat().length > 5, "random weights still tag something: a real comparison");
  tfjs.flat().forEach((e, i) => assertLess(Math.abs(e.score - onnx.flat()[i].score), 1e-5));
});

Deno.test("a vocabulary or labels that do not fit the weights: export-onnx refuses in one line, writes nothing", async () => {
  const edits: [string, (dir: string) => Promise<void>, string][] = [
    ["a word added to vocab.json", async (dir) => {
      const vocab = JSON.parse(await Deno.readTextFile(join(dir, "vocab.json")));
      vocab.words.push("extra"), vocab.wordCounts.push(1);
      await Deno.writeTextFile(join(dir, "vocab.json"), JSON.stringify(vocab));
    }, "vocab.json: "],
    ["a word added to vocab.json and config.json's word_vocab_size", async (dir) => {
      const vocab = JSON.parse(await Deno.readTextFile(join(dir, "vocab.json")));
      vocab.words.push("extra"), vocab.wordCounts.push(1);
      await Deno.writeTextFile(join(dir, "vocab.json"), JSON.stringify(vocab));
      const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
      config.word_vocab_size++;
      await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
    }, "word_embeddings.weight has shape"],
    ["two labels added to config.json", async (dir) => {
      const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
      const labels = [...WORD_LABELS, "B-Gene", "I-Gene"];
      config.id2label = Object.fromEntries(labels.map((label, id) => [id, label]));
      config.label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
      await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
    }, "emissions.weight has shape"],
  ];
  for (const [what, edit, expected] of edits) {
    await using fixture = await wordCrfFixture({ exported: false });
    await edit(fixture.dir);
    const cli = await runCli(EXPORT_CLI, ["--model", fixture.dir]);
    assertEquals(cli.code, 1, `${what}: ${cli.stderr}`);
    assertStringIncludes(cli.stderr, expected, what);
    assertNoStack(cli.stderr);
    assertEquals(await Deno.stat(join(fixture.dir, "onnx")).then(() => true, () => false), false, what);
    // The export itself refuses, before any check against tfjs could.
    await assertRejects(() => exportWordCrfOnnx(fixture.dir), Error, expected, what);
    assertEquals(await Deno.stat(join(fixture.dir, "onnx")).then(() => true, () => false), false, what);
  }
});

Deno.test("a tampered model.onnx or crf.json: auto falls back to tfjs and says why; onnx forced is one line, exit 1", async () => {
  const tamper: [string, (path: string) => Promise<void>][] = [
    ["model.onnx", async (path) => {
      // One byte of a weight: still a valid graph, other weights.
      const bytes = await Deno.readFile(path);
      bytes[bytes.length - 100] ^= 0x40;
      await Deno.writeFile(path, bytes);
    }],
    ["crf.json", async (path) => {
      const crf = JSON.parse(await Deno.readTextFile(path));
      crf.transitions[0][1] += 5;
      await Deno.writeTextFile(path, JSON.stringify(crf));
    }],
  ];
  for (const [file, edit] of tamper) {
    await using fixture = await wordCrfFixture();
    await edit(join(fixture.dir, "onnx", file));
    const chosen = await autoRuntime(fixture.dir, {});
    assertEquals(chosen.runtime, "tfjs", chosen.why);
    assertStringIncludes(chosen.why, `onnx/${file} is not the file the export wrote`);
    const sentence = "Naloxone reverses hypotension .";
    const auto = await runCli(NER_CLI, ["--model", fixture.dir, "--workers", "1", "--text", sentence]);
    assertEquals(auto.code, 0, auto.stderr);
    assertStringIncludes(auto.stderr, "[ner] runtime tfjs: auto: ");
    const forced = await runCli(NER_CLI, ["--model", fixture.dir, "--workers", "1", "--text", sentence], {
      NER_RUNTIME: "onnx",
    });
    assertEquals(forced.code, 1, forced.stderr);
    assertStringIncludes(forced.stderr, `onnx/${file} is not the file the export wrote`);
    assertNoStack(forced.stderr);
    // Loaded directly, the word-level runtime refuses it too.
    await assertRejects(() => loadOnnxWordCrf(fixture.dir), Error, "is not the file the export wrote");
  }
});

/** Replaces `to`'s export by a copy of `from`'s. */
async function copyExport(from: string, to: string): Promise<void> {
  await Deno.remove(join(to, "onnx"), { recursive: true }).catch(() => {});
  await Deno.mkdir(join(to, "onnx"));
  for await (const entry of Deno.readDir(join(from, "onnx"))) {
    await Deno.copyFile(join(from, "onnx", entry.name), join(to, "onnx", entry.name));
  }
}

Deno.test("a BERT export in a word-level folder, a word-level export in a BERT folder: refused, nothing scored", async () => {
  await using word = await wordCrfFixture();
  await using bert = await fixtureModel();
  const wordCopy = join(word.dir, "..", "word-with-bert-export");
  await Deno.mkdir(wordCopy);
  for (const name of ["config.json", "vocab.json", "model.safetensors"]) {
    await Deno.copyFile(join(word.dir, name), join(wordCopy, name));
  }
  await copyExport(bert.dir, wordCopy);
  const chosen = await autoRuntime(wordCopy, {});
  assertEquals(chosen.runtime, "tfjs", chosen.why);
  assertStringIncludes(chosen.why, "is the export of a bert model, but");
  await assertRejects(() => loadScoringModel(wordCopy, "onnx"), Error, "is the export of a bert model");
  // Even with a record that claims the word-level folder's weights and labels, the graph is refused.
  const record = (await readExportRecord(wordCopy))!;
  const own = (await readExportRecord(word.dir))!;
  await Deno.writeTextFile(
    join(wordCopy, "onnx/export.json"),
    JSON.stringify({ ...record, ...own, files: { ...record.files, "crf.json": own.files["crf.json"] } }),
  );
  await Deno.copyFile(join(word.dir, "onnx/crf.json"), join(wordCopy, "onnx/crf.json"));
  await assertRejects(() => loadScoringModel(wordCopy, "onnx"), Error, "is not a word-level model's export");

  await copyExport(word.dir, bert.dir);
  const bertChosen = await autoRuntime(bert.dir, {});
  assertEquals(bertChosen.runtime, "tfjs", bertChosen.why);
  assertStringIncludes(bertChosen.why, "is the export of a word-crf model, but");
  const forced = await runCli(NER_CLI, ["--model", bert.dir, "--workers", "1", "--text", "Aspirin ."], {
    NER_RUNTIME: "onnx",
  });
  assertEquals(forced.code, 1, forced.stderr);
  assertStringIncludes(forced.stderr, "is the export of a word-crf model");
  assertNoStack(forced.stderr);
});

Deno.test("a word-level folder: no int8 model (onnx-q8 is one line); no export: auto says how to make one", async () => {
  await using fixture = await wordCrfFixture({ exported: false });
  const chosen = await autoRuntime(fixture.dir, {});
  assertEquals(chosen.runtime, "tfjs");
  assertStringIncludes(chosen.why, "export-onnx --model");
  await exportWordCrfOnnx(fixture.dir);
  await assertRejects(
    () => loadScoringModel(fixture.dir, "onnx-q8"),
    Error,
    "whose export has no int8 model",
  );
});

const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

Deno.test({
  name: "real text: BC5CDR test abstracts tagged through the export give tfjs's entities",
  ignore: !BC5CDR_DIR,
  async fn() {
    const corpus = await readBc5cdr({ dir: BC5CDR_DIR!, source: "pubtator" });
    const train = convertDocuments(corpus.splits.train.slice(0, 60)).sentences;
    const root = await Deno.makeTempDir();
    try {
      const dir = join(root, "model");
      const model = newWordCrfModel({ ...WORD_SIZES, hidden_size: 16 }, {
        labels: WORD_LABELS,
        train,
        seed: 5,
      });
      await saveWordCrfModel(model, dir);
      model.network.dispose();
      await exportWordCrfOnnx(dir);
      const tfjs = await createNerPipeline({ model: dir, runtime: "tfjs" });
      const onnx = await createNerPipeline({ model: dir, runtime: "onnx" });
      try {
        const docs = corpus.splits.test.slice(0, 25).map((doc) => ({ id: doc.id, text: doc.text }));
        const entities = async (ner: typeof tfjs) => {
          const out = [];
          for await (const { entities } of ner.recognizeDocuments(docs)) out.push(entities);
          return out;
        };
        const [a, b] = [await entities(tfjs), await entities(onnx)];
        const spans = (docs: typeof a) => docs.map((found) => found.map((e) => [e.start, e.end, e.type]));
        assertEquals(spans(b), spans(a));
        assert(a.flat().length > 25, `${a.flat().length} entities: a real comparison`);
      } finally {
        tfjs.dispose();
        onnx.dispose();
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
