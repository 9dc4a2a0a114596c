import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { join } from "node:path";
import { parseSentencesJsonl, readSentencesJsonl, writeSentencesJsonl } from "../../lib/bio/jsonl.ts";
import { convertDocuments, sentencesFromDocument } from "../../lib/bio/convert.ts";
import { SPLITS } from "../../lib/corpus/types.ts";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { projectPath } from "../../lib/util/paths.ts";

Deno.test("sentences written as JSONL read back equal", async () => {
  const corpus = await readBc5cdr({ dir: projectPath("data", "fixtures", "corpus"), splits: ["train"] });
  const sentences = corpus.splits.train.flatMap(sentencesFromDocument);
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "train.jsonl");
    await writeSentencesJsonl(path, sentences);
    assertEquals(await readSentencesJsonl(path), sentences);
    assertEquals((await Deno.readTextFile(path)).split("\n").length, sentences.length + 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad JSONL line is an error naming file:line and the problem", async () => {
  const good = JSON.stringify({
    docId: "1",
    index: 0,
    start: 0,
    end: 1,
    words: [{ text: "a", start: 0, end: 1 }],
    tags: ["O"],
  });
  const cases: [string, string][] = [
    ["{oops", "x.jsonl:2: not JSON"],
    [good.replace(`"tags":["O"]`, `"tags":[]`), "x.jsonl:2: not a sentence: 1 words but 0 tags"],
    [
      good.replace(`"tags":["O"]`, `"tags":["Chemical"]`),
      `x.jsonl:2: not a sentence: tag 0 "Chemical" is not O`,
    ],
    [good.replace(`"docId":"1"`, `"docId":1`), `x.jsonl:2: not a sentence: "docId" must be a string`],
  ];
  for (const [line, message] of cases) {
    assertThrows(() => parseSentencesJsonl(`${good}\n${line}\n`, { source: "x.jsonl" }), Error, message);
  }
  await assertRejects(() => readSentencesJsonl("/nonexistent/train.jsonl"), Deno.errors.NotFound);
});

Deno.test("the committed BIO fixtures are what their generator makes from the corpus fixtures", async () => {
  const corpus = await readBc5cdr({ dir: projectPath("data", "fixtures", "corpus"), source: "pubtator" });
  for (const split of SPLITS) {
    const committed = await readSentencesJsonl(projectPath("data", "fixtures", "bio", `${split}.jsonl`));
    assertEquals(committed, convertDocuments(corpus.splits[split]).sentences);
  }
});
