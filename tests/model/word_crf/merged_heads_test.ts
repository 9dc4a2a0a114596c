/**
 * Merging per-corpus heads into unified types (lib/model/word_crf/merged_heads.ts's `mergeHeadReadings`): the
 * union of the heads' entities in unified types, overlaps settled by the share of capable heads' probability,
 * dropped types left out, each word's scores a distribution.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { type HeadReading, mergeHeadReadings } from "../../../lib/model/word_crf/merged_heads.ts";

const LABELS = ["O", "B-Chemical", "I-Chemical", "B-Gene", "I-Gene"];
const CDR = {
  labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"],
  types: { Chemical: "Chemical" },
};
const GM = { labels: ["O", "B-GENE", "I-GENE"], types: { GENE: "Gene" } };

/** A head's reading: decoded ids, and each word's probability of its decoded label (the rest on O). */
function reading(head: Omit<HeadReading, "scored">, ids: number[], p: number[]): HeadReading {
  const scores = ids.map((id, i) => {
    const row = new Float32Array(head.labels.length);
    row[id] += p[i];
    row[0] += 1 - p[i];
    return row;
  });
  return { ...head, scored: { labelIds: ids, scores } };
}

const tags = (ids: number[]) => ids.map((id) => LABELS[id]);

Deno.test("merged heads: the union of the heads' entities in unified types; a type no unified type maps is left out", () => {
  const merged = mergeHeadReadings(
    [reading(CDR, [1, 0, 3, 4, 0], [0.9, 1, 0.8, 0.8, 1]), reading(GM, [0, 0, 0, 0, 1], [1, 1, 1, 1, 0.7])],
    LABELS,
    new Map([["Chemical", 1], ["Gene", 1]]),
  );
  // CDR's Disease (words 2-3) has no unified type here: not reported; GM's gene at word 4 is.
  assertEquals(tags(merged.labelIds), ["B-Chemical", "O", "O", "O", "B-Gene"]);
  assertAlmostEquals(merged.scores[0][1], 0.9, 1e-6);
  assertAlmostEquals(merged.scores[4][3], 0.7, 1e-6);
  for (const row of merged.scores) assertAlmostEquals(row.reduce((a, b) => a + b, 0), 1, 1e-6);
});

Deno.test("merged heads: overlapping spans settled by the mean over the heads able to tag the type, then length", () => {
  const gene = (ids: number[], p: number[]) => reading(GM, ids, p);
  // Three gene heads: two read "a b" as one gene, one reads "a" alone (more sure); two of three win.
  const three = mergeHeadReadings(
    [gene([1, 2], [0.6, 0.6]), gene([1, 2], [0.6, 0.6]), gene([1, 0], [1, 1])],
    LABELS,
    new Map([["Gene", 3]]),
  );
  assertEquals(tags(three.labelIds), ["B-Gene", "I-Gene"]);
  assertAlmostEquals(three.scores[0][3], 0.4, 1e-6);
  // A chemical one head of one tags (0.9) over a gene one head of three tags (1/3): per-type shares compared.
  const mixed = mergeHeadReadings(
    [reading(CDR, [1, 2], [0.9, 0.9]), gene([1, 2], [1, 1]), gene([0, 0], [1, 1]), gene([0, 0], [1, 1])],
    LABELS,
    new Map([["Chemical", 1], ["Gene", 3]]),
  );
  assertEquals(tags(mixed.labelIds), ["B-Chemical", "I-Chemical"]);
  // Equal scores: the longer span.
  const tie = mergeHeadReadings(
    [gene([1, 0], [1, 1]), gene([1, 2], [1, 1])],
    LABELS,
    new Map([["Gene", 2]]),
  );
  assertEquals(tags(tie.labelIds), ["B-Gene", "I-Gene"]);
  // A word outside every taken span keeps the best candidate over it as its score.
  const outside = mergeHeadReadings(
    [gene([1, 2, 0], [1, 1, 1]), gene([0, 1, 2], [1, 0.2, 0.2])],
    LABELS,
    new Map([["Gene", 2]]),
  );
  assertEquals(tags(outside.labelIds), ["B-Gene", "I-Gene", "O"]);
  assertAlmostEquals(outside.scores[2][4], 0.1, 1e-6);
  assertAlmostEquals(outside.scores[2][0], 0.9, 1e-6);
});
