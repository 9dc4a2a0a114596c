/**
 * Entity extraction in seqeval's two modes. Expected values come from seqeval's documentation and test
 * suite (seqeval 1.2.2: README, docstrings, tests/test_metrics.py, tests/test_scheme.py), or are derived by
 * hand from the rules stated next to them.
 */
import { tagsFromSpans } from "../../lib/bio/tags.ts";
import { randomSpanCases } from "../bio/random_spans.ts";
import { assertEquals, assertThrows } from "@std/assert";
import {
  type Chunk,
  getEntities,
  getStrictEntities,
  parseDefaultTag,
  parseStrictTag,
  spansBySentence,
} from "../../lib/metrics/mod.ts";

const quiet = { onWarning: () => {} };

Deno.test("default mode: seqeval's documented get_entities examples", () => {
  assertEquals(getEntities(["B-PER", "I-PER", "O", "B-LOC"]), [["PER", 0, 1], ["LOC", 3, 3]]);
  assertEquals(getEntities(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "B-PER", "I-PER"]), [
    ["MISC", 3, 5],
    ["PER", 7, 8],
  ]);
  // Suffix style: the type comes first.
  assertEquals(
    getEntities(["O", "O", "O", "MISC-B", "MISC-I", "MISC-I", "O", "PER-B", "PER-I"], { suffix: true }),
    [["MISC", 3, 5], ["PER", 7, 8]],
  );
  // Bare prefixes have type "_"; nested input gets an implicit O after each sentence (offsets 7 and 11).
  assertEquals(getEntities([["O", "O", "O", "B", "I", "I", "O"], ["B", "I", "O"]]), [["_", 3, 5], [
    "_",
    8,
    9,
  ]]);
});

Deno.test("default mode: tags that are not NE tags are used but warned about (once per distinct tag)", () => {
  const warnings: string[] = [];
  const chunks = getEntities(["O", "MISC", "MISC", "O"], { onWarning: (m) => warnings.push(m) });
  assertEquals(warnings, ["MISC seems not to be NE tag."]);
  // "MISC" reads as prefix "M", type "ISC": a new type starts a chunk, the type change to O ends it.
  assertEquals(chunks, [["ISC", 1, 2]]);
  const suffixWarnings: string[] = [];
  getEntities(["PER"], { suffix: true, onWarning: (m) => suffixWarnings.push(m) });
  assertEquals(suffixWarnings, ["PER seems not to be NE tag."]);
});

Deno.test("default mode: conlleval's lenient reading of I- and of type changes", () => {
  const cases: [string[], Chunk[]][] = [
    // An I-X without a preceding B-X starts an entity.
    [["O", "I-PER", "I-PER", "O"], [["PER", 1, 2]]],
    [["I-PER"], [["PER", 0, 0]]],
    // A type change inside a run of I- tags ends one entity and starts another.
    [["I-PER", "I-LOC"], [["PER", 0, 0], ["LOC", 1, 1]]],
    [["B-PER", "I-LOC", "I-LOC"], [["PER", 0, 0], ["LOC", 1, 2]]],
    // B- always starts a new entity, even after the same type.
    [["B-PER", "B-PER"], [["PER", 0, 0], ["PER", 1, 1]]],
    [["I-PER", "B-PER"], [["PER", 0, 0], ["PER", 1, 1]]],
    // E- and S- act as in IOBES: S- is a one-word entity, E- closes one.
    [["S-PER", "B-LOC", "E-LOC"], [["PER", 0, 0], ["LOC", 1, 2]]],
    [["B-PER", "E-PER", "E-PER"], [["PER", 0, 1], ["PER", 2, 2]]],
    [["O", "E-PER"], [["PER", 1, 1]]],
    // A lone "I-" has an empty type, read as "_".
    [["I-", "I-"], [["_", 0, 1]]],
    // Only the first "-" separates the prefix: the rest is the type.
    [["B-ORG-COMPANY", "I-ORG-COMPANY"], [["ORG-COMPANY", 0, 1]]],
    // Python indexes code points: the prefix of a non-ASCII tag is one character.
    [["B-組織", "I-組織"], [["組織", 0, 1]]],
  ];
  for (const [tags, expected] of cases) assertEquals(getEntities(tags, quiet), expected, tags.join(" "));
});

Deno.test("default mode: sentences are separated by an implicit O", () => {
  // Without the separator B-PER I-PER would be one entity; with it the I-PER starts a second one at 2.
  assertEquals(getEntities([["B-PER"], ["I-PER"]]), [["PER", 0, 0], ["PER", 2, 2]]);
  assertEquals(getEntities([[], ["B-PER"]]), [["PER", 1, 1]]);
  assertEquals(getEntities([[]]), []);
  assertEquals(getEntities([]), []);
});

Deno.test("default mode: empty tags are an error", () => {
  assertThrows(() => getEntities(["O", ""]), Error, "empty tag");
});

Deno.test("tag parsing differs between modes as in seqeval", () => {
  assertEquals(parseDefaultTag("B-PER"), { prefix: "B", type: "PER" });
  assertEquals(parseDefaultTag("O"), { prefix: "O", type: "_" });
  assertEquals(parseDefaultTag("ORG-COMPANY-I", { suffix: true }), { prefix: "I", type: "ORG-COMPANY" });
  // Default mode keeps dashes after the first one; strict mode strips all leading and trailing dashes.
  assertEquals(parseDefaultTag("B--X-"), { prefix: "B", type: "-X-" });
  assertEquals(parseStrictTag("B--X-"), { prefix: "B", type: "X" });
  assertEquals(parseStrictTag("I-組織"), { prefix: "I", type: "組織" });
  assertEquals(parseStrictTag("I"), { prefix: "I", type: "_" });
});

Deno.test("strict IOB2: seqeval's test_iob2_tokens table", () => {
  const cases: [string[], [string, number, number][]][] = [
    [[], []],
    [["B-PER"], [["PER", 0, 1]]],
    [["I-PER"], []],
    [["O"], []],
    [["O", "I-PER"], []],
    [["O", "B-PER"], [["PER", 1, 2]]],
    [["I-PER", "O"], []],
    [["I-PER", "I-PER"], []],
    [["I-PER", "I-ORG"], []],
    [["I-PER", "B-PER"], [["PER", 1, 2]]],
    [["I-PER", "B-ORG"], [["ORG", 1, 2]]],
    [["B-PER", "O"], [["PER", 0, 1]]],
    [["B-PER", "I-PER"], [["PER", 0, 2]]],
    [["B-PER", "I-ORG"], [["PER", 0, 1]]],
    [["B-PER", "B-PER"], [["PER", 0, 1], ["PER", 1, 2]]],
    [["B-PER", "B-ORG"], [["PER", 0, 1], ["ORG", 1, 2]]],
    // Without types (test_iob2_tokens_without_tag).
    [["B"], [["_", 0, 1]]],
    [["I"], []],
    [["I", "B"], [["_", 1, 2]]],
    [["B", "I"], [["_", 0, 2]]],
    [["B", "B"], [["_", 0, 1], ["_", 1, 2]]],
  ];
  for (const [tags, expected] of cases) {
    const found = getStrictEntities([tags]).map((e): [string, number, number] => [e.type, e.start, e.end]);
    assertEquals(found, expected, JSON.stringify(tags));
  }
});

Deno.test("strict IOB2: offsets are per sentence and bad prefixes are errors naming the place", () => {
  assertEquals(getStrictEntities([["O"], ["B-PER", "I-PER"]]), [{
    sentence: 1,
    type: "PER",
    start: 0,
    end: 2,
  }]);
  assertThrows(() => getStrictEntities([["O", "S-PER"]], { name: "y_pred" }), Error, "y_pred[0][1]");
  assertThrows(() => getStrictEntities([["E-PER"]]), Error, "IOB2");
  assertThrows(() => getStrictEntities([["X-PER"]]), Error, "not supported");
  assertThrows(() => getStrictEntities([[""]]), Error, "empty tag");
});

Deno.test("spansBySentence gives sentence-local [start, end) spans in both modes", () => {
  const tags = [["O", "I-PER", "I-PER"], ["B-LOC", "O", "B-PER"]];
  assertEquals(spansBySentence(tags), [
    [{ type: "PER", start: 1, end: 3 }],
    [{ type: "LOC", start: 0, end: 1 }, { type: "PER", start: 2, end: 3 }],
  ]);
  // Strict mode drops the lone I-PER run.
  assertEquals(spansBySentence(tags, { mode: "strict" }), [
    [],
    [{ type: "LOC", start: 0, end: 1 }, { type: "PER", start: 2, end: 3 }],
  ]);
});

/** seqeval's test_iobes_tokens and test_iobes_tokens_without_tag tables (tests/test_scheme.py, 1.2.2). */
const IOBES_CASES: [string[], [string, number, number][]][] = [
  [["O"], []],
  [["I-PER"], []],
  [["B-PER"], []],
  [["E-PER"], []],
  [["S-PER"], [["PER", 0, 1]]],
  [["O", "O"], []],
  [["O", "I-PER"], []],
  [["O", "B-PER"], []],
  [["O", "E-PER"], []],
  [["O", "S-PER"], [["PER", 1, 2]]],
  [["I-PER", "O"], []],
  [["I-PER", "I-PER"], []],
  [["I-PER", "I-ORG"], []],
  [["I-PER", "B-PER"], []],
  [["I-PER", "E-PER"], []],
  [["I-PER", "E-ORG"], []],
  [["I-PER", "S-PER"], [["PER", 1, 2]]],
  [["B-PER", "O"], []],
  [["B-PER", "I-PER"], []],
  [["B-PER", "I-ORG"], []],
  [["B-PER", "B-PER"], []],
  [["B-PER", "E-PER"], [["PER", 0, 2]]],
  [["B-PER", "E-ORG"], []],
  [["B-PER", "S-PER"], [["PER", 1, 2]]],
  [["E-PER", "O"], []],
  [["E-PER", "I-PER"], []],
  [["E-PER", "B-PER"], []],
  [["E-PER", "E-PER"], []],
  [["E-PER", "S-PER"], [["PER", 1, 2]]],
  [["S-PER", "O"], [["PER", 0, 1]]],
  [["S-PER", "I-PER"], [["PER", 0, 1]]],
  [["S-PER", "B-PER"], [["PER", 0, 1]]],
  [["S-PER", "E-PER"], [["PER", 0, 1]]],
  [["S-PER", "S-PER"], [["PER", 0, 1], ["PER", 1, 2]]],
];

Deno.test("strict IOBES: seqeval's test_iobes_tokens tables, with and without types", () => {
  // The untyped table: as the typed one where types cannot differ (["B", "E"] is an entity, ["B-PER",
  // "E-ORG"] is not).
  const one = (start: number, end: number): [string, number, number][] => [["_", start, end]];
  const untyped: [string[], [string, number, number][]][] = [
    [["O"], []],
    [["I"], []],
    [["B"], []],
    [["E"], []],
    [["S"], one(0, 1)],
    [["O", "S"], one(1, 2)],
    [["I", "E"], []],
    [["I", "S"], one(1, 2)],
    [["B", "O"], []],
    [["B", "I"], []],
    [["B", "B"], []],
    [["B", "E"], one(0, 2)],
    [["B", "S"], one(1, 2)],
    [["E", "S"], one(1, 2)],
    [["S", "I"], one(0, 1)],
    [["S", "E"], one(0, 1)],
    [["S", "S"], [["_", 0, 1], ["_", 1, 2]]],
  ];
  for (const [tags, expected] of [...IOBES_CASES, ...untyped]) {
    const found = getStrictEntities([tags], { scheme: "IOBES" })
      .map((e): [string, number, number] => [e.type, e.start, e.end]);
    assertEquals(found, expected, JSON.stringify(tags));
  }
  // Longer entities run over I- tags of the same type only.
  assertEquals(
    getStrictEntities([["B-PER", "I-PER", "I-PER", "E-PER", "B-ORG", "I-PER", "E-PER"]], { scheme: "IOBES" }),
    [{ sentence: 0, type: "PER", start: 0, end: 4 }],
  );
});

Deno.test("strict: IOBES tags under the IOB2 scheme are an error (seqeval's TestTokens), U-/L- under IOBES too", () => {
  assertThrows(() => getStrictEntities([["B-PER", "E-PER", "S-PER"]]), Error, "invalid in the IOB2 scheme");
  assertThrows(
    () => getStrictEntities([["O", "U-PER"]], { scheme: "IOBES", name: "y_true" }),
    Error,
    'y_true[0][1]: tag "U-PER": invalid in the IOBES scheme (allowed prefixes: I, O, B, E, S)',
  );
});

Deno.test("strict: the same entities written in IOB2 and in IOBES read the same (random spans)", () => {
  for (
    const { length, spans } of randomSpanCases({ seed: 3, rounds: 300, maxLength: 10, types: ["A", "B"] })
  ) {
    const read = (scheme: "IOB2" | "IOBES") =>
      getStrictEntities([tagsFromSpans(spans, length, scheme)], { scheme }).map(({ type, start, end }) => ({
        start,
        end,
        type,
      }));
    assertEquals(read("IOB2"), spans);
    assertEquals(read("IOBES"), spans);
  }
});
