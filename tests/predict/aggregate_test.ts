/**
 * The aggregation arithmetic, driven by hand-made probabilities whose expected results are worked out in
 * the comments (transformers' TokenClassificationPipeline semantics).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { aggregateTokens, firstSubwordTags, softmaxRows, splitLabel } from "../../lib/predict/aggregate.ts";
import type { AggregationStrategy, Entity, ScoredToken } from "../../lib/predict/types.ts";

const labels = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"];
//            words:  0=Naloxone   1=reverses   2=hypotension
const text = "Naloxone reverses hypotension";

function token(token: string, wordId: number, start: number, end: number, scores: number[]): ScoredToken {
  return { token, wordId, start, end, scores: new Float32Array(scores) };
}

//                                             O     B-Chem I-Chem B-Dis  I-Dis
const tokens = [
  token("Na", 0, 0, 2, [0.10, 0.70, 0.10, 0.05, 0.05]), // B-Chemical 0.7
  token("##lox", 0, 2, 5, [0.10, 0.10, 0.20, 0.10, 0.50]), // I-Disease 0.5
  token("##one", 0, 5, 8, [0.02, 0.02, 0.90, 0.03, 0.03]), // I-Chemical 0.9
  token("reverses", 1, 9, 17, [0.90, 0.025, 0.025, 0.025, 0.025]), // O
  token("hypo", 2, 18, 22, [0.20, 0.05, 0.05, 0.60, 0.10]), // B-Disease 0.6
  token("##tension", 2, 22, 29, [0.10, 0.02, 0.03, 0.05, 0.80]), // I-Disease 0.8
];

function run(strategy: AggregationStrategy): Entity[] {
  return aggregateTokens(tokens, { labels, text, strategy });
}

function assertEntities(actual: Entity[], expected: Omit<Entity, "text">[]): void {
  assertEquals(actual.length, expected.length, JSON.stringify(actual));
  actual.forEach((entity, i) => {
    const { score, ...rest } = expected[i];
    assertEquals({ ...entity, score: 0 }, { ...rest, text: text.slice(rest.start, rest.end), score: 0 });
    assertAlmostEquals(entity.score, score, 1e-6);
  });
}

Deno.test("none: one entity per non-O subword, carrying its full label", () => {
  assertEntities(run("none"), [
    { start: 0, end: 2, type: "Chemical", tag: "B-Chemical", score: 0.7 },
    { start: 2, end: 5, type: "Disease", tag: "I-Disease", score: 0.5 },
    { start: 5, end: 8, type: "Chemical", tag: "I-Chemical", score: 0.9 },
    { start: 18, end: 22, type: "Disease", tag: "B-Disease", score: 0.6 },
    { start: 22, end: 29, type: "Disease", tag: "I-Disease", score: 0.8 },
  ]);
});

Deno.test("simple: tokens grouped by type, so a word can be split; score is the mean", () => {
  assertEntities(run("simple"), [
    { start: 0, end: 2, type: "Chemical", score: 0.7 }, // "Na"
    { start: 2, end: 5, type: "Disease", score: 0.5 }, // "lox": the type changes
    { start: 5, end: 8, type: "Chemical", score: 0.9 }, // "one"
    { start: 18, end: 29, type: "Disease", score: (0.6 + 0.8) / 2 }, // B + I merge
  ]);
});

Deno.test("first: each word takes its first subword's label and score", () => {
  assertEntities(run("first"), [
    { start: 0, end: 8, type: "Chemical", score: 0.7 },
    { start: 18, end: 29, type: "Disease", score: 0.6 },
  ]);
});

Deno.test("average: argmax of the subwords' mean probabilities", () => {
  // Naloxone: mean = [0.0733, 0.2733, 0.4, 0.06, 0.1933] → I-Chemical 0.4
  // hypotension: mean = [0.15, 0.035, 0.04, 0.325, 0.45] → I-Disease 0.45
  assertEntities(run("average"), [
    { start: 0, end: 8, type: "Chemical", score: (0.1 + 0.2 + 0.9) / 3 },
    { start: 18, end: 29, type: "Disease", score: (0.1 + 0.8) / 2 },
  ]);
});

Deno.test("max: each word takes the label of its most confident subword", () => {
  assertEntities(run("max"), [
    { start: 0, end: 8, type: "Chemical", score: 0.9 }, // ##one
    { start: 18, end: 29, type: "Disease", score: 0.8 }, // ##tension
  ]);
});

Deno.test("grouping: B- always opens an entity, I- continues only the same type", () => {
  const words = "a b c d e".split(" ");
  const tags = ["B-Chemical", "I-Chemical", "B-Chemical", "I-Disease", "I-Disease"];
  const oneHot = (tag: string) => labels.map((l) => (l === tag ? 1 : 0));
  const stream = words.map((w, i) => token(w, i, 2 * i, 2 * i + 1, oneHot(tags[i])));
  const entities = aggregateTokens(stream, { labels, text: "a b c d e", strategy: "first" });
  assertEquals(entities.map((e) => [e.text, e.type]), [["a b", "Chemical"], ["c", "Chemical"], [
    "d e",
    "Disease",
  ]]);
});

Deno.test("softmaxRows: stable softmax per row", () => {
  const [first, second] = softmaxRows([0, Math.log(3), 1000, 1000], 2);
  assertAlmostEquals(first[0], 0.25, 1e-6);
  assertAlmostEquals(first[1], 0.75, 1e-6);
  assertEquals(Array.from(second), [0.5, 0.5]); // no overflow at large logits
});

Deno.test("firstSubwordTags: one tag per word from its first subword; O for a word without tokens", () => {
  assertEquals(firstSubwordTags(tokens, 4, labels), ["B-Chemical", "O", "B-Disease", "O"]);
});

Deno.test("splitLabel: labels without a B-/I- prefix count as I", () => {
  assertEquals(splitLabel("B-Chemical"), { prefix: "B", type: "Chemical" });
  assertEquals(splitLabel("O"), { prefix: "I", type: "O" });
});
