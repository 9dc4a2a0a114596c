/**
 * One side of the WebGPU-vs-native comparison, run as its own process with `NER_BACKEND` set (tfjs-node's
 * binding is process-wide and lib/backend picks one backend per process). Prints one JSON line: a
 * {@link BackendRun}.
 *
 *     NER_BACKEND=webgpu deno run -A tests/webgpu/backend_run.ts --outputs DIR [--model FOLDER] [--memory-steps N]
 *
 * - `fixture`: logits, loss and gradients of data/fixtures/model/tiny-bert on its reference batch;
 * - `training`: per-step losses of a seeded smoke training of {@link TRAIN_STEPS} steps (trainProfile, so the
 *   trainer's step, evaluation and model saving all run on this backend), and the folder of its best model;
 * - `reloaded`: logits of the model folder `--model` (default: this run's) on a fixed batch;
 * - `entities`: what createNerPipeline finds with the fixture model in {@link PIPELINE_TEXTS};
 * - `evaluation`: the trainer's dev evaluation (evaluateSentences: tagging + strict seqeval) of the fixture
 *   model on the fixture corpus's dev split;
 * - `wordCrf`: per-step losses of a seeded `bilstm-crf-smoke` training of {@link TRAIN_STEPS} steps (the
 *   word-level BiLSTM-CRF: its hand-written LSTM and CRF gradients) and the test scores of its model
 *   (Viterbi tagging);
 * - `memory` (with `--memory-steps N`): tf.memory() after each of N more training steps.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type DeviceMemory, deviceMemory, initBackend } from "../../lib/backend/mod.ts";
import { BertForTokenClassification, bertTrainable, loadTokenClassifier } from "../../lib/model/mod.ts";
import { createNerPipeline } from "../../lib/predict/mod.ts";
import type { TokenBatch } from "../../lib/tokenizer/types.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import { AdamW, evaluateSentences, readTrainLog, trainProfile } from "../../lib/train/mod.ts";
import { loadSplit } from "../../lib/train/load_split.ts";
import type { EvalScores } from "../../lib/train/metrics_file.ts";
import { tokenClassificationLoss } from "../../lib/model/bert/loss.ts";
import { trainStep } from "../../lib/train/step.ts";
import { reference, referenceBatch, TINY_BERT } from "../model/reference.ts";

/** Steps of the seeded smoke training compared step by step. */
export const TRAIN_STEPS = 8;

/**
 * Texts createNerPipeline tags with the fixture model (random weights: it finds entities everywhere, which is
 * what a comparison needs); the second is longer than its 64 positions, so it is windowed.
 */
export const PIPELINE_TEXTS = [reference.text, Array(6).fill(reference.text).join(" ")];

/** What one backend computed. */
export interface BackendRun {
  backend: string;
  detail: string;
  fixture: { logits: number[]; loss: number; gradients: Record<string, number[]> };
  training: { losses: number[]; modelDir: string };
  reloaded: { logits: number[] };
  entities: { text: string; start: number; end: number; type: string; score: number }[][];
  evaluation: EvalScores;
  wordCrf: { losses: number[]; test: EvalScores };
  memory?: { step: number; numTensors: number; numBytes: number; device?: DeviceMemory }[];
}

async function fixtureLogitsAndGradients(): Promise<BackendRun["fixture"]> {
  const model = await loadTokenClassifier(TINY_BERT);
  const batch = { ...referenceBatch(), labels: Int32Array.from(reference.labels.flat()) };
  const logits = model.forward(batch);
  const variables = [...model.parameters.values()];
  const { value, grads } = tf.variableGrads(
    () => tf.tidy(() => tokenClassificationLoss(model.forward(batch), batch.labels)),
    variables,
  );
  const names = [...model.parameters.keys()];
  const gradients: Record<string, number[]> = {};
  for (const [i, variable] of variables.entries()) {
    gradients[names[i]] = Array.from(await grads[variable.name].data());
  }
  const result = { logits: Array.from(await logits.data()), loss: (await value.data())[0], gradients };
  tf.dispose([logits, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

/** A seeded training of `profile` for {@link TRAIN_STEPS} steps: its per-step losses, model and test scores. */
async function seededTraining(profile: string, outputsDir: string) {
  const { layout, metrics } = await trainProfile({
    profile,
    overrides: { maxSteps: TRAIN_STEPS, logEverySteps: 1 },
    outputsDir,
    quiet: true,
  });
  const losses = (await readTrainLog(layout.log)).flatMap((line) => line.kind === "step" ? [line.loss] : []);
  return { losses, modelDir: layout.best, test: metrics.test };
}

/** A fixed batch for the smoke-sized models: ids below the fixture vocabulary size, some padding. */
function fixedBatch(vocabSize: number): TokenBatch {
  const batchSize = 3, seqLength = 16;
  const size = batchSize * seqLength;
  return {
    batchSize,
    seqLength,
    inputIds: Int32Array.from({ length: size }, (_, i) => 5 + (i * 37) % (vocabSize - 5)),
    attentionMask: Int32Array.from({ length: size }, (_, i) => (i % seqLength < 12 + (i % 3) ? 1 : 0)),
    tokenTypeIds: new Int32Array(size),
  };
}

async function reloadedModel(modelDir: string): Promise<BackendRun["reloaded"]> {
  const model = await loadTokenClassifier(modelDir);
  const logitsTensor = model.forward(fixedBatch(model.config.vocab_size));
  const logits = Array.from(await logitsTensor.data());
  logitsTensor.dispose();
  model.dispose();
  return { logits };
}

async function pipelineEntities(): Promise<BackendRun["entities"]> {
  const ner = await createNerPipeline({ model: TINY_BERT });
  const entities = [];
  for (const text of PIPELINE_TEXTS) {
    entities.push(
      (await ner(text)).map(({ text, start, end, type, score }) => ({ text, start, end, type, score })),
    );
  }
  ner.dispose();
  return entities;
}

async function fixtureEvaluation(): Promise<EvalScores> {
  const model = await loadTokenClassifier(TINY_BERT);
  const { sentences } = await loadSplit("data/fixtures/train", "dev");
  const tokenizer = await loadBertTokenizer(join(TINY_BERT, "vocab.txt"));
  const trained = bertTrainable({ model, tokenizer, maxLength: 32, stride: 8, evalBatchSize: 64 });
  const scores = await evaluateSentences(trained, sentences);
  trained.dispose();
  return scores;
}

/** tf.memory() after each of `steps` training steps of a fresh smoke-sized model (same batch every step). */
async function memoryOverSteps(modelDir: string, steps: number): Promise<NonNullable<BackendRun["memory"]>> {
  const trained = await loadTokenClassifier(modelDir);
  const model = BertForTokenClassification.create(trained.config, { seed: 1 });
  trained.dispose();
  const optimizer = new AdamW(model.parameters);
  const batch = fixedBatch(model.config.vocab_size);
  batch.labels = Int32Array.from(batch.attentionMask, (mask, i) => (mask ? i % 5 : -100));
  const trace: NonNullable<BackendRun["memory"]> = [];
  for (let step = 1; step <= steps; step++) {
    await trainStep({ model, optimizer, batch, learningRate: 1e-3, maxGradNorm: 1, dropoutSeed: step });
    const { numTensors, numBytes } = tf.memory();
    trace.push({ step, numTensors, numBytes, device: deviceMemory() });
  }
  optimizer.dispose();
  model.dispose();
  return trace;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { outputs: { type: "string" }, model: { type: "string" }, "memory-steps": { type: "string" } },
  });
  if (!values.outputs) throw new Error("backend_run.ts: --outputs DIR is required");
  const choice = await initBackend();
  const fixture = await fixtureLogitsAndGradients();
  const { losses, modelDir } = await seededTraining("smoke", join(values.outputs, choice.name));
  const training = { losses, modelDir };
  const reloaded = await reloadedModel(values.model ?? training.modelDir);
  const entities = await pipelineEntities();
  const evaluation = await fixtureEvaluation();
  const word = await seededTraining("bilstm-crf-smoke", join(values.outputs, choice.name));
  const wordCrf = { losses: word.losses, test: word.test };
  const memorySteps = Number(values["memory-steps"] ?? 0);
  const memory = memorySteps > 0 ? await memoryOverSteps(training.modelDir, memorySteps) : undefined;
  const run: BackendRun = {
    backend: choice.name,
    detail: choice.detail ?? "",
    fixture,
    training,
    reloaded,
    entities,
    evaluation,
    wordCrf,
    memory,
  };
  console.log(JSON.stringify(run));
}
