/**
 * Preparing a run: everything that can be wrong with the input is checked before the first step (splits,
 * labels, window length), a killed session's half-done folder writes are finished or undone, and the model
 * to train is built — pretrained, from scratch, or from scratch after MLM pretraining.
 *
 * @module
 */
import { join } from "node:path";
import type { Sentence } from "../bio/types.ts";
import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import { recoverDirAtomic } from "../util/atomic.ts";
import { checkSentences, type EncodedSplit, encodeSentences, splitPath } from "./data.ts";
import type { TrainEvents } from "./events.ts";
import { loadSplit } from "./load_split.ts";
import { pretrainEncoder } from "./mlm.ts";
import { loadModelFolder, loadPretrained, resolveVocab, saveModelFolder } from "./model_io.ts";
import type { TrainProfile } from "./profile.ts";
import { resumable } from "./resume.ts";
import type { RunLayout } from "./run_layout.ts";

/** What {@link prepareRun} needs. */
export interface PrepareOptions {
  profile: TrainProfile;
  layout: RunLayout;
  outputsDir: string;
  /** As `TrainOptions.resume`. */
  resume?: boolean | "if-compatible";
  log: (message: string) => void;
  /** Where MLM pretraining's progress goes. */
  events?: TrainEvents;
  /** Aborting stops MLM pretraining before its next step. */
  signal?: AbortSignal;
}

/** A run ready to train. The caller disposes `model`. */
export interface PreparedRun {
  model: BertForTokenClassification;
  tokenizer: BertTokenizer;
  train: EncodedSplit;
  dev: Sentence[];
  /** Whether the run continues from its checkpoint. */
  resume: boolean;
}

/**
 * Loads and checks the data, recovers the run folder, decides whether to resume, and builds the model.
 *
 * @example
 * ```ts
 * import { loadProfile } from "./profile.ts";
 * import { runLayout } from "./run_layout.ts";
 * const profile = await loadProfile("smoke");
 * const outputsDir = await Deno.makeTempDir();
 * const layout = runLayout(outputsDir, "smoke");
 * const { model, train, dev, resume } = await prepareRun({ profile, layout, outputsDir, log: console.error });
 * console.log(train.windows.length, dev.length, resume); // 160 48 false
 * model.dispose();
 * ```
 */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const { profile, layout, outputsDir, log } = options;
  const labels = profile.labels;
  const pretrained = profile.model.init === "pretrained"
    ? await loadPretrained(profile.model.source, {
      labels,
      vocab: profile.vocab,
      seed: profile.seed,
      overrides: {
        hidden_dropout_prob: profile.model.hidden_dropout_prob,
        attention_probs_dropout_prob: profile.model.attention_probs_dropout_prob,
      },
      log,
    })
    : undefined;
  const tokenizer = pretrained?.tokenizer ?? await resolveVocab(profile.vocab!, log);
  let model = pretrained?.model;
  try {
    const splits = {} as Record<"train" | "dev", Sentence[]>;
    for (const split of ["train", "dev"] as const) {
      const { sentences, source } = await loadSplit(profile.data, split, { outputsDir, log });
      checkSentences(sentences, { split, labels, source });
      splits[split] = sentences;
    }
    // The test split is only read at the very end; that it exists is checked now.
    const testPath = splitPath(profile.data, "test", outputsDir);
    if (profile.data !== "bc5cdr" && !await Deno.stat(testPath).then((s) => s.isFile, () => false)) {
      throw new Error(`no test split: ${testPath} does not exist`);
    }
    // (A model from scratch was checked with the profile.)
    const positions = pretrained?.model.config.max_position_embeddings;
    if (positions !== undefined && profile.maxLength > positions) {
      throw new Error(
        `maxLength ${profile.maxLength} exceeds the model's max_position_embeddings ${positions}; ` +
          `set maxLength to at most ${positions}`,
      );
    }
    const label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
    const train = encodeSentences(tokenizer, splits.train, {
      label2id,
      maxLength: profile.maxLength,
      stride: profile.stride,
    });
    // Finish or undo folder writes a killed session left, and remove its half-built leftovers.
    for (const dir of [layout.best, layout.checkpoint, layout.pretrained]) await recoverDirAtomic(dir);
    const resume = await resumable({ resume: options.resume, profile, layout, log });
    // A fresh run leaves nothing of an earlier run under the same name (a model of it could be mistaken for ours).
    if (!resume) {
      for (const path of [layout.metrics, layout.best, layout.checkpoint, layout.pretrained]) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
      }
    }
    model ??= await scratchModel({ ...options, tokenizer, train, resume });
    log(
      `train: ${splits.train.length} sentences → ${train.windows.length} windows, ${train.tokens} tokens; ` +
        `dev: ${splits.dev.length} sentences; model ${parameterCount(model)} parameters`,
    );
    return { model, tokenizer, train, dev: splits.dev, resume };
  } catch (error) {
    model?.dispose();
    throw error;
  }
}

/**
 * A token classifier trained from scratch: randomly initialised, or — with a `pretraining` section — with an
 * encoder first pretrained by MLM on the training text. The pretrained starting point is saved to
 * `outputs/<run>/pretrained/` so that a resumed run does not pretrain again.
 */
async function scratchModel(
  args: PrepareOptions & { tokenizer: BertTokenizer; train: EncodedSplit; resume: boolean },
): Promise<BertForTokenClassification> {
  const { profile, tokenizer, train, layout, log } = args;
  if (profile.model.init !== "scratch") throw new Error("scratchModel: the profile's model is pretrained");
  const config = makeBertConfig(
    { ...profile.model.config, vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.specialIds.pad },
    { labels: profile.labels, source: `profile ${profile.name}` },
  );
  const mlm = profile.pretraining;
  if (!mlm) return BertForTokenClassification.create(config, { seed: profile.seed });
  if (args.resume && await Deno.stat(join(layout.pretrained, "config.json")).then(() => true, () => false)) {
    log(`MLM pretraining: reusing ${layout.pretrained}`);
    return (await loadModelFolder(layout.pretrained)).model;
  }
  log(`MLM pretraining: ${mlm.epochs} epochs over the training text, top ${mlm.topTokens} WordPieces`);
  const values = await pretrainEncoder({
    sizes: profile.model.config,
    tokenizer,
    windows: train.windows,
    mlm,
    seed: profile.seed,
    maxGradNorm: profile.maxGradNorm,
    weightDecay: profile.weightDecay,
    events: args.events,
    signal: args.signal,
  });
  try {
    const model = BertForTokenClassification.create(config, { seed: profile.seed, values });
    await saveModelFolder(model, tokenizer, layout.pretrained);
    return model;
  } finally {
    for (const tensor of values.values()) tensor.dispose();
  }
}

/**
 * The number of trainable values of a model.
 *
 * @example
 * ```ts
 * import { BertForTokenClassification, makeBertConfig } from "../model/mod.ts";
 * const config = { hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64 };
 * const model = BertForTokenClassification.create(makeBertConfig({ ...config, vocab_size: 100 }));
 * console.log(parameterCount(model));
 * ```
 */
export function parameterCount(model: BertForTokenClassification): number {
  let total = 0;
  for (const variable of model.parameters.values()) total += variable.size;
  return total;
}
