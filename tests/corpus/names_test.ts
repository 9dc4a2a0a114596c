/** How corpora are named in commands and outputs (lib/corpus/names.ts): lists, paths holding commas, run names. */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { chosenCorpus, corpusListEntries, runNameFor } from "../../lib/corpus/names.ts";
import { isCorpusList } from "../../lib/train/corpus_list.ts";

Deno.test("a path holding a comma is one corpus, not a list; a list of names stays a list", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const corpus = join(dir, "a,b", "corp");
    await Deno.mkdir(corpus, { recursive: true });
    // The old code split it: `convert` read the folder, `train` a list of "…/a" and "b/corp" (unknown corpora).
    assertEquals(corpusListEntries(corpus), [corpus]);
    assertEquals(chosenCorpus(corpus), corpus);
    assertEquals(isCorpusList(corpus), false);
    assertEquals(runNameFor("bilstm-crf", corpus), "bilstm-crf-corp");
    assertEquals(corpusListEntries("bc2gm,bionlp13cg"), ["bc2gm", "bionlp13cg"]);
    assertEquals(isCorpusList("bc2gm,bionlp13cg"), true);
    assertEquals(runNameFor("bilstm-crf", `bc2gm,${dir}/x`), "bilstm-crf-bc2gm-x");
    // A relative path is looked up where it is read from: the working folder, or the project for profiles.
    assertEquals(corpusListEntries("a,b", { base: dir }), ["a,b"]);
    assertEquals(corpusListEntries("a,b"), ["a", "b"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
