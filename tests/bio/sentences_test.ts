import { assertEquals } from "@std/assert";
import { splitSentences } from "../../lib/bio/sentences.ts";

function split(text: string, protect: [number, number][] = []): string[] {
  return splitSentences(text, { protect }).map(([s, e]) => text.slice(s, e));
}

Deno.test("sentences end at . ? ! before a capitalised word", () => {
  assertEquals(split("Is it safe? We think so! Doses were low.  Effects were mild."), [
    "Is it safe?",
    "We think so!",
    "Doses were low.",
    "Effects were mild.",
  ]);
});

Deno.test("abbreviations, decimals and species names do not end a sentence", () => {
  assertEquals(
    split("Rats got 0.5 mg/kg i.v. (n = 6), e.g. Wistar rats vs. Sprague Dawley rats. E. coli grew."),
    [
      "Rats got 0.5 mg/kg i.v. (n = 6), e.g. Wistar rats vs. Sprague Dawley rats.",
      "E. coli grew.",
    ],
  );
  assertEquals(split("As Smith et al. showed, see Fig. 2 and Dr. Jones. Next."), [
    "As Smith et al. showed, see Fig. 2 and Dr. Jones.",
    "Next.",
  ]);
});

Deno.test("after a route of administration only a capitalised word starts a new sentence", () => {
  assertEquals(split("It was given p.o. Together, these data agree. It was given i.v. MP was not."), [
    "It was given p.o.",
    "Together, these data agree.",
    "It was given i.v. MP was not.",
  ]);
});

Deno.test("a lowercase gene or chemical name with capitals or digits can start a sentence", () => {
  assertEquals(split("Levels fell. mRNA was unchanged. beta4 -/- mice were resistant. alpha-TC helped."), [
    "Levels fell.",
    "mRNA was unchanged.",
    "beta4 -/- mice were resistant.",
    "alpha-TC helped.",
  ]);
});

Deno.test("no split inside parentheses that close later, nor after an unclosed one", () => {
  assertEquals(split("Doses (low. High ones failed.) were used. Next one."), [
    "Doses (low. High ones failed.) were used.",
    "Next one.",
  ]);
  assertEquals(split("An open ( bracket. Next one."), ["An open ( bracket.", "Next one."]);
});

Deno.test("a sentence never splits a protected span (a mention)", () => {
  const text = "Treated with vit. E. Then recovered.";
  assertEquals(split(text), ["Treated with vit.", "E.", "Then recovered."]);
  assertEquals(split(text, [[13, 19]]), ["Treated with vit. E.", "Then recovered."]);
});

Deno.test("the boundary goes after closing quotes and brackets; offsets are into the whole text", () => {
  const text = 'He said "stop." Then (briefly.) left.';
  assertEquals(split(text), ['He said "stop."', "Then (briefly.) left."]);
  assertEquals(splitSentences("xx A b. C d.", { start: 3 }), [[3, 7], [8, 12]]);
});
