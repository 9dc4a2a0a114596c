/** vocab.txt parsing, the tokenizer.json a model folder saves, and vocab accessors (committed tiny vocab). */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { Tokenizer } from "@huggingface/tokenizers";
import {
  bertTokenizerConfig,
  bertTokenizerJson,
  loadBertTokenizer,
  parseVocab,
} from "../../lib/tokenizer/mod.ts";
import { fixtureTokenizer } from "./helpers.ts";

const SPECIALS = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";

Deno.test("parseVocab: one token per line, CRLF accepted, id = line number", () => {
  assertEquals(parseVocab(SPECIALS.replaceAll("\n", "\r\n") + "the\r\n##s"), [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "the",
    "##s",
  ]);
});

Deno.test("parseVocab: empty or repeated tokens and missing specials are errors naming the line", () => {
  assertThrows(() => parseVocab(SPECIALS + "the\n\nof\n", "v.txt"), Error, "v.txt:7: empty token");
  assertThrows(
    () => parseVocab(SPECIALS + "the\nthe\n", "v.txt"),
    Error,
    'v.txt:7: token "the" already on line 6',
  );
  assertThrows(() => parseVocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\n", "v.txt"), Error, "v.txt: no [MASK] token");
});

Deno.test("loadBertTokenizer: a missing file is an error naming it", async () => {
  await assertRejects(
    () => loadBertTokenizer("/nonexistent/vocab.txt"),
    Error,
    "cannot read vocab /nonexistent/vocab.txt",
  );
});

Deno.test("bertTokenizerJson: cased BERT pipeline whose saved JSON loads back to the same tokenizer", async () => {
  const tokenizer = await fixtureTokenizer();
  const json = bertTokenizerJson(tokenizer.vocab);
  assertEquals(json.normalizer, {
    type: "BertNormalizer",
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: false,
    lowercase: false,
  });
  assertEquals(json.model.vocab["##lo"], tokenizer.tokenToId("##lo"));
  assertEquals(json.added_tokens.map((t) => [t.content, t.id]), [
    ["[PAD]", 0],
    ["[UNK]", 1],
    ["[CLS]", 2],
    ["[SEP]", 3],
    ["[MASK]", 4],
  ]);
  const reloaded = new Tokenizer(JSON.parse(JSON.stringify(json)), bertTokenizerConfig());
  const text = "Naloxone-induced HYPERtension, α";
  assertEquals(reloaded.encode(text).ids, tokenizer.encodeText(text).ids);
  assertEquals(bertTokenizerConfig().do_lower_case, false);
});

Deno.test("BertTokenizer: id ↔ token accessors, special ids, vocab text", async () => {
  const tokenizer = await fixtureTokenizer();
  assertEquals(tokenizer.specialIds, { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
  assertEquals(tokenizer.idToToken(tokenizer.tokenToId("hyper")!), "hyper");
  assertThrows(() => tokenizer.idToToken(tokenizer.vocabSize), RangeError, "outside vocab");
  assertEquals(parseVocab(tokenizer.vocabText()), tokenizer.vocab);
});
