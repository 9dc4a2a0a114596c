/**
 * The web app's HTTP contract on a real socket: the page, the JSON API, and every limit answered with a 4xx
 * and a clear message — after which the server still serves.
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { PAGE_MODULES } from "../../lib/web/server.ts";
import { startKeywordApp } from "./helpers.ts";

Deno.test("the page's heading and legend are the served model's types (BC5CDR's as before); /healthz names them", async () => {
  const bc5cdr = await startKeywordApp();
  try {
    const page = await (await fetch(`${bc5cdr.url}/`)).text();
    assertStringIncludes(page, "<h1>Chemical and disease mentions</h1>");
    assertEquals([...page.matchAll(/class="legend-entry" data-type="([^"]+)"/g)].map((m) => m[1]), [
      "Chemical",
      "Disease",
    ]);
    assertEquals((await (await fetch(`${bc5cdr.url}/healthz`)).json()).entityTypes, ["Chemical", "Disease"]);
  } finally {
    await bc5cdr.close();
  }
  const genes = await startKeywordApp({
    labels: ["O", "B-GENE", "I-GENE"],
    keywords: { A: "B-GENE" },
    examples: ["<A> gene"],
  });
  try {
    const page = await (await fetch(`${genes.url}/`)).text();
    assertStringIncludes(page, "<h1>GENE mentions</h1>");
    assertStringIncludes(page, String.raw`const EXAMPLES = ["\u003cA> gene"];`); // "<" cannot end the script
    assertEquals(page.includes(EXAMPLE_SENTENCES[0]), false);
    assertEquals((await (await fetch(`${genes.url}/healthz`)).json()).entityTypes, ["GENE"]);
  } finally {
    await genes.close();
  }
});

async function post(
  url: string,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/ner`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: response.status, json: await response.json() };
}

Deno.test("the page holds the text box, the six examples and the renderer", async () => {
  const app = await startKeywordApp();
  try {
    const page = await (await fetch(`${app.url}/`)).text();
    assertStringIncludes(page, "<textarea");
    for (const example of EXAMPLE_SENTENCES) assertStringIncludes(page, JSON.stringify(example));
    const script = await fetch(`${app.url}/static/highlight/entities.js`);
    assertStringIncludes(script.headers.get("content-type")!, "javascript");
    assertStringIncludes(await script.text(), "export function renderHighlightHtml");
    // Every module the page loads is served, following the relative imports as the browser does.
    const pending = [page.match(/from "(\/static\/[^"]+)"/)![1]];
    const served = new Set<string>();
    while (pending.length) {
      const path = pending.pop()!;
      if (served.has(path)) continue;
      const response = await fetch(`${app.url}${path}`);
      assertEquals(response.status, 200, `${path} is not served`);
      served.add(path);
      for (const [, relative] of (await response.text()).matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
        pending.push(new URL(relative, `http://page${path}`).pathname);
      }
    }
    assertEquals(served.size, PAGE_MODULES.length);
  } finally {
    await app.close();
  }
});

Deno.test("POST /api/ner answers entities with offsets, the model and the time", async () => {
  const app = await startKeywordApp();
  try {
    const text = "Warfarin increases the risk of bleeding.";
    const { status, json } = await post(app.url, JSON.stringify({ text, aggregation: "simple" }));
    assertEquals(status, 200);
    assertEquals(json.model, "keyword-model");
    assert(typeof json.ms === "number" && json.ms >= 0);
    const entities = json.entities as { start: number; end: number; text: string; type: string }[];
    assertEquals(entities.map((e) => [e.text, e.type, e.start]), [["Warfarin", "Chemical", 0], [
      "bleeding",
      "Disease",
      text.indexOf("bleeding"),
    ]]);
    const health = await (await fetch(`${app.url}/healthz`)).json();
    assertEquals(health.status, "ok");
  } finally {
    await app.close();
  }
});

Deno.test("POST /api/ner: offsets count code points (as Python's json + slicing read them), after emoji and 𝛼", async () => {
  const app = await startKeywordApp({ limits: { maxTextChars: 60 } });
  try {
    // In UTF-16 (JavaScript string indices) "aspirin" would start at 22: Python would read "irin; b".
    const text = "😀 𝛼 warfarin and 😀 aspirin; bleeding again.";
    const { status, json } = await post(app.url, JSON.stringify({ text }));
    assertEquals(status, 200);
    const entities = json.entities as { start: number; end: number; text: string }[];
    // Python: [(text.index(w), text.index(w) + len(w)) for w in ("warfarin", "aspirin", "bleeding")]
    assertEquals(entities.map((e) => [e.text, e.start, e.end]), [
      ["warfarin", 4, 12],
      ["aspirin", 19, 26],
      ["bleeding", 28, 36],
    ]);
    // The text limit counts the same characters: 60 emoji are 120 UTF-16 code units, and within it.
    assertEquals((await post(app.url, JSON.stringify({ text: "😀".repeat(60) }))).status, 200);
    const over = await post(app.url, JSON.stringify({ text: "😀".repeat(61) }));
    assertEquals([over.status, over.json.error], [413, '"text" has 61 characters; the limit is 60']);
  } finally {
    await app.close();
  }
});

Deno.test("bad requests get a 4xx with a clear message, and the server keeps serving", async () => {
  const app = await startKeywordApp({ limits: { maxBodyBytes: 1000, maxTextChars: 100 } });
  try {
    const cases: [string | Uint8Array<ArrayBuffer>, number, string][] = [
      ["{not json", 400, "not valid JSON"],
      ["[1, 2]", 400, "must be a JSON object"],
      [JSON.stringify({ txt: "aspirin" }), 400, '"text" must be a string'],
      [JSON.stringify({ text: "aspirin", aggregation: "mean" }), 400, '"aggregation" must be one of'],
      [JSON.stringify({ text: "a".repeat(101) }), 413, "101 characters; the limit is 100"],
      [JSON.stringify({ text: "a".repeat(2000) }), 413, "larger than the limit of 1000 bytes"],
      [new Uint8Array([0x7b, 0xff, 0x7d]), 400, "not valid UTF-8"],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(app.url, body);
      assertEquals(answer.status, status, message);
      assertStringIncludes(String(answer.json.error), message);
    }
    assertEquals((await fetch(`${app.url}/nowhere`).then(async (r) => [r.status, await r.json()]))[0], 404);
    const wrongMethod = await fetch(`${app.url}/api/ner`);
    assertEquals(wrongMethod.status, 405);
    await wrongMethod.body?.cancel();
    assertEquals((await post(app.url, JSON.stringify({ text: "aspirin" }))).status, 200);
  } finally {
    await app.close();
  }
});

Deno.test("a request over the time limit gets a 408 and the next one is served", async () => {
  // Each forward pass takes 30 ms; one window per batch; the limit expires during the first pass.
  const app = await startKeywordApp({ limits: { timeoutMs: 10 }, delayMs: 30, batchSize: 1 });
  try {
    const slow = await post(app.url, JSON.stringify({ text: "Aspirin. Fever. Bleeding. Warfarin." }));
    assertEquals(slow.status, 408);
    assertStringIncludes(String(slow.json.error), "longer than the limit of 10 ms");
    const fast = await post(app.url, JSON.stringify({ text: "" }));
    assertEquals(fast.status, 200);
    assertGreater(Number(fast.json.ms) + 1, 0);
  } finally {
    await app.close();
  }
});
