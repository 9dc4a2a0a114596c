/**
 * Reported types (lib/bio/reported_types.ts): a type a model learns apart but reports as another — the
 * all-corpora model's Cancer, reported as Disease. Checked where users see entities: the pipeline on tfjs and
 * on ONNX Runtime, the static page's recognizer (its legend too), and `reported_types` refused when it names
 * a type the labels lack.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { reportedLabels, reportedTypesProblems } from "../../lib/bio/reported_types.ts";
import { validateWordCrfConfig } from "../../lib/model/word_crf/folder.ts";
import { loadPageRecognizer } from "../../lib/page/recognizer.ts";
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import type { Entity } from "../../lib/predict/types.ts";
import { wordCrfFixture } from "../onnx/word_crf_fixture.ts";

const TEXT = "Cisplatin-induced nephrotoxicity and 😀 tamoxifen caused breast cancer and anemia in rats. " +
  "Naloxone reversed the hypotension.";

Deno.test("reported_types: checked against the labels; labels as entities report them", () => {
  const labels = ["O", "B-Cancer", "I-Cancer", "B-Disease", "I-Disease"];
  assertEquals(reportedTypesProblems({ Cancer: "Disease" }, labels, "reported_types"), []);
  assertEquals(reportedTypesProblems({ Tumour: "Disease" }, labels, "reported_types"), [
    'reported_types: "Tumour" is not a type of the labels (Cancer, Disease)',
  ]);
  assertEquals(reportedTypesProblems({ Cancer: "Cancer" }, labels, "reported_types"), [
    'reported_types: "Cancer" must be reported as another type name',
  ]);
  assertEquals(reportedLabels(labels, { Cancer: "Disease" }), ["O", "B-Disease", "I-Disease"]);
  assertEquals(reportedLabels(labels, undefined), labels);
});

Deno.test("a word-level config.json whose reported_types names a type its labels lack is refused, naming the field", async () => {
  await using model = await wordCrfFixture({ exported: false });
  const config = JSON.parse(await Deno.readTextFile(join(model.dir, "config.json")));
  const message = assertThrows(
    () => validateWordCrfConfig({ ...config, reported_types: { Cancer: "Disease" } }, "m/config.json"),
    Error,
  ).message;
  assertStringIncludes(
    message,
    'm/config.json: invalid word-crf config: reported_types: "Cancer" is not a type',
  );
});

Deno.test("entities leave with their reported types on tfjs, ONNX Runtime and the static page: same spans, Chemical reported as Disease", async () => {
  await using plain = await wordCrfFixture({ seed: 5 });
  await using reporting = await wordCrfFixture({ seed: 5, reportedTypes: { Chemical: "Disease" } });
  const asReported = (entities: Entity[]) =>
    entities.map((e) => ({ ...e, type: e.type === "Chemical" ? "Disease" : e.type }));
  const reported: Record<string, Entity[]> = {};
  for (const runtime of ["tfjs", "onnx"] as const) {
    const before = await createNerPipeline({ model: plain.dir, runtime });
    const after = await createNerPipeline({ model: reporting.dir, runtime });
    const [expected, got] = [await before(TEXT), await after(TEXT)];
    before.dispose();
    after.dispose();
    // Random weights tag chemicals here: the check has something to report.
    assert(expected.some((e) => e.type === "Chemical"), runtime);
    assertEquals(after.reportedTypes, { Chemical: "Disease" });
    assertEquals(got, asReported(expected), runtime);
    reported[runtime] = got;
  }
  // The page runs the ONNX export as `ner` does on ONNX Runtime.
  const page = await loadPageRecognizer({
    ort,
    source: reporting.dir,
    read: (path) => Deno.readFile(join(reporting.dir, path)),
  });
  assertEquals(page.entityTypes, ["Disease"]);
  assertEquals(await page.recognize(TEXT), reported.onnx);
  page.model.dispose();
});
