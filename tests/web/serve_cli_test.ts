/**
 * `deno task serve` as a user runs it: it says where it listens and which runtime scores (and why, also in
 * `/healthz`), answers, and stops cleanly on SIGTERM.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
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
