/**
 * BERT's entry of the model-type registry (lib/model/registry.ts): a Hugging Face layout folder of a token
 * classifier (config.json's model_type "bert"), with a CRF head beside its weights when its profile asked for
 * one (`crf.safetensors`). It trains from pretrained weights or from scratch (optionally after MLM pretraining
 * on the training text), and exports to ONNX (onnx_export.ts).
 *
 * @module
 */
import { join } from "node:path";
import type { Sentence } from "../../bio/types.ts";
import { loadBertTokenizer } from "../../tokenizer/mod.ts";
import type { BertTokenizer } from "../../tokenizer/mod.ts";
import { CRF_HEAD_FILE, newCrfHead, readCrfHead } from "../crf/head.ts";
import type { BuildOptions, ModelProfile, ModelType } from "../model_type.ts";
import { checkVocabFitsModel, labelNames, makeBertConfig } from "./config.ts";
import { loadModelFolder, loadPretrained, resolveVocab, saveModelFolder } from "./folder.ts";
import { BertForTokenClassification } from "./network.ts";
import { exportOnnx } from "./onnx_export.ts";
import { loadTokenClassifierWithReport } from "./pretrained.ts";
import { BERT_ARCHITECTURE, type BertModelSummary, type BertSpec } from "./spec.ts";
import { bertTrainable } from "./trainable.ts";
import { type EncodedSplit, encodeSentences } from "./windows.ts";

/** `train` as windows of the profile's length and stride, labelled with `labels` (id = index). */
function encodeForProfile(
  tokenizer: BertTokenizer,
  profile: ModelProfile<BertSpec>,
  labels: readonly string[],
  train: readonly Sentence[],
): EncodedSplit {
  const label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
  return encodeSentences(tokenizer, train, {
    label2id,
    maxLength: profile.maxLength!,
    stride: profile.stride!,
  });
}

/** The window options of a profile's trainable BERT. */
function windowOptions(profile: ModelProfile<BertSpec>) {
  return { maxLength: profile.maxLength!, stride: profile.stride!, evalBatchSize: profile.evalBatchSize };
}

/** Whether `dir` holds a CRF head beside its BERT weights. */
function hasCrfHead(dir: string): Promise<boolean> {
  return Deno.stat(join(dir, CRF_HEAD_FILE)).then((s) => s.isFile, () => false);
}

/**
 * A token classifier trained from scratch: randomly initialised, or — with the profile's `pretraining` — with
 * an encoder first pretrained by MLM on the training text, that starting point saved (for the record).
 */
async function scratchModel(
  profile: ModelProfile<BertSpec>,
  args: { tokenizer: BertTokenizer; labels: readonly string[]; train: EncodedSplit } & BuildOptions,
): Promise<BertForTokenClassification> {
  const { tokenizer, train, log } = args;
  if (profile.model.init !== "scratch") throw new Error("scratchModel: the profile's model is pretrained");
  const sizes = profile.model.config;
  const config = makeBertConfig(
    { ...sizes, vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.specialIds.pad },
    { labels: args.labels, source: `profile ${profile.name}` },
  );
  const mlm = profile.pretraining;
  if (!mlm) return BertForTokenClassification.create(config, { seed: profile.seed });
  if (!args.pretraining) throw new Error(`profile ${profile.name}: MLM pretraining asked for, but not given`);
  log(`MLM pretraining: ${mlm.epochs} epochs over the training text, top ${mlm.topTokens} WordPieces`);
  const values = await args.pretraining.run({ sizes, tokenizer, windows: train.windows });
  try {
    const model = BertForTokenClassification.create(config, { seed: profile.seed, values });
    await saveModelFolder(model, tokenizer, args.pretraining.saveTo);
    return model;
  } finally {
    for (const tensor of values.values()) tensor.dispose();
  }
}

/** A Hugging Face BERT token-classifier folder (lib/model/bert/pretrained.ts), with its CRF head if any. */
export const BERT_TYPE: ModelType<BertSpec, BertModelSummary> = {
  modelType: "bert",
  architecture: BERT_ARCHITECTURE,
  corpora: "one",
  // Any other folder is read as BERT, whose loader says what is wrong with it.
  holds: () => Promise.resolve(true),
  async build(profile, options) {
    const { corpora: [corpus], log } = options;
    const spec = profile.model;
    const labels = corpus.labels;
    const pretrained = spec.init === "pretrained"
      ? await loadPretrained(spec.source, {
        labels,
        vocab: profile.vocab,
        seed: profile.seed,
        overrides: {
          hidden_dropout_prob: spec.hidden_dropout_prob,
          attention_probs_dropout_prob: spec.attention_probs_dropout_prob,
        },
        log,
      })
      : undefined;
    const tokenizer = pretrained?.tokenizer ?? await resolveVocab(profile.vocab!, log);
    let model = pretrained?.model;
    try {
      const positions = pretrained?.model.config.max_position_embeddings;
      if (positions !== undefined && (profile.maxLength ?? 0) > positions) {
        throw new Error(
          `maxLength ${profile.maxLength} exceeds the model's max_position_embeddings ${positions}; ` +
            `set maxLength to at most ${positions}`,
        );
      }
      const train = encodeForProfile(tokenizer, profile, labels, corpus.sentences);
      model ??= await scratchModel(profile, { ...options, tokenizer, labels, train });
      const crfHead = spec.crf ? newCrfHead(labels.length) : undefined;
      return bertTrainable({ model, tokenizer, train, crfHead, ...windowOptions(profile) });
    } catch (error) {
      model?.dispose();
      throw error;
    }
  },
  async load(dir, { profile, corpora }) {
    const { model, tokenizer } = await loadModelFolder(dir);
    try {
      const labels = labelNames(model.config);
      const crfHead = await readCrfHead(dir, labels.length);
      const train = encodeForProfile(tokenizer, profile, labels, corpora?.[0].sentences ?? []);
      return bertTrainable({ model, tokenizer, train, crfHead, ...windowOptions(profile) });
    } catch (error) {
      model.dispose();
      throw error;
    }
  },
  inference: {
    // A CRF decodes whole sentences, which the export (logits only) cannot.
    tfjsOnly: async (dir) =>
      await hasCrfHead(dir)
        ? { holds: `has a CRF head (${CRF_HEAD_FILE})`, reason: `CRF head (${CRF_HEAD_FILE}): tfjs` }
        : undefined,
    async load(dir) {
      const { model } = await loadTokenClassifierWithReport(dir);
      if (!await hasCrfHead(dir)) return { classifier: model };
      try {
        const crfHead = (await readCrfHead(dir, labelNames(model.config).length))!;
        const vocabPath = join(dir, "vocab.txt");
        const tokenizer = await loadBertTokenizer(vocabPath);
        checkVocabFitsModel(tokenizer.vocabSize, vocabPath, model.config);
        return { classifier: model, tokenizer, crfHead };
      } catch (error) {
        model.dispose();
        throw error;
      }
    },
  },
  export: { graph: "token-logits", write: async (dir, options) => [await exportOnnx(dir, options)] },
};
