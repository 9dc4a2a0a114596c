/** Shared setup of the tokenizer tests. */
import { assertEquals } from "@std/assert";
import { BertTokenizer, loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import type { EncodedWindow } from "../../lib/tokenizer/mod.ts";

/** The real BioBERT vocab, when BIOBERT_VOCAB points to it. */
export const BIOBERT_VOCAB = Deno.env.get("BIOBERT_VOCAB");

/** The tiny committed vocab of data/fixtures/tokenizer (see generate.ts there). */
export function fixtureTokenizer(): Promise<BertTokenizer> {
  return loadBertTokenizer(new URL("../../data/fixtures/tokenizer/vocab.txt", import.meta.url).pathname);
}

/** The tags of BC5CDR and their ids, as a model config's label2id. */
export const LABEL2ID = { "O": 0, "B-Chemical": 1, "I-Chemical": 2, "B-Disease": 3, "I-Disease": 4 };

/** Every token that is not special or [UNK] spells exactly the text its offsets point at. */
export function assertOffsetsSpellTokens(window: EncodedWindow, text: string): void {
  window.tokens.forEach((token, t) => {
    const [start, end] = window.offsets[t];
    if (window.wordIds[t] === null) return assertEquals([start, end], [0, 0]);
    if (token === "[UNK]") return;
    const spelled = token.startsWith("##") && t > 0 && window.wordIds[t - 1] === window.wordIds[t]
      ? token.slice(2)
      : token;
    assertEquals(text.slice(start, end), spelled, `token ${t} ${token} at [${start}, ${end})`);
  });
}
