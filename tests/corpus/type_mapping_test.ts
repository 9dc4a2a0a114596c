/**
 * The declared type mapping (lib/corpus/type_mapping.ts, lib/corpus/unified_types.json): the shipped file maps
 * every type of every corpus the all-corpora profile trains on (read from the real data), what each corpus
 * leaves open, tags mapped and judged per corpus, and one-line errors for a bad mapping.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { join } from "node:path";
import { corpusList } from "../../lib/train/corpus_list.ts";
import { loadProfile } from "../../lib/train/profile.ts";
import { labelsOfData } from "../../lib/train/load_split.ts";
import {
  corpusLines,
  partialAnnotation,
  projectTags,
  readTypeMapping,
  type TypeMapping,
  unifiedLabels,
  unifySentences,
} from "../../lib/corpus/type_mapping.ts";

const SHIPPED = new URL("../../lib/corpus/unified_types.json", import.meta.url).pathname;
const haveData = Deno.env.get("MTL2016_DIR") !== undefined && Deno.env.get("BC5CDR_DIR") !== undefined;

Deno.test({
  name:
    "the shipped mapping covers every type of every corpus bilstm-crf-all trains on, as its real data has them",
  ignore: !haveData,
  fn: async () => {
    const mapping = await readTypeMapping(SHIPPED);
    for (const type of ["Chemical", "Disease", "Gene", "Species", "Cell", "Anatomy", "Cancer"]) {
      assert(mapping.types.includes(type), type);
    }
    const profile = await loadProfile("bilstm-crf-all");
    for (const corpus of await corpusList(profile.data)) {
      corpusLines(mapping, corpus.name, await labelsOfData(corpus.spec));
    }
  },
});

Deno.test("what a corpus leaves open, and what a coarse type stands for", async () => {
  const mapping = await readTypeMapping(SHIPPED);
  const labels = unifiedLabels(mapping);
  assertEquals(labels.slice(0, 5), ["O", "B-Anatomy", "I-Anatomy", "B-Cancer", "I-Cancer"]);
  // BC2GM annotates genes only: every other type is open on its O words.
  const bc2gm = partialAnnotation(mapping.types, mapping.corpora.bc2gm);
  assertEquals(bc2gm.open, labels.filter((l) => l !== "O" && !l.endsWith("-Gene")));
  // BioNLP13CG annotates cancers, not every disease: Disease stays open there; Chemical does not.
  const cg = partialAnnotation(mapping.types, mapping.corpora.bionlp13cg);
  assertEquals(cg.open, ["B-Disease", "I-Disease"]);
  // AnatEM's one type covers cells and tumours as well as anatomy; BC5CDR's diseases include the cancers.
  const anatem = partialAnnotation(mapping.types, mapping.corpora.anatem);
  assertEquals(anatem.alternatives.get("B-Anatomy"), ["B-Anatomy", "B-Cell", "B-Cancer"]);
  assert(["B-Cell", "B-Anatomy", "B-Cancer"].every((label) => !anatem.open.includes(label)));
  const cdr = partialAnnotation(mapping.types, mapping.corpora.bc5cdr);
  assertEquals(cdr.alternatives.get("I-Disease"), ["I-Disease", "I-Cancer"]);
  assert(!cdr.open.includes("B-Cancer"));
});

Deno.test("sentences mapped to unified types carry their corpus's partial annotation (not in the naive merge); scoring judges per corpus", async () => {
  const mapping = await readTypeMapping(SHIPPED);
  const sentence = {
    docId: "d",
    index: 0,
    start: 0,
    end: 9,
    words: [{ text: "p53", start: 0, end: 3 }, { text: "binds", start: 4, end: 9 }],
    tags: ["B-GENE", "O"],
  };
  const [unified] = unifySentences(mapping, {
    corpus: "bc2gm",
    labels: ["O", "B-GENE", "I-GENE"],
    sentences: [sentence],
  });
  assertEquals(unified.tags, ["B-Gene", "O"]);
  assert(unified.partial?.open.includes("B-Chemical"));
  const [naive] = unifySentences(mapping, {
    corpus: "bc2gm",
    labels: ["O", "B-GENE", "I-GENE"],
    sentences: [sentence],
    partial: false,
  });
  assertEquals(naive.partial, undefined);
  // BC2GM judges genes only; AnatEM reads a predicted Cell or Cancer as its Anatomy, BC5CDR a Cancer as Disease.
  assertEquals(projectTags(mapping.corpora.bc2gm, ["B-Gene", "B-Chemical", "I-Gene"]), [
    "B-Gene",
    "O",
    "I-Gene",
  ]);
  assertEquals(projectTags(mapping.corpora.anatem, ["B-Cell", "I-Cell", "B-Anatomy", "B-Cancer"]), [
    "B-Anatomy",
    "I-Anatomy",
    "B-Anatomy",
    "B-Anatomy",
  ]);
  assertEquals(projectTags(mapping.corpora.bc5cdr, ["B-Cancer", "I-Cancer", "B-Disease", "B-Gene"]), [
    "B-Disease",
    "I-Disease",
    "B-Disease",
    "O",
  ]);
});

Deno.test("the same span typed differently by two corpora: two training sentences, each under its own corpus's annotation (the stated rule)", async () => {
  const mapping = await readTypeMapping(SHIPPED);
  const words = [{ text: "insulin", start: 0, end: 7 }, { text: "levels", start: 8, end: 14 }];
  const sentence = (tags: string[]) => ({ docId: "d", index: 0, start: 0, end: 14, words, tags });
  // BC5CDR annotates insulin as a Chemical; BC2GM as a GENE.
  const [asChemical] = unifySentences(mapping, {
    corpus: "bc5cdr",
    labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"],
    sentences: [sentence(["B-Chemical", "O"])],
  });
  const [asGene] = unifySentences(mapping, {
    corpus: "bc2gm",
    labels: ["O", "B-GENE", "I-GENE"],
    sentences: [sentence(["B-GENE", "O"])],
  });
  assertEquals([asChemical.tags, asGene.tags], [["B-Chemical", "O"], ["B-Gene", "O"]]);
  // Neither overrules the other: each leaves open what its own corpus does not annotate.
  assert(asChemical.partial?.open.includes("B-Gene") && !asChemical.partial?.open.includes("B-Chemical"));
  assert(asGene.partial?.open.includes("B-Chemical") && !asGene.partial?.open.includes("B-Gene"));
});

async function mappingFile(content: unknown): Promise<string> {
  const path = join(await Deno.makeTempDir(), "mapping.json");
  await Deno.writeTextFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

Deno.test("a bad mapping is one line naming the file and the corpus/type", async () => {
  const good = { types: ["Gene", "Chemical"], corpora: { bc2gm: { GENE: { to: ["Gene"], why: "genes" } } } };
  const cases: [unknown, string][] = [
    ["{", "type mapping"],
    [{ ...good, types: [] }, `"types" must be a non-empty list`],
    [{ ...good, types: ["Gene", "Gene"] }, `"types" lists a type twice`],
    [
      { ...good, corpora: { bc2gm: { GENE: { to: ["Protein"], why: "x" } } } },
      `corpus bc2gm, type "GENE": "Protein" is not one of "types"`,
    ],
    [
      { ...good, corpora: { bc2gm: { GENE: { to: ["Gene"] } } } },
      `corpus bc2gm, type "GENE": "why" must say why`,
    ],
    [
      { ...good, corpora: { bc2gm: { GENE: { to: ["Gene"], why: "x", complete: "no" } } } },
      `"complete" must be true or false`,
    ],
    [
      { ...good, reported: { Cancer: { as: "Gene", why: "x" } } },
      `reported: "Cancer" is not one of "types"`,
    ],
    [
      { ...good, reported: { Chemical: { as: "Drug", why: "x" } } },
      `reported: "Chemical" must be reported "as" another of "types"`,
    ],
  ];
  for (const [content, message] of cases) {
    const path = await mappingFile(content);
    const error = await assertRejects(() => readTypeMapping(path));
    assert((error as Error).message.startsWith(`type mapping ${path}: `), (error as Error).message);
    assert((error as Error).message.includes(message), `${(error as Error).message} lacks ${message}`);
    assert(!(error as Error).message.includes("\n"));
  }
  const mapping: TypeMapping = await readTypeMapping(await mappingFile(good));
  assertThrows(
    () => corpusLines(mapping, "linnaeus", ["O", "B-Species", "I-Species"]),
    Error,
    "no line for corpus linnaeus",
  );
  assertThrows(
    () => corpusLines(mapping, "bc2gm", ["O", "B-GENE", "I-GENE", "B-Protein", "I-Protein"]),
    Error,
    "corpus bc2gm has types it does not map: Protein",
  );
  assertThrows(
    () => corpusLines(mapping, "bc2gm", ["O"]),
    Error,
    "corpus bc2gm has no type GENE in its data",
  );
});
