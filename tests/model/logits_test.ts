import { assert, assertEquals, assertLess } from "@std/assert";
import { fileURLToPath } from "node:url";
import { initBackend } from "../../lib/backend/mod.ts";
import { type LogitsReport, logitsReport } from "../../lib/model/mod.ts";
import { reference, TINY_BERT } from "./reference.ts";

await initBackend();

const NER_CLI = fileURLToPath(new URL("../../lib/cli/ner.ts", import.meta.url));

function maxAbsDifference(actual: number[][], expected: number[][]): number {
  assertEquals(actual.length, expected.length, "one logits row per token");
  return Math.max(
    ...actual.flatMap((row, t) => row.map((value, label) => Math.abs(value - expected[t][label]))),
  );
}

Deno.test("logitsReport tokenizes as BERT does and matches PyTorch's logits for the text", async () => {
  const report = await logitsReport({ model: TINY_BERT, text: reference.text });
  assertEquals(report.tokens, reference.textTokens);
  assertEquals(report.inputIds, reference.textInputIds);
  assertLess(maxAbsDifference(report.logits, reference.textLogits), 1e-4);
});

Deno.test("a text longer than max_position_embeddings keeps one window, ending with [SEP]", async () => {
  const report = await logitsReport({ model: TINY_BERT, text: "rats ".repeat(100) });
  assertEquals(report.inputIds.length, 64);
  assertEquals(report.tokens.at(0), "[CLS]");
  assertEquals(report.tokens.at(-1), "[SEP]");
  assertEquals(report.logits.length, 64);
});

Deno.test("`deno task ner --model DIR --logits TEXT` prints {tokens, inputIds, logits} as its last stdout line", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", NER_CLI, "--model", TINY_BERT, "--logits", reference.text],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  const printed: LogitsReport = JSON.parse(lines.at(-1)!);
  assertEquals(Object.keys(printed), ["tokens", "inputIds", "logits"]);
  assertEquals(printed.inputIds, reference.textInputIds);
  assert(printed.logits.every((row) => row.length === 5));
  assertLess(maxAbsDifference(printed.logits, reference.textLogits), 1e-4);
});
