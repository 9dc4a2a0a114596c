/**
 * The document consistency rules: what each does, the one stray-I rule, agreement with a direct (quadratic)
 * reading of the rules on random documents, and linear cost — counted as reads of the document's words, so the
 * test cannot be flaky on a loaded machine (issue 27 item 2: 152 KB of "long form (ABBR)" took 26 s).
 */
import { assert, assertEquals, assertLess } from "@std/assert";
import {
  abbreviationPairs,
  consistencyOptionsProblems,
  consistentCorpusTags,
  consistentTags,
} from "../../lib/bio/consistency.ts";
import { entitySpans, tagsFromSpans } from "../../lib/bio/tags.ts";
import type { Sentence } from "../../lib/bio/types.ts";
import { SeededRandom } from "../../lib/util/random.ts";

/** One sentence of `words` (offsets unused by the rules). */
function sentence(words: readonly string[], index = 0, docId = "d"): Sentence {
  return {
    docId,
    index,
    start: 0,
    end: 0,
    words: words.map((text) => ({ text, start: 0, end: 0 })),
    tags: [],
  };
}

const BOTH = { abbreviations: true, propagation: true };

Deno.test("abbreviations: a short form takes its long form's type, or loses its tags where the long form is none", () => {
  const words = "tumor necrosis factor ( TNF ) and mean arterial pressure ( MAP ) ; TNF MAP".split(" ");
  assertEquals(abbreviationPairs(words), [
    { shortForm: "TNF", longForm: ["tumor", "necrosis", "factor"], open: 3 },
    { shortForm: "MAP", longForm: ["mean", "arterial", "pressure"], open: 10 },
  ]);
  const tags = [
    "B-Gene",
    "I-Gene",
    "I-Gene",
    "O",
    "O",
    "O",
    "O",
    "O",
    "O",
    "O",
    "O",
    "B-Gene",
    "O",
    "O",
    "O",
    "B-Gene",
  ];
  assertEquals(consistentTags([sentence(words)], [tags], { abbreviations: true }), [[
    ...["B-Gene", "I-Gene", "I-Gene", "O", "B-Gene", "O"],
    ...["O", "O", "O", "O", "O", "O", "O", "O", "B-Gene", "O"],
  ]]);
});

Deno.test("abbreviations: the entity ending before '(' gives its type when it covers the long form the rule matched", () => {
  // Schwartz & Hearst's long form for DMBA starts at "dimethylbenz"; the chemical starts at "7".
  const words = "7 , 12 - dimethylbenz [ a ] anthracene ( DMBA ) ; DMBA".split(" ");
  assertEquals(abbreviationPairs(words), [
    { shortForm: "DMBA", longForm: ["dimethylbenz", "[", "a", "]", "anthracene"], open: 9 },
  ]);
  const chemical = ["B-Chemical", ...Array(8).fill("I-Chemical")];
  const outside = (n: number) => Array<string>(n).fill("O");
  assertEquals(consistentTags([sentence(words)], [[...chemical, ...outside(5)]], { abbreviations: true }), [[
    ...chemical,
    ...["O", "B-Chemical", "O", "O", "B-Chemical"],
  ]]);
  // An entity ending there that covers only part of the long form is not its type: the short form is cleared.
  const partial = [...outside(8), "B-Chemical", "O", "B-Chemical", "O", "O", "B-Chemical"];
  assertEquals(consistentTags([sentence(words)], [partial], { abbreviations: true }), [[
    ...outside(8),
    ...["B-Chemical", "O", "O", "O", "O", "O"],
  ]]);
});

Deno.test("propagation: an entity string is tagged at its other free occurrences, by its most frequent type", () => {
  const sentences = [
    sentence(["heart", "failure", "and", "aspirin"], 0),
    sentence(["aspirin", "for", "heart", "failure"], 1),
  ];
  const tags = [["B-Disease", "I-Disease", "O", "B-Chemical"], ["O", "O", "B-Chemical", "O"]];
  assertEquals(consistentTags(sentences, tags, { propagation: true }), [
    ["B-Disease", "I-Disease", "O", "B-Chemical"],
    ["B-Chemical", "O", "B-Chemical", "O"], // "heart failure" overlaps an entity there: left alone
  ]);
  assertEquals(consistentTags(sentences, tags, {}), tags, "no rule: the tags as they were");
});

Deno.test("a stray I-X starts an entity for the rules too, and comes back written with its B-", () => {
  const words = "tumor necrosis factor ( TNF ) ; TNF and mean arterial pressure ( MAP ) MAP".split(" ");
  const tags = [...["I-Gene", "I-Gene", "I-Gene"], ...Array(10).fill("O"), "I-Gene", "O", "I-Gene"];
  // Before: the stray long form was no entity, so TNF stayed O, and the stray MAPs kept their tags.
  assertEquals(consistentTags([sentence(words)], [tags], BOTH), [[
    ...["B-Gene", "I-Gene", "I-Gene", "O", "B-Gene", "O", "O", "B-Gene"],
    ...Array(8).fill("O"),
  ]]);
});

Deno.test("several pairs of one short form act in document order (the last one that clears wins over earlier tags)", () => {
  const words = "alpha beta ( AB ) ; also brief ( AB ) ; again big ( AB ) ; AB".split(" ");
  const tagsOf = (alphaBeta: string[], alsoBrief: string[], againBig: string[]) => [
    ...alphaBeta,
    ...["O", "O", "O", "O"],
    ...alsoBrief,
    ...["O", "O", "O", "O"],
    ...againBig,
    ...["O", "O", "O", "O", "O"],
  ];
  const entity = (type: string) => [`B-${type}`, `I-${type}`], none = ["O", "O"];
  const cases: [string[], string][] = [
    [tagsOf(entity("X"), entity("Y"), none), "O"], // tag X, tag Y, clear
    [tagsOf(none, entity("Y"), entity("Z")), "B-Y"], // clear, tag Y, tag Z
    [tagsOf(entity("X"), none, entity("Z")), "B-Z"], // tag X, clear, tag Z
  ];
  for (const [tags, last] of cases) {
    const result = consistentTags([sentence(words)], [tags], { abbreviations: true })[0];
    assertEquals(result.at(-1), last, tags.join(" "));
    assertEquals(result, directRules([sentence(words)], [tags], { abbreviations: true })[0]);
  }
});

Deno.test("consistency options: undefined or booleans of the two rules; anything else is a problem", () => {
  assertEquals(consistencyOptionsProblems(undefined, "c"), []);
  assertEquals(consistencyOptionsProblems({ abbreviations: true }, "c"), []);
  for (const bad of [null, "yes", { propagation: 1 }, { spelling: true }]) {
    assertEquals(consistencyOptionsProblems(bad, "c"), [
      "c must be an object of booleans: abbreviations, propagation",
    ]);
  }
});

/**
 * The rules read directly from their definition, the way lib/bio/consistency.ts computed them before it was made
 * linear: every pair and every entity string scans the whole document. Quadratic, and the reference here.
 */
function directRules(
  sentences: readonly Sentence[],
  predicted: readonly (readonly string[])[],
  options: { abbreviations?: boolean; propagation?: boolean },
): string[][] {
  const tags = predicted.map((row) => tagsFromSpans(entitySpans(row), row.length, "IOB2"));
  const spansOf = () => tags.flatMap((row, s) => entitySpans(row).map((span) => ({ ...span, sentence: s })));
  const occurrences = (sequence: readonly string[]) =>
    sentences.flatMap((sentence, s) =>
      sentence.words.flatMap((_, t) =>
        t + sequence.length <= sentence.words.length &&
          sequence.every((word, k) => sentence.words[t + k].text === word)
          ? [[s, t] as const]
          : []
      )
    );
  const free = (row: string[], start: number, end: number) =>
    row.slice(start, end).every((tag) => tag === "O") && !row[end]?.startsWith("I-");
  const tag = (row: string[], start: number, end: number, type: string) => {
    for (let t = start; t < end; t++) row[t] = `${t === start ? "B" : "I"}-${type}`;
  };
  if (options.abbreviations) {
    const spans = spansOf();
    for (
      const { shortForm, longForm, open } of abbreviationPairs(
        sentences.flatMap((s) => s.words.map((w) => w.text)),
      )
    ) {
      // The entity over the words just before "(" and the whole long form, else the long form elsewhere.
      const position = (p: number) => {
        let s = 0;
        while (p >= sentences[s].words.length) p -= sentences[s++].words.length;
        return [s, p] as const;
      };
      const [ls, lt] = position(open - longForm.length), [bs, bt] = position(open - 1);
      const covering = spans.find((span) =>
        span.sentence === bs && span.end === bt + 1 && ls === bs && span.start <= lt
      );
      const type = covering?.type ??
        occurrences(longForm).map(([s, t]) =>
          spans.find((span) => span.sentence === s && span.start === t && span.end === t + longForm.length)
            ?.type
        ).find((found) => found !== undefined);
      for (const [s, t] of occurrences([shortForm])) {
        const row = tags[s];
        if (type !== undefined) {
          if (free(row, t, t + 1)) tag(row, t, t + 1, type);
        } else if (row[t].startsWith("B-") && !row[t + 1]?.startsWith("I-")) row[t] = "O";
      }
    }
  }
  if (options.propagation) {
    const byText = new Map<string, Map<string, number>>();
    for (const span of spansOf()) {
      const key = sentences[span.sentence].words.slice(span.start, span.end).map((w) => w.text).join(" ");
      const counts = byText.get(key) ?? new Map<string, number>();
      byText.set(key, counts.set(span.type, (counts.get(span.type) ?? 0) + 1));
    }
    for (const [key, counts] of byText) {
      if (key.length < 2 || !/\p{L}/u.test(key)) continue;
      const type = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      const sequence = key.split(" ");
      for (const [s, t] of occurrences(sequence)) {
        if (free(tags[s], t, t + sequence.length)) tag(tags[s], t, t + sequence.length, type);
      }
    }
  }
  return tags;
}

/**
 * A random document of words and "long form ( SF )" pieces over a small vocabulary (so strings and pairs repeat,
 * one short form with several long forms among them), with random tags, strays included.
 */
function randomDocument(random: SeededRandom): { sentences: Sentence[]; tags: string[][] } {
  const pieces = ["a", "b", "x", ".", "(", "AB", "BA", "alpha beta", "alpha beta ( AB )", "a b ( AB )"]
    .concat(["beta alpha ( BA )", "big ( BA )", "( AB )"]);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)];
  const sentences: Sentence[] = [], tags: string[][] = [];
  for (let s = 0; s < 1 + Math.floor(random.next() * 4); s++) {
    const words = Array.from({ length: 1 + Math.floor(random.next() * 6) }, () => pick(pieces).split(" "))
      .flat();
    sentences.push(sentence(words, s));
    tags.push(words.map(() => pick(["O", "O", "O", "B-X", "I-X", "B-Y", "I-Y"])));
  }
  return { sentences, tags };
}

Deno.test("on random documents the rules give what their direct reading gives", () => {
  const random = new SeededRandom(27);
  let changed = 0;
  for (let round = 0; round < 3000; round++) {
    const { sentences, tags } = randomDocument(random);
    for (const options of [{ abbreviations: true }, { propagation: true }, BOTH]) {
      const result = consistentTags(sentences, tags, options);
      assertEquals(
        result,
        directRules(sentences, tags, options),
        JSON.stringify({ sentences, tags, options }),
      );
      if (JSON.stringify(result) !== JSON.stringify(tags)) changed++;
    }
  }
  assert(changed > 1000, `the rules changed only ${changed} documents: the comparison tests little`);
});

/** The sentences with every read of a word counted (the rules' work grows with these reads). */
function countingReads(sentences: Sentence[]): { sentences: Sentence[]; reads: () => number } {
  let reads = 0;
  const counted = sentences.map((s) => ({
    ...s,
    words: new Proxy(s.words, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    }),
  }));
  return { sentences: counted, reads: () => reads };
}

/** Documents of the slow cases, of about `words` words. */
const SLOW_CASES: Record<string, (words: number) => { sentences: Sentence[]; tags: string[][] }> = {
  "repeated long form (ABBR)": (n) => {
    const words = Array.from({ length: n / 6 }, () => "tumor necrosis factor ( TNF )".split(" ")).flat();
    return {
      sentences: [sentence(words)],
      tags: [
        words.map((w) => w === "tumor" ? "B-Gene" : w === "necrosis" || w === "factor" ? "I-Gene" : "O"),
      ],
    };
  },
  "distinct entity strings": (n) => {
    const words = Array.from({ length: n / 4 }, (_, i) => [`drug${i}`, "is", "given", "."]).flat();
    return {
      sentences: [sentence(words)],
      tags: [words.map((w) => w.startsWith("drug") ? "B-Chemical" : "O")],
    };
  },
  "many sentences of one document": (n) => {
    const sentences = Array.from(
      { length: n / 10 },
      (_, i) => sentence(`the dose of drug${i % 50} ( D${i % 50} ) in heart failure .`.split(" "), i),
    );
    const tags = sentences.map((s) =>
      s.words.map((w) => w.text.startsWith("drug") ? "B-Chemical" : w.text === "heart" ? "B-Disease" : "O")
    );
    return { sentences, tags };
  },
};

Deno.test("the rules read each word a bounded number of times: 4× the document, ≤ 4.5× the reads", () => {
  for (const [name, make] of Object.entries(SLOW_CASES)) {
    const reads = [2000, 8000].map((words) => {
      const document = make(words);
      const counted = countingReads(document.sentences);
      consistentTags(counted.sentences, document.tags, BOTH);
      return counted.reads();
    });
    // Now 4× in each case (about 4 reads per word); before, 16×, 16× and 13.6× (1.6 M reads → 25 M).
    assertLess(reads[1] / reads[0], 4.5, `${name}: ${reads[0]} → ${reads[1]} reads`);
  }
});

Deno.test("documents are grouped by docId and read in sentence order", () => {
  const sentences = [
    sentence(["aspirin", "."], 1, "d1"),
    sentence(["aspirin"], 0, "d2"),
    sentence(["aspirin"], 0, "d1"),
  ];
  const tags = [["O", "O"], ["O"], ["B-Chemical"]];
  assertEquals(consistentCorpusTags(sentences, tags, { propagation: true }), [["B-Chemical", "O"], ["O"], [
    "B-Chemical",
  ]]);
});
