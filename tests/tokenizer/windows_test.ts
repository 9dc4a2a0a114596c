/** Windowing of long sentences, ownership of words, and merging window outputs back per word. */
import { assert, assertEquals, assertGreater, assertLessOrEqual, assertThrows } from "@std/assert";
import { mergeWindowPredictions, planWindows, wordTokenValues } from "../../lib/tokenizer/mod.ts";
import { fixtureTokenizer } from "./helpers.ts";

Deno.test("planWindows: windows overlap by whole words and every overlap is split between its windows", () => {
  assertEquals(planWindows([3, 3, 3, 3], { capacity: 6, stride: 3 }), [
    { wordStart: 0, wordEnd: 2, ownedStart: 0, ownedEnd: 2 },
    { wordStart: 1, wordEnd: 3, ownedStart: 2, ownedEnd: 3 },
    { wordStart: 2, wordEnd: 4, ownedStart: 3, ownedEnd: 4 },
  ]);
  // Ten one-subword words, 6 per window, 4 shared: the shared words go to the window where they are central.
  assertEquals(planWindows(new Array(10).fill(1), { capacity: 6, stride: 4 }), [
    { wordStart: 0, wordEnd: 6, ownedStart: 0, ownedEnd: 4 },
    { wordStart: 2, wordEnd: 8, ownedStart: 4, ownedEnd: 6 },
    { wordStart: 4, wordEnd: 10, ownedStart: 6, ownedEnd: 10 },
  ]);
  assertEquals(planWindows([], { capacity: 6, stride: 2 }), [{
    wordStart: 0,
    wordEnd: 0,
    ownedStart: 0,
    ownedEnd: 0,
  }]);
});

Deno.test("planWindows: on 500 random sentences no word is lost and each is owned once, by its best window", () => {
  let seed = 12345;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let trial = 0; trial < 500; trial++) {
    const capacity = 3 + random(30);
    const stride = random(capacity);
    const lengths = Array.from({ length: random(200) }, () => 1 + random(12));
    const spans = planWindows(lengths, { capacity, stride });
    const size = lengths.map((l) => Math.min(l, capacity));
    const tokens = (from: number, to: number) => size.slice(from, to).reduce((a, b) => a + b, 0);
    const context = (word: number, span: { wordStart: number; wordEnd: number }) =>
      Math.min(tokens(span.wordStart, word), tokens(word + 1, span.wordEnd));
    const where = `trial ${trial} (capacity ${capacity}, stride ${stride})`;

    let nextOwned = 0;
    spans.forEach((span, k) => {
      assertLessOrEqual(tokens(span.wordStart, span.wordEnd), capacity, where);
      assertEquals(span.ownedStart, nextOwned, `${where}: owned ranges are contiguous`);
      assert(span.wordStart <= span.ownedStart && span.ownedEnd <= span.wordEnd, where);
      nextOwned = span.ownedEnd;
      if (k > 0) {
        assertGreater(span.wordEnd, spans[k - 1].wordEnd, `${where}: windows advance`);
        const shared = tokens(span.wordStart, Math.max(span.wordStart, spans[k - 1].wordEnd));
        assertLessOrEqual(shared, stride, `${where}: overlap within stride`);
      }
      for (let word = span.ownedStart; word < span.ownedEnd; word++) {
        for (const other of spans) {
          if (other.wordStart <= word && word < other.wordEnd) {
            assertLessOrEqual(context(word, other), context(word, span), `${where}: word ${word}`);
          }
        }
      }
    });
    assertEquals(nextOwned, lengths.length, `${where}: all words owned`);
  }
});

Deno.test("mergeWindowPredictions: one value per word, the first subword's, from the owning window", async () => {
  const tokenizer = await fixtureTokenizer();
  const words = Array.from({ length: 300 }, (_, i) => ["Naloxone", "induced", "hypertension", "of"][i % 4]);
  const windows = tokenizer.encodeWords(words, { maxLength: 32, stride: 8 });
  assertGreater(windows.length, 10);
  // Each token's value says where it is: [window, position, word].
  const values = windows.map((window, w) => window.wordIds.map((word, t) => [w, t, word]));
  const merged = mergeWindowPredictions(windows, values);
  assertEquals(merged.length, words.length);
  merged.forEach(([w, t, word], i) => {
    assertEquals(word, i);
    const window = windows[w as number];
    assert(window.ownedStart <= i && i < window.ownedEnd, `word ${i} read from window ${w} that owns it`);
    assertEquals(window.wordIds[(t as number) - 1] === i, false, `word ${i} read at its first subword`);
  });
  const perWord = wordTokenValues(windows, values);
  assertEquals(perWord[0].map(([, t]) => t), [1, 2, 3, 4]); // Na ##lo ##xon ##e
});

Deno.test("mergeWindowPredictions: missing or short value rows are errors, padding is fine", async () => {
  const tokenizer = await fixtureTokenizer();
  const windows = tokenizer.encodeWords(["the", "of", "and"]);
  const padded = windows.map((window) => [...window.inputIds, 0, 0, 0]);
  assertEquals(mergeWindowPredictions(windows, padded), windows[0].inputIds.slice(1, 4));
  assertThrows(() => mergeWindowPredictions(windows, []), Error, "0 value rows for 1 windows");
  assertThrows(() => mergeWindowPredictions(windows, [[1, 2]]), Error, "window 0: 2 values for 5 tokens");
});
