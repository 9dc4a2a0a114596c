/**
 * A model of 16 entity types (BioNLP13CG's, 33 labels) through `deno task export-onnx` and
 * `NER_RUNTIME=onnx deno task ner`: the export keeps the folder's label map, and the entities name the
 * model's own types — nothing assumes BC5CDR's Chemical and Disease.
 */
import { assert, assertEquals } from "@std/assert";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { labelEntityTypes } from "../../lib/highlight/palette.js";
import { readExportRecord } from "../../lib/model/export_record.ts";
import { EXPORT_CLI, fixtureModel, NER_CLI, runCli, SENTENCE } from "./fixture_model.ts";

const TYPES = Object.keys(MENTIONS);
const LABELS = ["O", ...TYPES.flatMap((type) => [`B-${type}`, `I-${type}`])];

Deno.test("export-onnx and ner on a 16-type model: the label map and the entity types are the model's", async () => {
  await using model = await fixtureModel({ exported: false, labels: LABELS });
  const exported = await runCli(EXPORT_CLI, ["--model", model.dir]);
  assertEquals(exported.code, 0, exported.stderr);
  const record = await readExportRecord(model.dir);
  assertEquals(Object.values(record!.id2label), LABELS);
  const text = `${SENTENCE} ${Object.values(MENTIONS).join(", ")}.`;
  const found = new Map<string, string[]>();
  for (const runtime of ["onnx", "tfjs"]) {
    const { code, stdout, stderr } = await runCli(
      NER_CLI,
      ["--model", model.dir, "--workers", "1", "--text", text],
      { NER_RUNTIME: runtime },
    );
    assertEquals(code, 0, stderr);
    found.set(runtime, (JSON.parse(stdout).entities as { type: string }[]).map((e) => e.type));
  }
  const types = found.get("onnx")!;
  assertEquals(types, found.get("tfjs"));
  // The random head finds entities of several of the model's types, and of no other.
  assert(new Set(types).size >= 3, `types found: ${types}`);
  assertEquals(types.filter((type) => !TYPES.includes(type)), []);
  assertEquals(labelEntityTypes(Object.values(record!.id2label)), [...TYPES].sort());
});
