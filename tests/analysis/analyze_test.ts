/**
 * Error analysis on small hand-made sentences whose every count is worked out in the comments.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { Sentence } from "../../lib/bio/types.ts";
import {
  analyzeErrors,
  classifySentence,
  exampleHtml,
  exampleText,
  joinWords,
} from "../../lib/analysis/mod.ts";

/** Builds a sentence from "word/TAG" items ("word" alone is O); words are separated by one space. */
function sentence(docId: string, index: number, items: string): Sentence {
  let offset = 0;
  const words = [], tags = [];
  for (const item of items.split(" ")) {
    const [text, tag = "O"] = item.split("/");
    words.push({ text, start: offset, end: offset + text.length });
    tags.push(tag);
    offset += text.length + 1;
  }
  return { docId, index, start: 0, end: offset - 1, words, tags };
}

/** The same sentence with other tags. */
function retag(s: Sentence, tags: string): Sentence {
  return { ...s, tags: tags.split(" ") };
}

// Gold and predictions, one error kind (or two) per sentence.
const GOLD = [
  sentence("d1", 0, "cisplatin/B-Chemical induced renal/B-Disease failure/I-Disease ."),
  sentence("d1", 1, "aspirin/B-Chemical and heparin/B-Chemical caused bleeding/B-Disease"),
  sentence("d2", 0, "acute/B-Disease myocardial/I-Disease infarction/I-Disease in rats"),
  sentence("d2", 1, "no entity here"),
];
const PREDICTED = [
  // exact Chemical; boundary Disease ("failure" only).
  retag(GOLD[0], "B-Chemical O O B-Disease O"),
  // aspirin exact; heparin typed as Disease (type error); bleeding missed (false negative).
  retag(GOLD[1], "B-Chemical O B-Disease O O"),
  // The three-word disease split into two parts: a boundary error with split = true; "rats" a false positive
  // of type Chemical.
  retag(GOLD[2], "B-Disease O B-Disease O B-Chemical"),
  // A false positive Disease spanning two words.
  retag(GOLD[3], "B-Disease I-Disease O"),
];
const TRAIN = [sentence("t", 0, "Cisplatin/B-Chemical and bleeding/B-Disease")];

Deno.test("every group of overlapping spans gets one kind", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED, train: TRAIN });
  const kinds = analysis.groups.map((g) => `${g.sentence}:${g.kind}`);
  assertEquals(kinds, [
    "0:exact",
    "0:boundary",
    "1:exact",
    "1:type",
    "1:false negative",
    "2:boundary",
    "2:false positive",
    "3:false positive",
  ]);
  assertEquals(analysis.counts.all, {
    exact: 2,
    boundary: 2,
    type: 1,
    "type+boundary": 0,
    "false positive": 2,
    "false negative": 1,
  });
  // Per type: by gold type, by predicted type for false positives (rats: Chemical; "no entity": Disease).
  assertEquals(analysis.counts.Chemical, {
    exact: 2,
    boundary: 0,
    type: 1,
    "type+boundary": 0,
    "false positive": 1,
    "false negative": 0,
  });
  assertEquals(analysis.counts.Disease["false negative"], 1);
  assertEquals(analysis.counts.Disease.boundary, 2);
  assertEquals(analysis.types, ["Chemical", "Disease"]);
});

Deno.test("type+boundary: overlapping spans of different types and extents", () => {
  const gold = [{ type: "Disease", start: 0, end: 2, text: "renal failure" }];
  const predicted = [{ type: "Chemical", start: 1, end: 3, text: "failure drug" }];
  assertEquals(classifySentence(gold, predicted, 0).map((g) => g.kind), ["type+boundary"]);
  // Adjacent spans do not overlap: a miss and a false positive.
  const after = [{ type: "Disease", start: 2, end: 3, text: "drug" }];
  assertEquals(classifySentence(gold, after, 0).map((g) => g.kind), ["false negative", "false positive"]);
  // One prediction over two gold entities merges them.
  const twoGold = [
    { type: "Chemical", start: 0, end: 1, text: "a" },
    { type: "Chemical", start: 1, end: 2, text: "b" },
  ];
  const [merged] = classifySentence(twoGold, [{ type: "Chemical", start: 0, end: 2, text: "a b" }], 0);
  assertEquals([merged.kind, merged.merged, merged.split], ["boundary", true, false]);
});

Deno.test("confusions: entity types and token labels", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED });
  // Rows: gold Chemical (3: two found as Chemical, heparin as Disease), gold Disease (3: renal failure and
  // the split AMI matched as Disease, bleeding missed → O), O row: the two false positives.
  assertEquals(analysis.typeConfusion, {
    labels: ["Chemical", "Disease", "O"],
    matrix: [[2, 1, 0], [0, 2, 1], [1, 1, 0]],
  });
  assertEquals(analysis.typeConfusions, [{ gold: "Chemical", predicted: "Disease", count: 1 }]);
  const { labels, matrix } = analysis.tokenConfusion;
  assertEquals(labels, ["O", "B-Chemical", "B-Disease", "I-Disease"]);
  // Gold I-Disease tokens: "failure" (→ B-Disease), "myocardial" (→ O), "infarction" (→ B-Disease).
  assertEquals(matrix[3], [1, 0, 2, 0]);
  // Every token is counted once: 5 + 5 + 5 + 3 words.
  assertEquals(matrix.flat().reduce((a, b) => a + b), 18);
});

Deno.test("type confusion over N types (BioNLP13CG-like): one row and column per type, O last", () => {
  const gold = [
    sentence("d", 0, "TGF/B-Gene_or_gene_product in/O myeloid/B-Cancer cells/B-Cell of/O mice/B-Organism"),
    sentence("d", 1, "glucose/B-Simple_chemical and/O liver/B-Organ"),
  ];
  const predicted = [
    // Gene right, Cancer → Cell, Cell → Cancer, Organism missed.
    retag(gold[0], "B-Gene_or_gene_product O B-Cell B-Cancer O O"),
    // Simple_chemical → Gene, Organ right, "and" a false Tissue.
    retag(gold[1], "B-Gene_or_gene_product B-Tissue B-Organ"),
  ];
  const analysis = analyzeErrors({ gold, predicted });
  const types = ["Cancer", "Cell", "Gene_or_gene_product", "Organ", "Organism", "Simple_chemical", "Tissue"];
  assertEquals(analysis.typeConfusion.labels, [...types, "O"]);
  const cell = (g: string, p: string) =>
    analysis.typeConfusion
      .matrix[analysis.typeConfusion.labels.indexOf(g)][analysis.typeConfusion.labels.indexOf(p)];
  assertEquals([cell("Cancer", "Cell"), cell("Cell", "Cancer"), cell("Organism", "O")], [1, 1, 1]);
  assertEquals(
    [cell("Simple_chemical", "Gene_or_gene_product"), cell("O", "Tissue"), cell("Organ", "Organ")],
    [1, 1, 1],
  );
  assertEquals(analysis.typeConfusions, [
    { gold: "Cancer", predicted: "Cell", count: 1 },
    { gold: "Cell", predicted: "Cancer", count: 1 },
    { gold: "Simple_chemical", predicted: "Gene_or_gene_product", count: 1 },
  ]);
  // Six gold entities and one false positive.
  assertEquals(analysis.typeConfusion.matrix.flat().reduce((a, b) => a + b), 7);
});

Deno.test("split entities, seen/unseen recall and recall by length", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED, train: TRAIN });
  assertEquals([analysis.split.count, analysis.split.byType.Disease], [1, 1]);
  assertEquals(analysis.split.examples[0].gold[0].text, "acute myocardial infarction");
  assertEquals(analysis.merged.count, 0);
  // Seen in training (case-insensitive): "cisplatin" (found) and "bleeding" (missed); the other 4 unseen,
  // of which only "aspirin" is found.
  assertEquals(analysis.seenUnseen!.all, {
    seen: { total: 2, found: 1, recall: 0.5 },
    unseen: { total: 4, found: 1, recall: 0.25 },
  });
  assertEquals(analysis.seenUnseen!.Disease.seen, { total: 1, found: 0, recall: 0 });
  // Lengths: 1 word: cisplatin, aspirin, heparin, bleeding (2 found); 2: renal failure; 3: AMI.
  assertEquals(analysis.recallByLength.all["1"], { total: 4, found: 2, recall: 0.5 });
  assertEquals(analysis.recallByLength.all["2"], { total: 1, found: 0, recall: 0 });
  assertEquals(analysis.recallByLength.all["5+"], { total: 0, found: 0, recall: null });
  // Without training sentences there is no seen/unseen split.
  assertEquals(analyzeErrors({ gold: GOLD, predicted: PREDICTED }).seenUnseen, null);
});

Deno.test("most frequent false positives and false negatives, with examples of each kind", () => {
  const analysis = analyzeErrors({
    gold: [...GOLD, GOLD[3]],
    predicted: [...PREDICTED, PREDICTED[3]],
    top: 2,
  });
  // "no entity" predicted as Disease twice, "rats" once; top 2 keeps both, most frequent first.
  assertEquals(analysis.topFalsePositives, [
    { text: "no entity", type: "Disease", count: 2 },
    { text: "rats", type: "Chemical", count: 1 },
  ]);
  assertEquals(analysis.topFalseNegatives, [{ text: "bleeding", type: "Disease", count: 1 }]);
  assertEquals(analysis.examples["type"].map((e) => e.gold[0].text), ["heparin"]);
  assertEquals(analysis.examples["false positive"].length, 3);
});

Deno.test("strict mode reads a lone I- prediction as no entity", () => {
  const gold = [sentence("d", 0, "renal/B-Disease failure/I-Disease")];
  const predicted = [retag(gold[0], "I-Disease I-Disease")];
  assertEquals(analyzeErrors({ gold, predicted }).counts.all.exact, 1);
  assertEquals(analyzeErrors({ gold, predicted, mode: "strict" }).counts.all["false negative"], 1);
});

Deno.test("misaligned inputs are errors naming the sentence", () => {
  assertThrows(
    () => analyzeErrors({ gold: GOLD, predicted: PREDICTED.slice(1) }),
    Error,
    "4 gold sentences but 3",
  );
  assertThrows(
    () => analyzeErrors({ gold: GOLD, predicted: [PREDICTED[1], PREDICTED[0], ...PREDICTED.slice(2)] }),
    Error,
    "sentence 0 (doc d1, #0)",
  );
  assertThrows(
    () => analyzeErrors({ gold: GOLD.slice(0, 1), predicted: [{ ...PREDICTED[0], tags: ["O"] }] }),
    Error,
    "1 predicted tags for 5 words",
  );
});

Deno.test("examples render with their sentence, gold and predicted spans marked", () => {
  const analysis = analyzeErrors({ gold: GOLD, predicted: PREDICTED });
  const [boundary] = analysis.examples.boundary;
  assertEquals(
    exampleText(boundary),
    "gold: cisplatin induced [renal failure](Disease) .\npred: cisplatin induced renal [failure](Disease) .",
  );
  assertEquals(
    exampleText(boundary, { context: 0 }),
    "gold: … [renal failure](Disease) …\npred: … renal [failure](Disease) …",
  );
  const html = exampleHtml(analysis.examples["false positive"][1]);
  assertStringIncludes(html, "no entity<sub>Disease</sub></mark> here");
  assertStringIncludes(html, "false positive · doc d2, sentence 1");
});

Deno.test("joinWords puts spaces only where the text had them", () => {
  const words = [{ text: "5", start: 0, end: 1 }, { text: "-", start: 1, end: 2 }, {
    text: "FU",
    start: 2,
    end: 4,
  }, {
    text: "dose",
    start: 5,
    end: 9,
  }];
  assertEquals(joinWords(words), "5-FU dose");
  assertEquals(joinWords(words, 2, 4), "FU dose");
});
