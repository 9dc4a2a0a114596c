/**
 * Word-level tagging for evaluation and training: one predicted IOB2 tag per word of each sentence.
 *
 * @module
 */
import type { Sentence } from "../bio/types.ts";
import { labelNames } from "../model/bert/config.ts";
import { isWordLevelModel } from "../model/types.ts";
import { consistentCorpusTags } from "../bio/consistency.ts";
import { firstSubwordTags } from "./aggregate.ts";
import { type ScoreOptions, scoreSentences } from "./score.ts";

/**
 * Tags sentences with a model in memory: one predicted tag per word, by the first-subword rule (each word
 * takes the argmax label of its first subword, read from the window that owns the word — the rule training
 * labels with). Tags are the raw argmax labels; an `I-X` after `O` is left for the evaluation to judge. A
 * word-level model's tags are its decoded labels, after the document consistency rules its folder names.
 * Batches windows of consecutive sentences; dropout is off.
 *
 * @example
 * ```ts
 * declare const devSentences: any, model: any, tokenizer: any; // the example's inputs
 * const predicted = await tagSentences(devSentences, { classifier: model, tokenizer });
 * predicted[0].length === devSentences[0].words.length; // true
 * ```
 */
export async function tagSentences(
  sentences: Iterable<Sentence> | AsyncIterable<Sentence>,
  options: ScoreOptions,
): Promise<string[][]> {
  const { classifier } = options;
  const labels = labelNames(classifier.config);
  const items: Sentence[] = [];
  const tags: string[][] = [];
  for await (const { item, tokens } of scoreSentences(sentences, (s) => s.words, options)) {
    items.push(item);
    tags.push(firstSubwordTags(tokens, item.words.length, labels));
  }
  const consistency = isWordLevelModel(classifier) ? classifier.consistency : undefined;
  return consistency ? consistentCorpusTags(items, tags, consistency) : tags;
}
