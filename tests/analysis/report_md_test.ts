/** The markdown report with hostile type names and entity texts: they stay text in every renderer. */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { scorePredictions } from "../../lib/analysis/evaluate_run.ts";
import { evaluationMarkdown } from "../../lib/analysis/report_md.ts";
import type { Sentence } from "../../lib/bio/types.ts";

const IMG = "<img src=x onerror=alert(1)>", LINK = "[click](javascript:alert(1))";

/** A sentence of `words` with `tags`, word offsets as if joined by spaces. */
function sentence(words: string[], tags: string[]): Sentence {
  let start = 0;
  const placed = words.map((text) => ({ text, start, end: (start += text.length + 1) - 1 }));
  return { docId: "d", index: 0, start: 0, end: start - 1, words: placed, tags };
}

Deno.test("report.md: type names and entity texts are data — no HTML, link or code span, fences hold", () => {
  const words = ["```", "<b>x</b>", "*y*", "ok"];
  const gold = [sentence(words, [`B-${IMG}`, `B-${LINK}`, "O", `B-${IMG}`])];
  const predicted = [sentence(words, [`B-${LINK}`, "O", `B-${IMG}`, `B-${IMG}`])];
  const markdown = evaluationMarkdown({
    title: "hostile",
    ...scorePredictions({ gold, predicted }),
    figures: [],
  });
  assertStringIncludes(markdown, String.raw`| \<img src=x onerror=alert(1)\> |`);
  assertStringIncludes(markdown, String.raw`\[click\](javascript:alert(1))`);
  assertStringIncludes(markdown, String.raw`| \<b\>x\</b\> | \[click\]`);
  assertStringIncludes(markdown, "| *micro avg* |"); // the report's own emphasis stays
  // Outside code blocks, no markup character is left unescaped; the examples' fence outlasts the "```" word.
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const opens = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opens) fence = opens;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined && !line.startsWith("#")) {
      assertEquals(/(^|[^\\])[<[`]/.test(line.replace(/\\\\/g, "")), false, line);
    }
  }
  assertEquals(fence, undefined);
  assert(markdown.includes("\n````text\n"), "the fence is longer than the longest backtick run");
});
