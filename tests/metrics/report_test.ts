/**
 * The classification report, as text (seqeval's layout, byte for byte) and as a dictionary (seqeval's
 * output_dict key names), and the `deno task seqeval` command.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  classificationReport,
  evaluateTags,
  formatClassificationReport,
  formatFixed,
  seqevalJson,
} from "../../lib/metrics/mod.ts";

const quiet = { onWarning: () => {} };

// seqeval's README example and its published report, the same in default and strict mode.
const README_TRUE = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
const README_PRED = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
const README_REPORT = `              precision    recall  f1-score   support

        MISC       0.00      0.00      0.00         1
         PER       1.00      1.00      1.00         1

   micro avg       0.50      0.50      0.50         2
   macro avg       0.50      0.50      0.50         2
weighted avg       0.50      0.50      0.50         2
`;

Deno.test("text report matches seqeval's README output in both modes", () => {
  assertEquals(formatClassificationReport(README_TRUE, README_PRED), README_REPORT);
  assertEquals(formatClassificationReport(README_TRUE, README_PRED, { mode: "strict" }), README_REPORT);
});

// seqeval tests/test_v1.py: TestClassificationReport.
const V1_TRUE = [["B-A", "B-B", "O", "B-A"]];
const V1_PRED = [["O", "B-B", "B-C", "B-A"]];

Deno.test("text report matches seqeval's test_output_string", () => {
  assertEquals(
    formatClassificationReport(V1_TRUE, V1_PRED, { mode: "strict", ...quiet }),
    `              precision    recall  f1-score   support

           A       1.00      0.50      0.67         2
           B       1.00      1.00      1.00         1
           C       0.00      0.00      0.00         0

   micro avg       0.67      0.67      0.67         3
   macro avg       0.67      0.50      0.56         3
weighted avg       1.00      0.67      0.78         3
`,
  );
});

Deno.test("dictionary report matches seqeval's test_output_dict", () => {
  assertEquals(classificationReport(V1_TRUE, V1_PRED, { mode: "strict", ...quiet }), {
    A: { "f1-score": 0.6666666666666666, precision: 1.0, recall: 0.5, support: 2 },
    B: { "f1-score": 1.0, precision: 1.0, recall: 1.0, support: 1 },
    C: { "f1-score": 0.0, precision: 0.0, recall: 0.0, support: 0 },
    "macro avg": { "f1-score": 0.5555555555555555, precision: 0.6666666666666666, recall: 0.5, support: 3 },
    "micro avg": {
      "f1-score": 0.6666666666666666,
      precision: 0.6666666666666666,
      recall: 0.6666666666666666,
      support: 3,
    },
    "weighted avg": {
      "f1-score": 0.7777777777777777,
      precision: 1.0,
      recall: 0.6666666666666666,
      support: 3,
    },
  });
});

Deno.test("rows come in seqeval's order: types sorted by code point, then the three averages", () => {
  const report = classificationReport([["B-b", "B-B", "B-a"]], [["O", "O", "O"]], quiet);
  assertEquals(Object.keys(report), ["B", "a", "b", "micro avg", "macro avg", "weighted avg"]);
});

Deno.test("numbers are formatted as Python formats them: exact ties round half to even", () => {
  // 0.125 and 0.375 are exact binary fractions: Python's format gives 0.12 and 0.38 (to even).
  assertEquals([0.125, 0.375, 0.625, 0.875].map((x) => formatFixed(x, 2)), ["0.12", "0.38", "0.62", "0.88"]);
  // 0.005 is stored slightly above 0.005 and 0.015 slightly below, so no tie: 0.01 both.
  assertEquals([0.005, 0.015].map((x) => formatFixed(x, 2)), ["0.01", "0.01"]);
  assertEquals([0.5, 1.5, 2.5].map((x) => formatFixed(x, 0)), ["0", "2", "2"]);
  assertEquals(formatFixed(2 / 3, 4), "0.6667");
  assertEquals(formatFixed(NaN, 2), "nan");
  // In a report: precision 1/8 shows as 0.12 (seqeval) where toFixed would print 0.13.
  const yTrue = [["B-A", "O", "O", "O", "O", "O", "O", "O"]];
  const yPred = [["B-A", "B-A", "B-A", "B-A", "B-A", "B-A", "B-A", "B-A"]];
  assertStringIncludes(
    formatClassificationReport(yTrue, yPred),
    "           A       0.12      1.00      0.22         1",
  );
});

Deno.test("all-O input: a report with zero averages and NaN macro average, no crash", () => {
  const text = formatClassificationReport([["O"]], [["O"]], quiet);
  assertStringIncludes(text, "   macro avg        nan       nan       nan         0");
  const evaluation = evaluateTags([["O"]], [["O"]], quiet);
  const json = JSON.parse(JSON.stringify(seqevalJson(evaluation)));
  assertEquals(json["macro avg"], { precision: null, recall: null, "f1-score": null, support: 0 });
  assertEquals(json["micro avg"], { precision: 0, recall: 0, "f1-score": 0, support: 0 });
  assertEquals(json.accuracy, 1);
});

Deno.test("digits sets the number of decimals", () => {
  const text = formatClassificationReport(README_TRUE, README_PRED, { digits: 4 });
  assertStringIncludes(text, "   micro avg     0.5000    0.5000    0.5000         2");
});

async function runCli(input: string, args: string[] = []) {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../lib/cli/seqeval.ts", import.meta.url).pathname, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

Deno.test("deno task seqeval: JSON report on stdout, text report on stderr", async () => {
  const { code, stdout, stderr } = await runCli(JSON.stringify({ y_true: README_TRUE, y_pred: README_PRED }));
  assertEquals(code, 0);
  const json = JSON.parse(stdout);
  assertEquals(Object.keys(json), ["MISC", "PER", "micro avg", "macro avg", "weighted avg", "accuracy"]);
  assertEquals(json["micro avg"]["f1-score"], 0.5);
  assertEquals(json.accuracy, 0.8);
  assertStringIncludes(stderr, README_REPORT);
});

Deno.test("deno task seqeval --mode strict reads a lone I- as no entity", async () => {
  const input = JSON.stringify({ y_true: [["B-PER", "O"]], y_pred: [["I-PER", "O"]] });
  assertEquals(JSON.parse((await runCli(input)).stdout)["micro avg"]["f1-score"], 1);
  assertEquals(JSON.parse((await runCli(input, ["--mode", "strict"])).stdout)["micro avg"]["f1-score"], 0);
});

Deno.test("strict IOBES (seqeval's mode='strict', scheme=IOBES): an entity without E- counts as none", () => {
  // Gold: PER over 0–2 (B E), LOC at 3 (S). Predicted: PER unclosed (B I → no entity), LOC right.
  const yTrue = [["B-PER", "E-PER", "O", "S-LOC"]], yPred = [["B-PER", "I-PER", "O", "S-LOC"]];
  const report = classificationReport(yTrue, yPred, { mode: "strict", scheme: "IOBES", ...quiet });
  assertEquals(report.LOC, { precision: 1, recall: 1, "f1-score": 1, support: 1 });
  assertEquals(report.PER, { precision: 0, recall: 0, "f1-score": 0, support: 1 });
  assertEquals(report["micro avg"], { precision: 1, recall: 0.5, "f1-score": 2 / 3, support: 2 });
});

Deno.test("deno task seqeval --mode strict --scheme IOBES", async () => {
  const input = JSON.stringify({
    y_true: [["B-PER", "E-PER", "S-LOC"]],
    y_pred: [["B-PER", "E-PER", "B-LOC"]],
  });
  const json = JSON.parse((await runCli(input, ["--mode", "strict", "--scheme", "IOBES"])).stdout);
  assertEquals([json.PER["f1-score"], json.LOC["f1-score"]], [1, 0]);
});

Deno.test("deno task seqeval: bad input exits non-zero with a message naming the problem", async () => {
  const cases: [string, string[], string][] = [
    ["not json", [], "not valid JSON"],
    [JSON.stringify({ y_true: [["O"]] }), [], `needs both "y_true" and "y_pred"`],
    [JSON.stringify({ y_true: [["O"]], y_pred: [["O", "O"]] }), [], "sentence 0 has 1 true tags but 2"],
    [JSON.stringify({ y_true: [["O", "E-X"]], y_pred: [["O", "O"]] }), ["--mode", "strict"], "y_true[0][1]"],
    [JSON.stringify({ y_true: [["O"]], y_pred: [["O"]] }), ["--mode", "lenient"], "--mode must be"],
    [
      JSON.stringify({ y_true: [["O"]], y_pred: [["O"]] }),
      ["--scheme", "BILOU"],
      "--scheme must be IOB2 or IOBES",
    ],
  ];
  for (const [input, args, message] of cases) {
    const { code, stdout, stderr } = await runCli(input, args);
    assertEquals(code !== 0, true, message);
    assertEquals(stdout, "", message);
    assertStringIncludes(stderr, message);
  }
});
