/**
 * Synthetic predictions: gold tags with seeded, realistic mistakes (missed entities, wrong types, boundary
 * shifts, split entities, lone I- starts, spurious entities). They stand in for a model's output in the
 * benchmark and in tests, where the point is the evaluation code, not the model.
 *
 * @module
 */
import { entityTag, OUTSIDE, parseTag } from "../bio/tags.ts";
import type { Sentence } from "../bio/types.ts";
import { spansBySentence } from "../metrics/mod.ts";
import { SeededRandom } from "../util/random.ts";

/** How often each mistake is made (per gold entity, except `spurious`: per sentence). */
export interface PerturbOptions {
  /** Seed of the deterministic generator. Default 1. */
  seed?: number;
  missed?: number;
  wrongType?: number;
  boundary?: number;
  split?: number;
  /** B-X becomes I-X: the same entity in default mode, none in strict mode. */
  loneInside?: number;
  spurious?: number;
}

const DEFAULT_RATES = {
  missed: 0.06,
  wrongType: 0.03,
  boundary: 0.06,
  split: 0.02,
  loneInside: 0.03,
  spurious: 0.08,
};

/**
 * Returns copies of the sentences whose tags carry synthetic mistakes (words and offsets unchanged).
 *
 * @example
 * ```ts
 * import { analyzeErrors } from "./analyze.ts";
 * declare const goldTest: any; // the example's inputs
 * const predicted = perturbTags(goldTest, { seed: 7 });
 * analyzeErrors({ gold: goldTest, predicted }).counts.all; // some of every kind
 * ```
 */
export function perturbTags(sentences: readonly Sentence[], options: PerturbOptions = {}): Sentence[] {
  const rates = { ...DEFAULT_RATES, ...options };
  const generator = new SeededRandom(options.seed ?? 1);
  const next = () => generator.next();
  const spans = spansBySentence(sentences.map((s) => s.tags), { mode: "strict" });
  const types = [...new Set(spans.flat().map((s) => s.type))].sort();
  const otherType = (type: string) => types[(types.indexOf(type) + 1) % types.length];
  return sentences.map((sentence, i) => {
    const tags = sentence.tags.slice();
    const n = tags.length;
    const mark = (start: number, end: number, type: string) => {
      for (let k = start; k < end; k++) tags[k] = entityTag(k === start ? "B" : "I", type);
    };
    for (const span of spans[i]) {
      let r = next();
      if ((r -= rates.missed) < 0) {
        tags.fill(OUTSIDE, span.start, span.end);
      } else if ((r -= rates.wrongType) < 0) {
        mark(span.start, span.end, otherType(span.type));
      } else if ((r -= rates.boundary) < 0) {
        // Grow to the right over an O word, else shrink from the left, else grow to the left.
        if (span.end < n && tags[span.end] === OUTSIDE) mark(span.start, span.end + 1, span.type);
        else if (span.end - span.start > 1) {
          (tags[span.start] = OUTSIDE), mark(span.start + 1, span.end, span.type);
        } else if (span.start > 0 && tags[span.start - 1] === OUTSIDE) {
          mark(span.start - 1, span.end, span.type);
        }
      } else if ((r -= rates.split) < 0) {
        if (span.end - span.start > 1) {
          tags[span.start + ((span.end - span.start) >> 1)] = entityTag("B", span.type);
        }
      } else if ((r -= rates.loneInside) < 0) {
        if (span.start === 0 || tags[span.start - 1] === OUTSIDE) {
          tags[span.start] = entityTag("I", span.type);
        }
      }
    }
    if (types.length > 0 && n > 0 && next() < rates.spurious) {
      const k = Math.floor(next() * n);
      if (tags[k] === OUTSIDE && (k + 1 >= n || parseTag(tags[k + 1])?.prefix !== "I")) {
        tags[k] = entityTag("B", types[Math.floor(next() * types.length)]);
      }
    }
    return { ...sentence, tags };
  });
}
