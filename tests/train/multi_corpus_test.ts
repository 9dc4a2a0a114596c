/**
 * Multi-corpus training (lib/train/corpus_list.ts, prepare.ts; lib/model/word_crf/trainable.ts) on two fixture
 * corpora with different label sets — data/fixtures/train (Chemical, Disease) and a CoNLL copy of it whose
 * only type is GENE (the Chemical mentions): one encoder shared by both heads and trained by both corpora's
 * batches, heads apart, proportional seeded mixing, per-corpus folders that load and tag as ordinary
 * word-level models, kill/resume equal to an uninterrupted run, and one-line errors for bad lists.
 */
import { assert, assertEquals, assertNotEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { modelTypeOfFolder } from "../../lib/model/registry.ts";
import { type LabelledCorpus, parameterCount } from "../../lib/model/trainable.ts";
import {
  loadWordCrfModel,
  multiWordCrfTrainable,
  newMultiWordCrfModel,
  wordCrfTrainable,
} from "../../lib/model/word_crf/mod.ts";
import { scoreOptionsOf } from "../../lib/predict/bert_crf.ts";
import { tagSentences } from "../../lib/predict/tag.ts";
import { corpusList } from "../../lib/train/corpus_list.ts";
import { chooseModel } from "../../lib/train/run/choose_model.ts";
import { corpusOfModel, listTrainedModels } from "../../lib/train/run/find_best.ts";
import { readTrainLog, type RunMetrics, trainProfile } from "../../lib/train/mod.ts";
import { AdamW } from "../../lib/train/optimizer.ts";
import { optimizerStep } from "../../lib/train/step.ts";
import { KILL_AT_ENV } from "../../lib/util/kill_point.ts";
import { deterministic, finishTraining, metricsOf, nerOnText, spawnSmokeTraining } from "./train_cli.ts";

await initBackend();
const PROFILE = "bilstm-crf-smoke";
const FIXTURE = "data/fixtures/train";

/** The fixture's sentences with Chemical read as GENE and Disease dropped, as a CoNLL folder. */
async function genesCorpus(dir: string): Promise<string> {
  const folder = join(dir, "genes");
  await Deno.mkdir(folder, { recursive: true });
  for (const split of ["train", "dev", "test"]) {
    const sentences = await readSentencesJsonl(join(FIXTURE, `${split}.jsonl`));
    const lines = sentences.map((s) =>
      s.words.map((w, i) => `${w.text}\t${/Chemical/.test(s.tags[i]) ? s.tags[i][0] + "-GENE" : "O"}`)
        .join("\n") + "\n"
    );
    await Deno.writeTextFile(join(folder, `${split}.tsv`), lines.join("\n"));
  }
  return folder;
}

const outputs = await Deno.makeTempDir();
const genes = await genesCorpus(outputs);
const DATA = `${FIXTURE},${genes}`;

function splitsOf(sentences: Sentence[]): LabelledCorpus[] {
  const asGenes = sentences.map((s) => ({
    ...s,
    tags: s.tags.map((tag) => /Chemical/.test(tag) ? tag[0] + "-GENE" : "O"),
  }));
  return [
    { name: "train", labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"], sentences },
    { name: "genes", labels: ["O", "B-GENE", "I-GENE"], sentences: asGenes },
  ];
}

const SIZES = {
  word_dim: 8,
  char_dim: 4,
  char_filters: 8,
  char_kernel: 3,
  max_word_chars: 12,
  shape_dim: 4,
  hidden_size: 8,
  dropout: 0,
};

Deno.test("one encoder: the same variables in both heads' models, trained by either corpus's batches; heads apart", async () => {
  const train = splitsOf((await readSentencesJsonl(join(FIXTURE, "train.jsonl"))).slice(0, 40));
  const model = newMultiWordCrfModel(SIZES, { train, seed: 3 });
  const trainable = multiWordCrfTrainable(model, { train, evalBatchSize: 16 });
  try {
    const [chemicals, genesModel] = model.models.map((m) => m.network.parameters);
    assert(chemicals.get("lstm.input_kernel") === genesModel.get("lstm.input_kernel"));
    assert(chemicals.get("word_embeddings.weight") === genesModel.get("word_embeddings.weight"));
    assertNotEquals(chemicals.get("crf.transitions")!.shape, genesModel.get("crf.transitions")!.shape);
    // One parameter set: the encoder once, each head once.
    const single = parameterCount(chemicals) + parameterCount(genesModel);
    const encoder = [...chemicals].filter(([n]) => !/^(emissions|crf)\./.test(n));
    assertEquals(parameterCount(trainable.parameters), single - parameterCount(new Map(encoder)));

    const optimizer = new AdamW(trainable.parameters, { weightDecay: 0 });
    const snapshot = () => new Map([...trainable.parameters].map(([n, v]) => [n, Array.from(v.dataSync())]));
    const changed = (before: Map<string, number[]>) =>
      [...trainable.parameters].filter(([n, v]) => v.dataSync().some((x, i) => x !== before.get(n)![i]))
        .map(([n]) => n);
    for (const corpus of [0, 1]) {
      const batch = trainable.epochBatches({ batchSize: 8, seed: 1 }).find((b) => b.corpus === corpus)!;
      const before = snapshot();
      await optimizerStep({
        parameters: trainable.batchParameters!(batch),
        optimizer,
        loss: () => trainable.loss(batch, { dropoutSeed: 1 }),
        learningRate: 0.01,
        maxGradNorm: 5,
      });
      const moved = changed(before);
      const own = model.corpora[corpus], other = model.corpora[1 - corpus];
      assert(moved.includes("lstm.recurrent_kernel"), `${own}: the encoder did not move`);
      assert(moved.includes(`${own}/emissions.weight`), `${own}: its head did not move`);
      assert(!moved.some((n) => n.startsWith(`${other}/`)), `${own}'s batch moved ${other}'s head`);
    }
  } finally {
    trainable.dispose();
  }
});

Deno.test("an epoch mixes every corpus's batches in proportion, in an order the seed fixes", async () => {
  const sentences = await readSentencesJsonl(join(FIXTURE, "train.jsonl"));
  const train = splitsOf(sentences);
  train[1] = { ...train[1], sentences: train[1].sentences.slice(0, 40) };
  const trainable = multiWordCrfTrainable(newMultiWordCrfModel(SIZES, { train, seed: 3 }), {
    train,
    evalBatchSize: 16,
  });
  try {
    const order = (seed: number) => trainable.epochBatches({ batchSize: 8, seed }).map((b) => b.corpus);
    const epoch = order(5);
    assertEquals(epoch.filter((c) => c === 0).length, 20);
    assertEquals(epoch.filter((c) => c === 1).length, 5);
    assertEquals(order(5), epoch);
    assertNotEquals(order(6), epoch);
    // Mixed, not one corpus after the other.
    assertNotEquals(epoch.indexOf(1), 20);
  } finally {
    trainable.dispose();
  }
});

const { metrics, layout } = await trainProfile({
  profile: PROFILE,
  overrides: { data: DATA },
  run: "multi",
  outputsDir: outputs,
  quiet: true,
});

Deno.test("a multi-corpus run: dev per corpus each epoch (the mean selects), test per corpus, label sets per corpus", async () => {
  assertEquals(metrics.corpusLabels, {
    train: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"],
    genes: ["O", "B-GENE", "I-GENE"],
  });
  const { perCorpus } = metrics.test;
  assertEquals(Object.keys(perCorpus!), ["train", "genes"]);
  assertEquals(Object.keys(perCorpus!.genes.perType), ["GENE"]);
  assertEquals(metrics.test.f1, (perCorpus!.train.f1 + perCorpus!.genes.f1) / 2);
  assert(perCorpus!.genes.f1 > 0.5 && perCorpus!.train.f1 > 0.5, JSON.stringify(metrics.test));
  const epochs = (await readTrainLog(layout.log)).filter((l) => l.kind === "epoch");
  for (const epoch of epochs) assertEquals(Object.keys(epoch.dev!.perCorpus!), ["train", "genes"]);
  const best = epochs.reduce((a, b) => b.dev!.f1 > a.dev!.f1 ? b : a);
  assertEquals(metrics.best.epoch, best.epoch);
});

Deno.test("the schedule counts each corpus's batches: every epoch runs to its end", async () => {
  // 160 sentences a corpus at 48 a batch: 4 batches each, 8 an epoch (⌈320 / 48⌉ would be 7).
  const { metrics } = await trainProfile({
    profile: PROFILE,
    overrides: { data: DATA, epochs: 2, batchSize: 48 },
    run: "multi-steps",
    outputsDir: outputs,
    quiet: true,
  });
  assertEquals([metrics.steps, metrics.stopReason], [16, "epochs"]);
});

Deno.test("best/<corpus>/ folders load as ordinary word-level models and tag with their own labels", async () => {
  const sentences = (await readSentencesJsonl(join(FIXTURE, "dev.jsonl"))).slice(0, 20);
  for (const [corpus, types] of [["genes", ["GENE"]], ["train", ["Chemical", "Disease"]]] as const) {
    const dir = join(layout.best, corpus);
    assertEquals((await modelTypeOfFolder(dir)).modelType, "word-crf");
    const model = wordCrfTrainable(await loadWordCrfModel(dir), { evalBatchSize: 16 });
    try {
      const tags = await tagSentences(sentences, scoreOptionsOf(model.tagging(0)));
      const tagged = new Set(tags.flat().filter((t) => t !== "O"));
      assertEquals(new Set([...tagged].map((t) => t.slice(2))), new Set(types), corpus);
    } finally {
      model.dispose();
    }
  }
  const ner = await nerOnText(
    join(layout.best, "genes"),
    "We describe a case of cisplatin induced hepatitis.",
  );
  assertEquals(ner.code, 0, ner.stderr);
  const { entities } = JSON.parse(ner.line);
  for (const entity of entities) assertEquals(entity.type, "GENE");
});

Deno.test("each corpus's model is also a run of its own (<run>.<corpus>/): what NER_RUN and find_best read", async () => {
  const runs = await listTrainedModels(outputs);
  for (const [corpus, spec] of [["train", FIXTURE], ["genes", genes]]) {
    const view = runs.find((r) => r.run === `multi.${corpus}`);
    assert(view, `no run multi.${corpus} among ${runs.map((r) => r.run)}`);
    const own: RunMetrics = JSON.parse(
      await Deno.readTextFile(join(outputs, `multi.${corpus}`, "metrics.json")),
    );
    assertEquals(own.corpus, spec);
    assertEquals(own.labels, metrics.corpusLabels![corpus]);
    assertEquals(own.test, metrics.test.perCorpus![corpus]);
    assertEquals(own.best.dev, metrics.best.dev!.perCorpus![corpus]);
    assertEquals(own.multiCorpusRun, "multi");
    assertEquals(
      await Deno.readFile(join(view.dir, "model.safetensors")),
      await Deno.readFile(join(layout.best, corpus, "model.safetensors")),
    );
  }
  // What notebooks 04/05 and the evaluation do with NER_RUN=<run>.<corpus>: that model, on that corpus.
  const chosen = await chooseModel({
    outputsDir: outputs,
    env: (name) => name === "NER_RUN" ? "multi.genes" : undefined,
  });
  assertEquals(chosen.dir, join(outputs, "multi.genes", "best"));
  assertEquals(await corpusOfModel(chosen.dir, "bc5cdr"), genes);
  // The multi-corpus run itself holds no one model: no tool picks it by mistake.
  assert(!runs.some((r) => r.run === "multi"));
});

Deno.test("killed at kill points and resumed, a multi-corpus run ends exactly as an uninterrupted one", async () => {
  const overrides = [`data=${DATA}`, "epochs=3", "logEverySteps=1", "checkpointEverySteps=7"];
  const train = (run: string, env: Record<string, string> = {}) =>
    finishTraining(
      spawnSmokeTraining({ profile: PROFILE, outputs, run, resume: true, overrides, env, quiet: false }),
    );
  const reference = await train("multi-uninterrupted");
  assertEquals(reference.code, 0, reference.stderr);
  const expectedLog = deterministic(
    await readTrainLog(join(outputs, "multi-uninterrupted", "train_log.jsonl")),
  );
  for (const point of ["train-step:11", "checkpoint-fill:2", "evaluate:2"]) {
    const run = `multi-killed-${point.replace(":", "-")}`;
    const killed = await train(run, { [KILL_AT_ENV]: point });
    assertEquals(killed.signal, "SIGKILL", `${point} was not reached`);
    const resumed = await train(run);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertStringIncludes(resumed.stderr, "resumed from");
    assertEquals(metricsOf(resumed), metricsOf(reference), point);
    assertEquals(
      deterministic(await readTrainLog(join(outputs, run, "train_log.jsonl"))),
      expectedLog,
      point,
    );
  }
});

Deno.test("bad corpus lists: one-line errors naming the list", async () => {
  const cases: [string, string][] = [
    ["bc5cdr,nosuchcorpus", 'corpus list "bc5cdr,nosuchcorpus": unknown corpus "nosuchcorpus"'],
    ["bc5cdr,bc2gm,bc5cdr", 'corpus list "bc5cdr,bc2gm,bc5cdr": "bc5cdr" is listed twice'],
    ["bc5cdr,", 'corpus list "bc5cdr,": multi-corpus training needs at least two corpora'],
    ["bc5cdr,,bc2gm", 'corpus list "bc5cdr,,bc2gm": an empty name'],
  ];
  for (const [data, message] of cases) {
    const error = await assertRejects(() => corpusList(data));
    assertStringIncludes((error as Error).message, message);
    assert(!(error as Error).message.includes("\n"), data);
  }
  const bert = await assertRejects(() =>
    trainProfile({
      profile: "smoke",
      overrides: { data: DATA },
      run: "bert",
      outputsDir: outputs,
      quiet: true,
    })
  );
  assertStringIncludes((bert as Error).message, 'needs a word-level model (model.architecture "word-crf")');
  const cli = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/train.ts", "--profile", PROFILE, "--corpus", `${FIXTURE},${FIXTURE}`],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(cli.stderr).trim();
  assertNotEquals(cli.code, 0);
  assertEquals(stderr.split("\n").length, 1, stderr);
  assertStringIncludes(stderr, "is listed twice");
});
