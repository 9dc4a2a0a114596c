/**
 * One tagger of unified types from a multi-corpus model's heads (Wang et al. 2019, Bioinformatics 35(10): one
 * shared encoder, one CRF head per corpus, each trained only on its own corpus's annotation, so no corpus
 * teaches "not an entity" about types it never annotated). The encoder reads a batch once; every head decodes
 * it in its own labels; each head's entities become unified types (corpora.json's `unified.heads`); then:
 *
 * - a candidate is a span with a unified type; its score is the mean, over the heads that can tag that type,
 *   of each head's probability for it (the mean marginal of its decoded tags on the span; 0 for a head that
 *   did not decode it) — the share of the type's annotation guidelines that call it so;
 * - candidates are taken best score first (then longer, then earlier), each unless it overlaps one already
 *   taken: the union of the heads' entities, overlaps settled by that score.
 *
 * A word's scores are the taken span's score for its label (and the rest for `O`), or, for a word outside every
 * taken span, the best candidate over it for that candidate's label.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { labelsOfTypes } from "../../bio/labels.ts";
import { entitySpans, entityTag, OUTSIDE, type TokenSpan } from "../../bio/tags.ts";
import type { ScoredWords, WordLevelModel } from "../types.ts";
import type { WordCrfConfig } from "./network.ts";
import { disposeMultiWordCrfModel, type MultiWordCrfModel, type UnifiedHeads } from "./multi.ts";
import { networkEmissionSource, scoreWordBatch } from "./scorer.ts";

/** One head's reading of a sentence: its labels, its types' unified types, what it decoded. */
export interface HeadReading {
  labels: readonly string[];
  /** Its entity types' unified types (a type not listed is left out). */
  types: Readonly<Record<string, string>>;
  scored: ScoredWords;
}

/**
 * One sentence's heads merged into unified labels `labels` (the module doc's rule); `capable` counts, per
 * unified type, the heads that can tag it.
 *
 * @example
 * ```ts
 * const gene = { labels: ["O", "B-GENE", "I-GENE"], types: { GENE: "Gene" } };
 * const labels = ["O", "B-Gene", "I-Gene"];
 * const p = (...row: number[]) => Float32Array.from(row);
 * mergeHeadReadings([
 *   { ...gene, scored: { labelIds: [1, 2], scores: [p(0.1, 0.9, 0), p(0.1, 0, 0.9)] } },
 *   { ...gene, scored: { labelIds: [1, 0], scores: [p(0.2, 0.8, 0), p(0.6, 0, 0.4)] } },
 * ], labels, new Map([["Gene", 2]])).labelIds; // [1, 2]: "a b" (score 0.45) over "a" (0.4)
 * ```
 */
export function mergeHeadReadings(
  readings: readonly HeadReading[],
  labels: readonly string[],
  capable: ReadonlyMap<string, number>,
): ScoredWords {
  const length = readings[0]?.scored.labelIds.length ?? 0;
  const candidates = new Map<string, TokenSpan & { score: number }>();
  for (const { labels: own, types, scored } of readings) {
    for (const span of entitySpans(scored.labelIds.map((id) => own[id]))) {
      const type = types[span.type];
      if (type === undefined) continue;
      let probability = 0;
      for (let i = span.start; i < span.end; i++) probability += scored.scores[i][scored.labelIds[i]];
      const key = `${span.start}:${span.end}:${type}`;
      const candidate = candidates.get(key) ?? { start: span.start, end: span.end, type, score: 0 };
      candidate.score += probability / (span.end - span.start) / capable.get(type)!;
      candidates.set(key, candidate);
    }
  }
  const ranked = [...candidates.values()].sort((a, b) =>
    b.score - a.score || (b.end - b.start) - (a.end - a.start) || a.start - b.start
  );
  const idOf = new Map(labels.map((label, id) => [label, id]));
  const outside = idOf.get(OUTSIDE)!;
  const labelIds = new Array<number>(length).fill(outside);
  const scores = Array.from({ length }, () => new Float32Array(labels.length));
  const taken = new Array<boolean>(length).fill(false);
  const best = new Array<number>(length).fill(0);
  for (const { start, end, type, score } of ranked) {
    const free = !taken.slice(start, end).includes(true);
    for (let i = start; i < end; i++) {
      if (!free && (taken[i] || score <= best[i])) continue;
      const id = idOf.get(entityTag(i === start ? "B" : "I", type))!;
      if (free) {
        taken[i] = true;
        labelIds[i] = id;
      }
      best[i] = score;
      scores[i].fill(0);
      scores[i][id] = score;
    }
  }
  scores.forEach((row, i) => row[outside] += 1 - best[i]);
  return { labelIds, scores };
}

/**
 * A multi-corpus model trained for unified types, as one word-level tagger of them (the module doc). Owns the
 * model: `dispose` frees it.
 */
export class MergedHeadsScorer implements WordLevelModel {
  readonly kind = "word-crf" as const;
  readonly config: Pick<WordCrfConfig, "id2label" | "label2id">;
  readonly consistency: WordCrfConfig["consistency"];
  readonly reportedTypes: WordCrfConfig["reported_types"];
  readonly #model: MultiWordCrfModel;
  readonly #unified: UnifiedHeads;
  readonly #labels: string[];
  readonly #capable: Map<string, number>;

  /**
   * @example
   * ```ts
   * import { loadMultiWordCrfModel } from "./multi.ts";
   * const model = await loadMultiWordCrfModel("outputs/bilstm-crf-all/best");
   * if (!model.unified) throw new Error("not trained for unified types");
   * const scorer = new MergedHeadsScorer({ ...model, unified: model.unified });
   * const [first] = await scorer.scoreWords([["BRCA1", "mutations", "in", "mice"]]);
   * ```
   */
  constructor(model: MultiWordCrfModel & { unified: UnifiedHeads }) {
    this.#model = model;
    this.#unified = model.unified;
    this.#labels = labelsOfTypes(model.unified.types);
    this.config = {
      id2label: Object.fromEntries(this.#labels.map((label, id) => [String(id), label])),
      label2id: Object.fromEntries(this.#labels.map((label, id) => [label, id])),
    };
    this.consistency = model.models[0].network.config.consistency;
    this.reportedTypes = model.unified.reported;
    this.#capable = new Map();
    for (const types of Object.values(model.unified.heads)) {
      for (const type of new Set(Object.values(types))) {
        this.#capable.set(type, (this.#capable.get(type) ?? 0) + 1);
      }
    }
  }

  /** Scores sentences (each a list of word strings) in one batch: the encoder once, every head, merged. */
  async scoreWords(sentences: readonly (readonly string[])[]): Promise<ScoredWords[]> {
    const { corpora, models } = this.#model;
    // Every head reads the same batch (scoreWordBatch builds it alike each time): the encoder runs once.
    let hidden: tf.Tensor2D | undefined;
    try {
      const perHead: ScoredWords[][] = [];
      for (const model of models) {
        perHead.push(
          await scoreWordBatch(
            sentences,
            networkEmissionSource(model, (batch) => {
              hidden ??= models[0].network.encode(batch);
              return model.network.headEmissions(hidden, batch);
            }),
          ),
        );
      }
      return sentences.map((_, s) =>
        mergeHeadReadings(
          models.map(({ network }, h) => ({
            labels: network.labels,
            types: this.#unified.heads[corpora[h]],
            scored: perHead[h][s],
          })),
          this.#labels,
          this.#capable,
        )
      );
    } finally {
      hidden?.dispose();
    }
  }

  dispose(): void {
    disposeMultiWordCrfModel(this.#model);
  }
}
