/**
 * Inference throughput through the pipeline's scoring path (windows → padded batch → forward → softmax →
 * per-word merge) for the `cpu-small` size and BERT-base (BioBERT's size), random-initialised, on
 * batches of 32 sentences × 128 tokens (126 one-token words + [CLS] + [SEP] each).
 *
 * A batch is first timed on one sentence; when 32 would take longer than `BENCH_MAX_SECONDS` (default 120)
 * — BERT-base on pure-JS tfjs needs ~20 minutes — the benchmark reports the estimate instead of running.
 *
 * @module
 */
import type { Word } from "../lib/bio/types.ts";
import { BertForTokenClassification, makeBertConfig } from "../lib/model/mod.ts";
import { scoreSentences } from "../lib/predict/score.ts";
import { BertTokenizer } from "../lib/tokenizer/mod.ts";
import { loadProfile, type ScratchModelConfig } from "../lib/train/profile.ts";
// The synthetic vocab has BioBERT's size so the embedding matrix is real-sized.
import { BC5CDR_LABELS, BERT_BASE, BIOBERT_VOCAB_SIZE } from "./sizes.ts";
import type { BenchFigures, Benchmark } from "./types.ts";
import { envValue } from "../lib/util/config.ts";

const BATCH = 32;
const SEQ_LENGTH = 128;

/** A vocab of the special tokens and words "w5" … so that every word is one token. */
function syntheticTokenizer(): BertTokenizer {
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  return new BertTokenizer([
    ...specials,
    ...Array.from({ length: BIOBERT_VOCAB_SIZE - specials.length }, (_, i) => `w${i}`),
  ]);
}

/** `count` sentences of `SEQ_LENGTH - 2` one-token words each (deterministic ids). */
function sentences(count: number): Word[][] {
  return Array.from({ length: count }, (_, s) => {
    let start = 0;
    return Array.from({ length: SEQ_LENGTH - 2 }, (_, w) => {
      const text = `w${(s * 7919 + w * 104729) % (BIOBERT_VOCAB_SIZE - 5)}`;
      const word = { text, start, end: start + text.length };
      start = word.end + 1;
      return word;
    });
  });
}

/**
 * Scores `batches` batches of 32 × 128 through `scoreSentences` with a random model of `sizes`.
 *
 * @example
 * ```ts
 * import { BERT_BASE } from "./sizes.ts";
 * const figures = await inferenceThroughput({ sizes: BERT_BASE, batches: 1 });
 * ```
 */
export async function inferenceThroughput(
  options: { sizes: ScratchModelConfig; batches: number; maxSeconds?: number },
): Promise<BenchFigures> {
  const maxSeconds = options.maxSeconds ?? envValue("BENCH_MAX_SECONDS");
  const tokenizer = syntheticTokenizer();
  const config = makeBertConfig({ ...options.sizes, vocab_size: BIOBERT_VOCAB_SIZE }, {
    labels: [...BC5CDR_LABELS],
  });
  const classifier = BertForTokenClassification.create(config, { seed: 1 });
  const score = async (words: Word[][]) => {
    const started = performance.now();
    let tokens = 0;
    const scoring = scoreSentences(words, (w) => w, {
      classifier,
      tokenizer,
      batchSize: BATCH,
      maxLength: SEQ_LENGTH,
    });
    for await (const { tokens: scored } of scoring) tokens += scored.length + 2; // + [CLS] and [SEP]
    return { seconds: (performance.now() - started) / 1000, tokens };
  };
  try {
    const probe = await score(sentences(1)); // also the warm-up
    const estimate = probe.seconds * BATCH * options.batches;
    if (estimate > maxSeconds) {
      return {
        skipped: `≈${Math.round(estimate)} s estimated from one sentence (> BENCH_MAX_SECONDS=${maxSeconds})`,
        "sentences/s (1-sentence probe)": Number((1 / probe.seconds).toPrecision(3)),
      };
    }
    const { seconds, tokens } = await score(sentences(BATCH * options.batches));
    return {
      batch: `${BATCH}x${SEQ_LENGTH}`,
      batches: options.batches,
      "s/batch": Math.round((seconds / options.batches) * 1000) / 1000,
      "sentences/s": Number((BATCH * options.batches / seconds).toPrecision(3)),
      "tokens/s": Math.round(tokens / seconds),
    };
  } finally {
    classifier.dispose();
  }
}

/** The inference benchmarks of `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "predict: cpu-small inference (4x256, batch 32x128)",
    perBackend: true,
    async run() {
      const profile = await loadProfile("cpu-small");
      if (profile.model.init !== "scratch") {
        throw new Error("cpu-small is expected to be a from-scratch size");
      }
      return await inferenceThroughput({ sizes: profile.model.config, batches: 3 });
    },
  },
  {
    name: "predict: BERT-base inference (12x768, batch 32x128)",
    perBackend: true,
    run: () => inferenceThroughput({ sizes: BERT_BASE, batches: 1 }),
  },
];
