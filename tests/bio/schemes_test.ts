/** Tag schemes: reading IOB2 and IOBES into spans, the repairs, mixed schemes, and writing spans back. */
import { assertEquals, assertThrows } from "@std/assert";
import {
  detectScheme,
  readSchemeSpans,
  type TagScheme,
  TagSchemeError,
  tagsFromSpans,
} from "../../lib/bio/tags.ts";
import { randomSpanCases } from "./random_spans.ts";

Deno.test("detectScheme: E-/S- make IOBES, other entity tags IOB2, only O neither", () => {
  assertEquals(detectScheme(["O", "B-A", "I-A"]), "IOB2");
  assertEquals(detectScheme(["B-A", "E-A", "O"]), "IOBES");
  assertEquals(detectScheme(["S-A"]), "IOBES");
  assertEquals(detectScheme(["O", "O"]), undefined);
  assertEquals(detectScheme(["B-E-cadherin"]), "IOB2"); // a type may contain "E-"
});

Deno.test("IOB2: an entity starting with I- is repaired to B- and listed", () => {
  assertEquals(readSchemeSpans(["O", "I-A", "I-A", "I-B", "O"], "IOB2"), {
    spans: [{ start: 1, end: 3, type: "A" }, { start: 3, end: 4, type: "B" }],
    repairs: [{ index: 1, from: "I-A", to: "B-A" }, { index: 3, from: "I-B", to: "B-B" }],
  });
  assertEquals(readSchemeSpans(["B-A", "B-A", "I-A"], "IOB2"), {
    spans: [{ start: 0, end: 1, type: "A" }, { start: 1, end: 3, type: "A" }],
    repairs: [],
  });
});

Deno.test("IOBES: B…E and S entities; E- or I- without B- repaired; an entity without E- is IOB2 (mixed)", () => {
  assertEquals(readSchemeSpans(["B-A", "I-A", "E-A", "S-B", "O"], "IOBES"), {
    spans: [{ start: 0, end: 3, type: "A" }, { start: 3, end: 4, type: "B" }],
    repairs: [],
  });
  assertEquals(readSchemeSpans(["O", "E-A", "I-B", "E-B"], "IOBES"), {
    spans: [{ start: 1, end: 2, type: "A" }, { start: 2, end: 4, type: "B" }],
    repairs: [{ index: 1, from: "E-A", to: "S-A" }, { index: 2, from: "I-B", to: "B-B" }],
  });
  assertEquals(readSchemeSpans(["S-A", "B-B", "I-B", "O"], "IOBES").unclosedAt, 2);
  assertEquals(readSchemeSpans(["B-B"], "IOBES").unclosedAt, 0);
  // S-A right after B-A: the B-A entity has no E-.
  assertEquals(readSchemeSpans(["B-A", "S-A"], "IOBES").unclosedAt, 0);
});

Deno.test("a tag outside the scheme is an error at its index", () => {
  const error = assertThrows(() => readSchemeSpans(["O", "B-A", "E-A"], "IOB2"), TagSchemeError);
  assertEquals(error.index, 2);
  assertEquals(error.message, 'tag "E-A" is not O, B-… or I-…');
  assertEquals(assertThrows(() => readSchemeSpans(["U-A"], "IOBES"), TagSchemeError).index, 0);
  assertEquals(assertThrows(() => readSchemeSpans(["B-"], "IOB2"), TagSchemeError).index, 0);
});

Deno.test("spans → tags → spans is the identity in both schemes, with no repairs (random spans)", () => {
  for (
    const { length, spans } of randomSpanCases({ seed: 7, rounds: 500, maxLength: 12, types: ["A", "B-c"] })
  ) {
    for (const scheme of ["IOB2", "IOBES"] as TagScheme[]) {
      const tags = tagsFromSpans(spans, length, scheme);
      assertEquals(readSchemeSpans(tags, scheme), { spans, repairs: [] }, `${scheme} ${tags}`);
    }
  }
});
