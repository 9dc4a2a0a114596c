/**
 * `deno task serve` as a user runs it: it says where it listens and which runtime scores (and why, also in
 * `/healthz`), answers, and stops cleanly on SIGTERM; a model of other types than BC5CDR's gets its own page.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { MENTIONS } from "../../data/fixtures/types16/generate.ts";
import { fixtureModel } from "../onnx/fixture_model.ts";
import { spawnServe } from "./helpers.ts";

const MODEL = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;

Deno.test("serve: prints its URL as JSON, serves the API, stops on SIGTERM", async () => {
  const { child, url, model, stderr } = await spawnServe(["--model", MODEL]);
  assertEquals(model, MODEL);
  try {
    const health = await (await fetch(`${url}/healthz`)).json();
    assertEquals(health.status, "ok");
    // The fixture folder has no ONNX export: "auto" runs tfjs, and /healthz says so with the reason.
    assertEquals(health.runtime, "tfjs");
    assertStringIncludes(health.runtimeReason, "auto: no ");
    const response = await fetch(`${url}/api/ner`, {
      method: "POST",
      body: JSON.stringify({ text: "Aspirin." }),
    });
    assertEquals(response.status, 200);
    assertEquals(Array.isArray((await response.json()).entities), true);
  } finally {
    child.kill("SIGTERM");
  }
  assertEquals((await child.status).code, 0);
  const log = await stderr;
  assertStringIncludes(log, `[serve] runtime tfjs: auto: no ${MODEL}/onnx/model.onnx`);
  assertStringIncludes(log, "[serve] stopped");
});

Deno.test("serve a model of 16 types: its heading, legend and /healthz types; examples from NER_CORPUS's test split", async () => {
  const types = Object.keys(MENTIONS);
  const labels = ["O", ...types.flatMap((type) => [`B-${type}`, `I-${type}`])];
  await using folder = await fixtureModel({ exported: false, labels });
  const corpus = new URL("../../data/fixtures/types16", import.meta.url).pathname;
  const { child, url, stderr } = await spawnServe(["--model", folder.dir], { NER_CORPUS: corpus });
  try {
    assertEquals((await (await fetch(`${url}/healthz`)).json()).entityTypes, [...types].sort());
    const page = await (await fetch(`${url}/`)).text();
    assertStringIncludes(page, "<h1>Mentions of 16 entity types</h1>");
    assertEquals([...page.matchAll(/class="legend-entry" data-type="([^"]+)"/g)].length, 16);
    assertStringIncludes(page, '"We measured liver in mice ."');
  } finally {
    child.kill("SIGTERM");
  }
  assertEquals((await child.status).code, 0);
  assertStringIncludes(await stderr, `examples: the test split of ${corpus} (6 sentences`);
});
