/**
 * One model over several corpora's types (a profile's `unifiedTypes`; lib/corpus/type_mapping.ts): on two
 * fixture corpora — data/fixtures/train (Chemical, Disease) and a CoNLL copy that annotates only the chemicals
 * (as GENE, mapped to Chemical) — the run trains one word-level model over the unified labels, scores each
 * corpus on the types it annotates, and a corpus's O words teach nothing about the types it leaves open
 * (the loss of a batch is lower than the naive merge's on the same weights); a mapping that misses a corpus is
 * refused before a run folder exists.
 */
import { assert, assertAlmostEquals, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { chooseEvaluation } from "../../lib/analysis/evaluation_inputs.ts";
import { readSentencesJsonl } from "../../lib/bio/jsonl.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { readTypeMapping, unifySentences } from "../../lib/corpus/type_mapping.ts";
import { modelTypeOfFolder } from "../../lib/model/registry.ts";
import type { ScoredWords, WordLevelModel } from "../../lib/model/types.ts";
import { loadWordCrfModel, newWordCrfModel, wordCrfTrainable } from "../../lib/model/word_crf/mod.ts";
import { type HeadReading, mergeHeadReadings } from "../../lib/model/word_crf/merged_heads.ts";
import { readCorporaFile } from "../../lib/model/word_crf/multi.ts";
import { WordCrfScorer } from "../../lib/model/word_crf/scorer.ts";
import { buildStaticPage } from "../../lib/page/build.ts";
import { createNerPipeline, loadScoringModel } from "../../lib/predict/mod.ts";
import { loadProfile } from "../../lib/train/profile.ts";
import type { RunMetrics } from "../../lib/train/metrics_file.ts";
import { chooseModel } from "../../lib/train/run/choose_model.ts";
import { trainProfile } from "../../lib/train/trainer.ts";

await initBackend();
const FIXTURE = "data/fixtures/train";
const LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];

const outputs = await Deno.makeTempDir();
/** The fixture with its chemicals as GENE and its diseases unannotated, as a CoNLL folder. */
const chemicalsOnly = join(outputs, "chemicals");
await Deno.mkdir(chemicalsOnly);
for (const split of ["train", "dev", "test"]) {
  const sentences = await readSentencesJsonl(join(FIXTURE, `${split}.jsonl`));
  const lines = sentences.map((s) =>
    s.words.map((w, i) => `${w.text}\t${/Chemical/.test(s.tags[i]) ? s.tags[i][0] + "-GENE" : "O"}`).join(
      "\n",
    ) +
    "\n"
  );
  await Deno.writeTextFile(join(chemicalsOnly, `${split}.tsv`), lines.join("\n"));
}
const mappingPath = join(outputs, "mapping.json");
const mapping = {
  types: ["Chemical", "Disease"],
  reported: { Disease: { as: "Chemical", why: "the model folder carries it to inference" } },
  corpora: {
    train: {
      Chemical: { to: ["Chemical"], why: "the fixture's chemicals" },
      Disease: { to: ["Disease"], why: "the fixture's diseases" },
    },
    chemicals: { GENE: { to: ["Chemical"], why: "the same chemicals, named GENE" } },
  },
};
await Deno.writeTextFile(mappingPath, JSON.stringify(mapping));
const DATA = `${FIXTURE},${chemicalsOnly}`;

Deno.test("a unified run: one model over the unified labels, each corpus scored on its own types, each corpus's run judged in its types", async () => {
  const { metrics, layout } = await trainProfile({
    profile: "bilstm-crf-smoke",
    overrides: { data: DATA, unifiedTypes: { mapping: mappingPath, unannotated: "open" }, epochs: 2 },
    run: "unified",
    outputsDir: outputs,
    quiet: true,
  });
  assertEquals(metrics.labels, LABELS);
  assertEquals(metrics.corpusLabels?.chemicals, ["O", "B-GENE", "I-GENE"]);
  assertEquals(Object.keys(metrics.test.perCorpus ?? {}), ["train", "chemicals"]);
  // The chemicals corpus judges chemicals only: the model's diseases are neither right nor wrong there.
  assertEquals(Object.keys(metrics.test.perCorpus!.chemicals.perType), ["Chemical"]);
  assertEquals(Object.keys(metrics.test.perCorpus!.train.perType), ["Chemical", "Disease"]);
  const config = JSON.parse(await Deno.readTextFile(join(layout.best, "config.json")));
  assertEquals(Object.values(config.id2label), LABELS);
  // Tags keep the learnt types (the scores above); entities report them as the mapping says.
  assertEquals(config.reported_types, { Disease: "Chemical" });
  assertEquals((await modelTypeOfFolder(layout.best)).modelType, "word-crf");
  // Each corpus's run holds the one model; the evaluation of notebook 04 judges it in that corpus's types.
  const view: RunMetrics = JSON.parse(
    await Deno.readTextFile(join(outputs, "unified.chemicals", "metrics.json")),
  );
  assertEquals([view.judgedAs, view.labels, view.test], [
    "chemicals",
    LABELS,
    metrics.test.perCorpus!.chemicals,
  ]);
  const copied = JSON.parse(
    await Deno.readTextFile(join(outputs, "unified.chemicals", "best", "config.json")),
  );
  assertEquals(copied, config);
  // (A smoke profile's model is evaluated on NER_CORPUS's data, not its run's: name the same corpus.)
  const env = (name: string) => ({ NER_RUN: "unified.chemicals", NER_CORPUS: chemicalsOnly })[name];
  const choice = await chooseEvaluation({ outputsDir: outputs, env });
  const types = (sentences: Sentence[]) => new Set(sentences.flatMap((s) => s.tags.map((t) => t.slice(2))));
  assertEquals(types(choice.gold), new Set(["", "Chemical"]));
  assert([...types(choice.predicted)].every((type) => type === "" || type === "Chemical"));
  assert(choice.notes.some((note) => note.includes("judged in")));
});

Deno.test("partial annotation: on the same weights and batch, a corpus's O words cost less when its unannotated types stay open", async () => {
  const types = await readTypeMapping(mappingPath);
  const sentences = (await readSentencesJsonl(join(FIXTURE, "train.jsonl"))).map((s) => ({
    ...s,
    tags: s.tags.map((tag) => /Chemical/.test(tag) ? tag[0] + "-GENE" : "O"),
  }));
  const corpus = { corpus: "chemicals", labels: ["O", "B-GENE", "I-GENE"], sentences };
  const open = unifySentences(types, corpus);
  const naive = unifySentences(types, { ...corpus, partial: false });
  const profile = await loadProfile("bilstm-crf-smoke");
  if (profile.model.architecture !== "word-crf") throw new Error("bilstm-crf-smoke is word-level");
  const model = newWordCrfModel(profile.model.config, { labels: LABELS, train: open, seed: 5 });
  const lossOf = async (train: typeof open) => {
    const trainable = wordCrfTrainable(model, { train, evalBatchSize: 16 });
    const [batch] = trainable.epochBatches({ batchSize: 32, seed: 1 });
    const loss = trainable.loss(batch, { dropoutSeed: 1 });
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const openLoss = await lossOf(open), naiveLoss = await lossOf(naive);
  // The fixture's diseases are O in this corpus: the naive merge teaches they are no disease, open does not.
  assert(openLoss < naiveLoss - 1e-3, `open ${openLoss} vs naive ${naiveLoss}`);
  model.network.dispose();
});

Deno.test("a mapping without a line for one of the corpora is refused before any run folder exists", async () => {
  const partial = join(outputs, "partial-mapping.json");
  await Deno.writeTextFile(
    partial,
    JSON.stringify({ ...mapping, corpora: { train: mapping.corpora.train } }),
  );
  await assertRejects(
    () =>
      trainProfile({
        profile: "bilstm-crf-smoke",
        overrides: { data: DATA, unifiedTypes: { mapping: partial, unannotated: "open" } },
        run: "unified-bad",
        outputsDir: outputs,
        quiet: true,
      }),
    Error,
    "no line for corpus chemicals",
  );
  assert(!await Deno.stat(join(outputs, "unified-bad")).then(() => true, () => false));
});

Deno.test("deno task cross-corpus: a unified model scored on a corpus in that corpus's types; a model of other types refused, or read through its corpus's mapping", async () => {
  const { layout } = await trainProfile({
    profile: "bilstm-crf-smoke",
    overrides: { data: DATA, unifiedTypes: { mapping: mappingPath, unannotated: "open" }, epochs: 1 },
    run: "unified-cross",
    outputsDir: outputs,
    quiet: true,
  });
  const run = async (model: string, ...more: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "lib/cli/cross_corpus.ts",
        "--model",
        model,
        "--corpus",
        chemicalsOnly,
        "--mapping",
        mappingPath,
        ...more,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
    return {
      code: output.code,
      rows: text(output.stdout).split("\n").filter(Boolean),
      stderr: text(output.stderr),
    };
  };
  const { code, rows } = await run(layout.best);
  assertEquals(code, 0);
  // The corpus annotates chemicals only: the model's Disease predictions are not judged.
  assertEquals(rows.map((row) => JSON.parse(row).type), ["Chemical", "micro"]);
  // A model whose types are not unified types (GENE) is refused in one line.
  const { metrics } = await trainProfile({
    profile: "bilstm-crf-smoke",
    overrides: { data: chemicalsOnly, epochs: 1 },
    run: "genes-only",
    outputsDir: outputs,
    quiet: true,
  });
  const refused = await run(join(outputs, metrics.run, "best"));
  assertEquals(refused.code, 2);
  assert(refused.stderr.includes("its types GENE are not unified types"), refused.stderr);
  assertEquals(refused.stderr.split("\n").length, 1);
  // Read through its own corpus's lines of the mapping (GENE → Chemical), the same model is judged.
  const own = await run(join(outputs, metrics.run, "best"), "--model-types", "chemicals");
  assertEquals(own.code, 0, own.stderr);
  assertEquals(own.rows.map((row) => JSON.parse(row).type), ["Chemical", "micro"]);
  // --split all: every split's mentions; --match contained: HunFlair's matching, said in each row.
  const supportOf = async (...more: string[]) =>
    JSON.parse((await run(layout.best, ...more)).rows[0]).support;
  const splits = await Promise.all(["train", "dev", "test"].map((split) => supportOf("--split", split)));
  assertEquals(await supportOf("--split", "all"), splits[0] + splits[1] + splits[2]);
  const contained = await run(layout.best, "--match", "contained");
  assertEquals(contained.rows.map((row) => JSON.parse(row).match), ["contained", "contained"]);
  for (
    const [flag, value, message] of [["--match", "loose", "--match must be one of strict, contained"], [
      "--split",
      "both",
      "--split must be one of train, dev, test, all",
    ]]
  ) {
    const bad = await run(layout.best, flag, value);
    assertEquals([bad.code, bad.stderr.split("\n").length], [2, 1], bad.stderr);
    assertStringIncludes(bad.stderr, message);
  }
});

Deno.test("per-corpus heads for unified types: each corpus's head learns its own labels; the model folder merges them into the unified types, one encoder pass for all heads", async () => {
  const { metrics, layout } = await trainProfile({
    profile: "bilstm-crf-smoke",
    overrides: { data: DATA, unifiedTypes: { mapping: mappingPath, heads: "per-corpus" } },
    run: "heads",
    outputsDir: outputs,
    quiet: true,
  });
  assertEquals(metrics.labels, LABELS);
  assertEquals(Object.keys(metrics.test.perCorpus!.chemicals.perType), ["GENE"]);
  const { corpora, unified } = await readCorporaFile(layout.best);
  assertEquals(corpora, ["train", "chemicals"]);
  assertEquals(unified, {
    types: ["Chemical", "Disease"],
    heads: { train: { Chemical: "Chemical", Disease: "Disease" }, chemicals: { GENE: "Chemical" } },
    reported: { Disease: "Chemical" },
  });
  // Each corpus's run is its own head, an ordinary word-level folder in that corpus's labels.
  const view: RunMetrics = JSON.parse(
    await Deno.readTextFile(join(outputs, "heads.chemicals", "metrics.json")),
  );
  assertEquals([view.judgedAs, view.labels], [undefined, ["O", "B-GENE", "I-GENE"]]);

  // The whole folder is one tagger of the unified labels, on tfjs (the export is per corpus).
  const loaded = await loadScoringModel(layout.best, "auto");
  assertEquals(loaded.runtime, "tfjs");
  assertStringIncludes(loaded.runtimeReason, "per-corpus heads merged");
  const merged = loaded.model as WordLevelModel;
  assertEquals(Object.values(merged.config.id2label), LABELS);
  await assertRejects(() => loadScoringModel(layout.best, "onnx"), Error, "runs on tfjs only");
  // The same as each corpus's own folder (a full encoder each) decoded apart and merged.
  const sentences = (await readSentencesJsonl(join(FIXTURE, "test.jsonl"))).map((s) =>
    s.words.map((w) => w.text)
  );
  const apart: (Omit<HeadReading, "scored"> & { scored: ScoredWords[] })[] = [];
  for (const name of corpora) {
    const scorer = new WordCrfScorer(await loadWordCrfModel(join(layout.best, name)));
    apart.push({
      labels: scorer.model.network.labels,
      types: unified!.heads[name],
      scored: await scorer.scoreWords(sentences),
    });
    scorer.dispose();
  }
  const together = await merged.scoreWords(sentences);
  const capable = new Map([["Chemical", 2], ["Disease", 1]]);
  sentences.forEach((_, s) => {
    const expected = mergeHeadReadings(
      apart.map((head) => ({ ...head, scored: head.scored[s] })),
      LABELS,
      capable,
    );
    assertEquals(together[s].labelIds, expected.labelIds);
    together[s].scores.forEach((row, i) =>
      row.forEach((p, j) => assertAlmostEquals(p, expected.scores[i][j], 1e-5))
    );
  });
  assert(together.some((s) => s.labelIds.some((id) => id > 0)), "the smoke model tags something");
  merged.dispose();
  // The run is a model notebooks 04/05 take through NER_RUN (each corpus's run too, with its own head).
  const env = (name: string) => ({ NER_RUN: "heads" })[name];
  assertEquals((await chooseModel({ outputsDir: outputs, env })).dir, layout.best);
  // Entities leave with the reported types (Disease as Chemical).
  const ner = await createNerPipeline({ model: layout.best });
  const entities = await ner("Naloxone reverses the antihypertensive effect of clonidine in hypotension.");
  assert(entities.every((e) => e.type === "Chemical"), JSON.stringify(entities));
  ner.dispose();
});

Deno.test("per-corpus heads: a folder without unified types, or with a bad one, is refused in one line; so are bad profile values", async () => {
  const { layout } = await trainProfile({
    profile: "bilstm-crf-smoke",
    overrides: { data: DATA, unifiedTypes: { mapping: mappingPath, heads: "per-corpus" }, epochs: 1 },
    run: "heads-bad",
    outputsDir: outputs,
    quiet: true,
  });
  // The static page runs one ONNX export: it cannot merge heads, and says so before writing anything.
  const page = join(outputs, "heads-page");
  await assertRejects(
    () => buildStaticPage({ model: layout.best, out: page }),
    Error,
    "holds per-corpus heads",
  );
  assert(!await Deno.stat(page).then(() => true, () => false));
  const file = join(layout.best, "corpora.json");
  const good = JSON.parse(await Deno.readTextFile(file));
  await Deno.writeTextFile(file, JSON.stringify({ corpora: good.corpora }));
  await assertRejects(() => loadScoringModel(layout.best, "auto"), Error, "without unified types");
  good.unified.heads.chemicals.GENE = "Protein";
  await Deno.writeTextFile(file, JSON.stringify(good));
  const error = await assertRejects(() => loadScoringModel(layout.best, "auto"), Error);
  assertEquals(
    error.message,
    `${file}: "unified.heads.chemicals.GENE": "Protein" is not one of unified.types`,
  );
  for (
    const [unifiedTypes, message] of [
      [{ mapping: mappingPath, heads: "two" }, `unifiedTypes.heads must be "one" or "per-corpus"`],
      [
        { mapping: mappingPath, heads: "per-corpus", unannotated: "open" },
        "unifiedTypes.unannotated is for one head",
      ],
      [{ mapping: mappingPath }, `unifiedTypes.unannotated must be "open" or "outside"`],
    ] as const
  ) {
    await assertRejects(
      () =>
        trainProfile({
          profile: "bilstm-crf-smoke",
          overrides: { data: DATA, unifiedTypes },
          run: "x",
          outputsDir: outputs,
          quiet: true,
        }),
      Error,
      message,
    );
  }
});
