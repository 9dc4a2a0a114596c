/**
 * The word-level model's two entries of the model-type registry (lib/model/registry.ts): "word-crf", a folder
 * of one model (config.json's model_type), and "word-crf-multi", a multi-corpus folder (corpora.json: one
 * encoder, a head per corpus, each corpus's model an ordinary word-crf folder). Both train profiles of
 * `model.architecture: "word-crf"`: on one corpus, or on several at once.
 *
 * @module
 */
import { join } from "node:path";
import type { ExportResult, ModelProfile, ModelType } from "../model_type.ts";
import { isWordCrfConfig, loadWordCrfModel, WORD_CRF_MODEL_TYPE } from "./folder.ts";
import { MergedHeadsScorer } from "./merged_heads.ts";
import {
  CORPORA_FILE,
  disposeMultiWordCrfModel,
  isMultiWordCrfFolder,
  loadMultiWordCrfModel,
  readCorpusFolders,
} from "./multi.ts";
import { exportWordCrfOnnx } from "./onnx_export.ts";
import { WordCrfScorer } from "./scorer.ts";
import { WORD_CRF_ARCHITECTURE, type WordCrfModelSummary, type WordCrfSpec } from "./spec.ts";
import {
  MULTI_WORD_CRF_MODEL_TYPE,
  multiWordCrfTrainable,
  newMultiWordCrfModel,
  newWordCrfModel,
  wordCrfTrainable,
} from "./trainable.ts";

/** What the training adapters take of a word-level profile. */
function adapterOptions(profile: ModelProfile<WordCrfSpec>) {
  return { singletonUnkRate: profile.model.singletonUnkRate, evalBatchSize: profile.evalBatchSize };
}

/** A word-level model folder: config.json, vocab.json, model.safetensors (lib/model/word_crf/folder.ts). */
export const WORD_CRF_TYPE: ModelType<WordCrfSpec, WordCrfModelSummary> = {
  modelType: WORD_CRF_MODEL_TYPE,
  architecture: WORD_CRF_ARCHITECTURE,
  corpora: "one",
  holds: (_dir, config) => Promise.resolve(isWordCrfConfig(config)),
  build(profile, { corpora: [corpus], log }) {
    const spec = profile.model;
    const model = newWordCrfModel(spec.config, {
      labels: corpus.labels,
      train: corpus.sentences,
      seed: profile.seed,
      consistency: spec.consistency,
      reportedTypes: corpus.reportedTypes,
    });
    log(
      `word-level model: ${model.vocab.wordCount} word keys, ${model.vocab.charCount} characters (from train)`,
    );
    return Promise.resolve(wordCrfTrainable(model, { train: corpus.sentences, ...adapterOptions(profile) }));
  },
  async load(dir, { profile, corpora }) {
    return wordCrfTrainable(await loadWordCrfModel(dir), {
      train: corpora?.[0].sentences,
      ...adapterOptions(profile),
    });
  },
  inference: {
    // The export (onnx_export.ts) computes the emissions; decoding stays in TypeScript on either runtime.
    tfjsOnly: () => Promise.resolve(undefined),
    async load(dir, options = {}) {
      const model = await loadWordCrfModel(dir);
      if (options.documentRules === false) delete model.network.config.consistency;
      return { classifier: new WordCrfScorer(model) };
    },
  },
  export: { graph: "word-emissions", write: exportWordCrfOnnx },
};

/** A multi-corpus folder (lib/model/word_crf/multi.ts): corpora.json and one word-crf folder per corpus. */
export const WORD_CRF_MULTI_TYPE: ModelType<WordCrfSpec, WordCrfModelSummary> = {
  modelType: MULTI_WORD_CRF_MODEL_TYPE,
  architecture: WORD_CRF_ARCHITECTURE,
  corpora: "several",
  holds: (dir) => isMultiWordCrfFolder(dir),
  build(profile, { corpora, log }) {
    const spec = profile.model;
    const model = newMultiWordCrfModel(spec.config, {
      train: corpora,
      seed: profile.seed,
      consistency: spec.consistency,
    });
    log(
      `word-level model: ${model.models[0].vocab.wordCount} word keys, ${
        model.models[0].vocab.charCount
      } characters (from every corpus's training sentences); one encoder, ${corpora.length} heads`,
    );
    return Promise.resolve(multiWordCrfTrainable(model, { train: corpora, ...adapterOptions(profile) }));
  },
  async load(dir, { profile, corpora }) {
    return multiWordCrfTrainable(await loadMultiWordCrfModel(dir), {
      train: corpora,
      ...adapterOptions(profile),
    });
  },
  // A model trained for unified types tags them with its heads merged (merged_heads.ts); the export is per
  // corpus (one encoder copy each), so the merge runs on tfjs.
  inference: {
    tfjsOnly: () =>
      Promise.resolve({
        holds: `merges per-corpus heads (${CORPORA_FILE})`,
        reason: `per-corpus heads merged (${CORPORA_FILE}): tfjs`,
      }),
    async load(dir, options = {}) {
      const model = await loadMultiWordCrfModel(dir);
      if (!model.unified) {
        disposeMultiWordCrfModel(model);
        throw new Error(
          `${dir} holds a ${MULTI_WORD_CRF_MODEL_TYPE} model without unified types (${CORPORA_FILE}), which is ` +
            `not scored as a whole: give one of its corpus folders (${model.corpora.join(", ")})`,
        );
      }
      if (options.documentRules === false) {
        for (const { network } of model.models) delete network.config.consistency;
      }
      return { classifier: new MergedHeadsScorer({ ...model, unified: model.unified }) };
    },
  },
  // Each corpus's folder is an ordinary word-level folder: each gets its own export (one atomic export per
  // corpus; a failure leaves the corpora before it exported, the rest as they were).
  export: {
    graph: "word-emissions",
    async write(dir, options) {
      const results: ExportResult[] = [];
      for (const name of await readCorpusFolders(dir)) {
        results.push(...await exportWordCrfOnnx(join(dir, name), options));
      }
      return results;
    },
  },
};
