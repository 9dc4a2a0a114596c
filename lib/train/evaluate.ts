/**
 * Evaluation during and after training: tag sentences with the model (first-subword rule, windows merged as
 * in inference) and score them with strict-mode (IOB2) seqeval.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { getIob2Entities } from "../metrics/entities.ts";
import type { TokenClassifier } from "../model/types.ts";
import { firstSubwordTags } from "../predict/aggregate.ts";
import { scoreSentences } from "../predict/score.ts";
import type { BertTokenizer } from "../tokenizer/mod.ts";
import type { EvalScores } from "./metrics_file.ts";

/** Options of {@link evaluateSentences}. */
export interface EvaluateOptions {
  model: TokenClassifier;
  tokenizer: BertTokenizer;
  sentences: readonly Sentence[];
  maxLength: number;
  stride: number;
  batchSize: number;
}

/**
 * Strict-mode seqeval precision, recall and F1 (micro and per type) of the model's tags on `sentences`.
 *
 * @example
 * ```ts
 * const dev = await evaluateSentences({ model, tokenizer, sentences, maxLength: 128, stride: 32, batchSize: 64 });
 * console.log(dev.f1, dev.perType.Chemical.f1);
 * ```
 */
export async function evaluateSentences(options: EvaluateOptions): Promise<EvalScores> {
  const predicted = await tagSentences(options);
  return strictScores(options.sentences.map((s) => s.tags), predicted);
}

/** Predicted IOB2 tags, one list per sentence, in input order. */
async function tagSentences(options: EvaluateOptions): Promise<string[][]> {
  const { model, tokenizer, sentences } = options;
  const labels = Object.keys(model.config.id2label).sort((a, b) => Number(a) - Number(b))
    .map((id) => model.config.id2label[id]);
  // Sentences of similar length share batches (less padding); results go back to input order.
  const order = sentences.map((_, i) => i).sort((a, b) =>
    sentences[a].words.length - sentences[b].words.length
  );
  const tags: string[][] = new Array(sentences.length);
  const scored = scoreSentences(order, (i) => sentences[i].words, {
    classifier: model,
    tokenizer,
    batchSize: options.batchSize,
    maxLength: options.maxLength,
    stride: options.stride,
  });
  for await (const { item, tokens } of scored) {
    tags[item] = firstSubwordTags(tokens, sentences[item].words.length, labels);
  }
  return tags;
}

function strictScores(gold: string[][], predicted: string[][]): EvalScores {
  const key = (e: { sentence: number; type: string; start: number; end: number }) =>
    `${e.sentence}:${e.start}:${e.end}:${e.type}`;
  const goldEntities = getIob2Entities(gold);
  const predEntities = getIob2Entities(predicted);
  const goldKeys = new Set(goldEntities.map(key));
  const types = [...new Set([...goldEntities, ...predEntities].map((e) => e.type))].sort();
  const count = (type?: string) => {
    const g = goldEntities.filter((e) => !type || e.type === type);
    const p = predEntities.filter((e) => !type || e.type === type);
    const tp = p.filter((e) => goldKeys.has(key(e))).length;
    const precision = p.length ? tp / p.length : 0;
    const recall = g.length ? tp / g.length : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { precision, recall, f1, support: g.length };
  };
  const micro = count();
  return {
    precision: micro.precision,
    recall: micro.recall,
    f1: micro.f1,
    perType: Object.fromEntries(types.map((t) => [t, count(t)])),
  };
}
