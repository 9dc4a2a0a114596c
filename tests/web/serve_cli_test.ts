/** `deno task serve` as a user runs it: it says where it listens, answers, and stops cleanly on SIGTERM. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { readLines } from "../../lib/predict/inputs.ts";

const CLI = new URL("../../lib/cli/serve.ts", import.meta.url).pathname;
const MODEL = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;

Deno.test("serve: prints its URL as JSON, serves the API, stops on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "--model", MODEL, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const { value: first } = await lines.next();
  const { url, model } = JSON.parse(first!);
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
  await lines.return(undefined);
  assertStringIncludes(await stderr, "[serve] stopped");
});
