/**
 * Tokenizer throughput on BC5CDR sentences with the BioBERT vocab (needs BC5CDR_DIR and BIOBERT_VOCAB): the
 * library's whole-text `encode()` as the reference, the per-word pass with offsets, labels and 128-token
 * windows that training and inference use, and padding into batches with and without length bucketing.
 *
 * @module
 */
import { convertDocuments } from "../lib/bio/mod.ts";
import { readBc5cdr } from "../lib/corpus/mod.ts";
import { loadBertTokenizer, makeBatches, type WindowBatch } from "../lib/tokenizer/mod.ts";
import type { BenchFigures, Benchmark, BenchOptions } from "./types.ts";
import { envValue } from "../lib/util/config.ts";

const LABEL2ID = { "O": 0, "B-Chemical": 1, "I-Chemical": 2, "B-Disease": 3, "I-Disease": 4 };

async function tokenizerThroughput(options?: BenchOptions): Promise<BenchFigures> {
  const vocabPath = envValue("BIOBERT_VOCAB");
  const corpusDir = envValue("BC5CDR_DIR");
  if (!vocabPath || !corpusDir) return { skipped: "set BIOBERT_VOCAB and BC5CDR_DIR" };
  const tokenizer = await loadBertTokenizer(vocabPath);
  const corpus = await readBc5cdr({ dir: corpusDir, splits: ["test"] });
  const documents = corpus.splits.test!.slice(0, options?.quick ? 50 : undefined);
  const textOf = new Map(documents.map((doc) => [doc.id, doc.text]));
  const sentences = convertDocuments(documents).sentences;
  const encodeAll = () => {
    for (const s of sentences) tokenizer.encodeText(textOf.get(s.docId)!.slice(s.start, s.end));
  };
  const encodeWordsAll = () =>
    sentences.flatMap((s) =>
      tokenizer.encodeWords(s.words, { maxLength: 128, stride: 32, labels: s.tags, label2id: LABEL2ID })
    );
  // Warm-up (JIT) so that both passes are timed in the same state.
  encodeAll();
  encodeWordsAll();

  let start = performance.now();
  encodeAll();
  const encodeSeconds = (performance.now() - start) / 1000;

  start = performance.now();
  const windows = encodeWordsAll();
  const wordsSeconds = (performance.now() - start) / 1000;
  const tokens = windows.reduce((sum, window) => sum + window.inputIds.length, 0);

  start = performance.now();
  const bucketed = makeBatches(windows, { batchSize: 32, bucketByLength: true, shuffleSeed: 0 });
  const batchSeconds = (performance.now() - start) / 1000;
  const paddingShare = (batches: WindowBatch[]) =>
    round(1 - tokens / batches.reduce((sum, batch) => sum + batch.inputIds.length, 0), 3);

  return {
    sentences: sentences.length,
    windows: windows.length,
    "encode() sentences/s": Math.round(sentences.length / encodeSeconds),
    "encodeWords sentences/s": Math.round(sentences.length / wordsSeconds),
    "encodeWords tokens/s": Math.round(tokens / wordsSeconds),
    "makeBatches ms": round(batchSeconds * 1000, 1),
    "padding share, bucketed": paddingShare(bucketed),
    "padding share, unbucketed": paddingShare(makeBatches(windows, { batchSize: 32, shuffleSeed: 0 })),
  };
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** The tokenizer's benchmarks for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "tokenizer: BC5CDR test sentences → labelled 128-token windows → batches",
    run: tokenizerThroughput,
  },
];
