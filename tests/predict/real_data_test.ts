/**
 * The pipeline on real BC5CDR abstracts with the BioBERT vocab (needs BC5CDR_DIR and BIOBERT_VOCAB; skipped
 * otherwise). The model is random (a tiny BERT): what is checked is what must hold whatever it predicts —
 * offsets on the text, word-level strategies on word boundaries, tags one per word.
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { sentencesFromText } from "../../lib/bio/mod.ts";
import { readPubTator } from "../../lib/corpus/readers/pubtator.ts";
import { BertForTokenClassification, makeBertConfig } from "../../lib/model/mod.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import { initBackend } from "../../lib/backend/mod.ts";

const corpusDir = Deno.env.get("BC5CDR_DIR");
const vocabPath = Deno.env.get("BIOBERT_VOCAB");

Deno.test({
  name: "real abstracts: offsets on the text, word strategies on word boundaries, one tag per word",
  ignore: !corpusDir || !vocabPath,
  async fn() {
    await initBackend();
    const tokenizer = await loadBertTokenizer(vocabPath!);
    const config = makeBertConfig({
      vocab_size: tokenizer.vocabSize,
      hidden_size: 32,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 64,
      max_position_embeddings: 64, // short windows: many sentences are windowed
    }, { labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"] });
    const classifier = BertForTokenClassification.create(config, { seed: 3 });
    const ner = await createNerPipeline({ model: classifier, tokenizer });
    try {
      const docs = (await readPubTator(join(corpusDir!, "pubtator", "CDR_TestSet.PubTator.txt"))).slice(
        0,
        60,
      );
      for (const aggregation of ["none", "simple", "first", "average", "max"] as const) {
        let count = 0;
        for await (const { doc, entities } of ner.recognizeDocuments(docs, { aggregation })) {
          const words = sentencesFromText(doc.text).flatMap((s) => s.words);
          const starts = new Set(words.map((w) => w.start)), ends = new Set(words.map((w) => w.end));
          for (const e of entities) {
            assertEquals(doc.text.slice(e.start, e.end), e.text);
            if (aggregation !== "none" && aggregation !== "simple") {
              assert(
                starts.has(e.start) && ends.has(e.end),
                `${aggregation}: ${JSON.stringify(e)} cuts a word`,
              );
            }
          }
          count += entities.length;
        }
        assert(count > 0, `${aggregation}: a random model predicts some entities`);
      }
      const sentences = docs.flatMap((doc) => sentencesFromText(doc.text, { docId: doc.id }));
      const tags = await ner.tagSentences(sentences);
      assertEquals(tags.map((t) => t.length), sentences.map((s) => s.words.length));
    } finally {
      classifier.dispose();
    }
  },
});
