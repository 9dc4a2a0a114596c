/**
 * Reading a word-tokenised corpus takes bounded memory per sentence (docs/reliability.md): measured as the
 * peak RSS of a child process, so that this test's own memory does not count.
 */
import { assertEquals, assertLess } from "@std/assert";
import { join } from "node:path";
import { projectPath } from "../../lib/util/paths.ts";
import { evalInChild } from "../util/read_in_child.ts";

/** Sentences in the measured file: enough that the per-sentence cost dominates the noise of the heap. */
const SENTENCES = 200_000;

Deno.test("one-token sentences: at most 1.6 KB of peak memory each, read and converted", async () => {
  // The old reader took ~2.5 KB each (1 M one-token sentences, 12 MB: over 2 GB); ~1.9 KB at this size.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "train.tsv"), "a\tO\n\n".repeat(SENTENCES));
    const script = `
      import { loadCorpus } from ${JSON.stringify(projectPath("lib/corpus/load.ts"))};
      import { peakRssMB } from ${JSON.stringify(projectPath("lib/util/peak_rss.ts"))};
      const before = peakRssMB();
      const corpus = await loadCorpus(Deno.args[0]);
      console.log(JSON.stringify({
        sentences: corpus.conversion("train").sentences.length,
        grownMB: peakRssMB() - before,
      }));`;
    const output = await evalInChild(script, [dir], 120_000);
    assertEquals(output.code, 0);
    const { sentences, grownMB } = JSON.parse(output.stdout);
    assertEquals(sentences, SENTENCES);
    const bytesPerSentence = grownMB * 1024 * 1024 / SENTENCES;
    console.log(`peak memory per one-token sentence: ${Math.round(bytesPerSentence)} bytes`);
    assertLess(bytesPerSentence, 1600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
