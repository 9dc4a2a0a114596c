/** `deno task serve` as a user runs it: it says where it listens, answers, and stops cleanly on SIGTERM. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { spawnServe } from "./helpers.ts";

const MODEL = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;

Deno.test("serve: prints its URL as JSON, serves the API, stops on SIGTERM", async () => {
  const { child, url, model, stderr } = await spawnServe(["--model", MODEL]);
  assertEquals(model, MODEL);
  try {
    assertEquals((await (await fetch(`${url}/healthz`)).json()).status, "ok");
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
  assertStringIncludes(await stderr, "[serve] stopped");
});
