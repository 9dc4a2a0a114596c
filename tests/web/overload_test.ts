/**
 * The server under overload and hostile clients (keyword model, 127.0.0.1 only): a bounded queue with 503 +
 * Retry-After beyond it, time limits counted from when work starts, Host/Origin checks, header/body/idle
 * deadlines, and client disconnects logged as such.
 */
import { assert, assertEquals, assertGreater, assertLess, assertStringIncludes } from "@std/assert";
import { startKeywordApp } from "./helpers.ts";

/** One sentence the keyword model tags; the text repeats it, one window (= one 40 ms batch) each. */
const SENTENCE = "Aspirin caused fever. ";

/** Sends `head` (+ `body` after `bodyDelayMs`) on a raw socket; reads until the server closes (≤ `waitMs`). */
async function rawExchange(
  url: string,
  parts: { head: string; body?: string; bodyDelayMs?: number; closeAfterMs?: number; waitMs?: number },
): Promise<{ response: string; closedByServer: boolean; ms: number }> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const started = performance.now();
  const encoder = new TextEncoder();
  await conn.write(encoder.encode(parts.head));
  if (parts.body !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, parts.bodyDelayMs ?? 0));
    await conn.write(encoder.encode(parts.body)).catch(() => {});
  }
  if (parts.closeAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, parts.closeAfterMs));
    conn.close();
    return { response: "", closedByServer: false, ms: performance.now() - started };
  }
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  const timer = setTimeout(() => conn.close(), parts.waitMs ?? 5000);
  let closedByServer = true;
  for (;;) {
    const n = await conn.read(buffer).catch(() => (closedByServer = false, null));
    if (n === null) break;
    chunks.push(decoder.decode(buffer.subarray(0, n)));
  }
  clearTimeout(timer);
  try {
    conn.close();
  } catch {
    // already closed by the timer
  }
  return { response: chunks.join(""), closedByServer, ms: performance.now() - started };
}

function post(url: string, text: string, init: RequestInit = {}) {
  return fetch(`${url}/api/ner`, { method: "POST", body: JSON.stringify({ text }), ...init });
}

Deno.test("beyond the queue: 503 + Retry-After at once; queued requests are timed from when work starts", async () => {
  // Alone, one request takes 4 × 40 ms; the 7th in line starts ~1 s late, far beyond the 400 ms limit.
  const app = await startKeywordApp({
    delayMs: 40,
    batchSize: 1,
    limits: { timeoutMs: 400, maxConcurrent: 1, maxQueued: 6 },
  });
  try {
    const responses = await Promise.all(Array.from({ length: 16 }, () => post(app.url, SENTENCE.repeat(4))));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    const statuses = responses.map((r) => r.status);
    assertEquals(statuses.filter((s) => s === 200).length, 7, `statuses ${statuses}`);
    assertEquals(statuses.filter((s) => s === 503).length, 9, `statuses ${statuses}`);
    responses.forEach((response, i) => {
      if (response.status !== 503) return;
      assertGreater(Number(response.headers.get("retry-after")), 0);
      assertStringIncludes(bodies[i].error, "server busy");
    });
    const health = await (await fetch(`${app.url}/healthz`)).json();
    assertEquals(health.inference, { running: 0, waiting: 0 });
  } finally {
    await app.close();
  }
});

Deno.test("a request over its time limit: 408 says the limit counts from when its work started", async () => {
  const app = await startKeywordApp({ delayMs: 40, batchSize: 1, limits: { timeoutMs: 100 } });
  try {
    const response = await post(app.url, SENTENCE.repeat(10));
    assertEquals(response.status, 408);
    assertStringIncludes((await response.json()).error, "counted from when its work started");
  } finally {
    await app.close();
  }
});

Deno.test("Host and Origin: loopback names pass, other names are refused (DNS rebinding, cross-site)", async () => {
  const app = await startKeywordApp();
  const { port } = new URL(app.url);
  const body = JSON.stringify({ text: "Aspirin." });
  const request = (headers: string) =>
    rawExchange(app.url, {
      head: `POST /api/ner HTTP/1.1\r\n${headers}content-type: application/json\r\n` +
        `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    });
  try {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      assertStringIncludes((await request(`host: ${host}:${port}\r\n`)).response, "HTTP/1.1 200");
    }
    const rebound = await request(`host: attacker.example:${port}\r\n`);
    assertStringIncludes(rebound.response, "HTTP/1.1 403");
    assertStringIncludes(rebound.response, 'Host \\"attacker.example:');
    const crossSite = await request(`host: 127.0.0.1:${port}\r\norigin: https://attacker.example\r\n`);
    assertStringIncludes(crossSite.response, "HTTP/1.1 403");
    assertStringIncludes(crossSite.response, "may not use this API");
    assertStringIncludes(
      (await request(`host: 127.0.0.1:${port}\r\norigin: null\r\n`)).response,
      "HTTP/1.1 403",
    );
    const sameSite = await request(`host: localhost:${port}\r\norigin: http://localhost:${port}\r\n`);
    assertStringIncludes(sameSite.response, "HTTP/1.1 200");
  } finally {
    await app.close();
  }
});

Deno.test("header, body and idle deadlines close slow and idle sockets", async () => {
  const app = await startKeywordApp({
    socketTimeouts: { headerTimeoutMs: 300, idleTimeoutMs: 300, requestTimeoutMs: 3000 },
    limits: { bodyTimeoutMs: 300 },
  });
  const { port } = new URL(app.url);
  try {
    // 50 sockets that never send a byte, and one whose headers never end: all closed by the server.
    const silent = Array.from({ length: 50 }, () => rawExchange(app.url, { head: "" }));
    const slowHead = await rawExchange(app.url, {
      head: `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`,
    });
    assert(slowHead.closedByServer);
    assertLess(slowHead.ms, 2000);
    assertStringIncludes(slowHead.response, "408");
    for (const socket of await Promise.all(silent)) assert(socket.closedByServer && socket.ms < 2000);
    // A body that stops arriving: a 408 naming the body deadline, and the connection is closed.
    const stalled = await rawExchange(app.url, {
      head: `POST /api/ner HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 100\r\n\r\n{"text": "Asp`,
    });
    assertStringIncludes(stalled.response, "HTTP/1.1 408");
    assertStringIncludes(stalled.response, "request body not received within 300 ms");
    assert(stalled.closedByServer);
    // A keep-alive connection left idle after its request is closed.
    const idle = await rawExchange(app.url, {
      head: `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`,
    });
    assertStringIncludes(idle.response, "HTTP/1.1 200");
    assert(idle.closedByServer && idle.ms < 2000, `idle keep-alive socket open ${idle.ms} ms`);
  } finally {
    await app.close();
  }
});

Deno.test("a client that disconnects is logged as such, not as a 500 with a stack", async () => {
  const logged: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  const app = await startKeywordApp({ delayMs: 40, batchSize: 1 });
  const { port } = new URL(app.url);
  try {
    // Gone mid-body.
    await rawExchange(app.url, {
      head: `POST /api/ner HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 1000\r\n\r\n{"text": "Asp`,
      closeAfterMs: 100,
    });
    // Gone during inference.
    const controller = new AbortController();
    const gone = post(app.url, SENTENCE.repeat(10), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await gone.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 600)); // the work stops at its next batch
    // Still serving.
    assertEquals((await post(app.url, "Aspirin.")).status, 200);
    assertEquals((await (await fetch(`${app.url}/healthz`)).json()).inference, { running: 0, waiting: 0 });
  } finally {
    await app.close();
    console.error = consoleError;
  }
  assertEquals(logged, [
    "[serve] POST /api/ner: the client closed the connection while sending the body",
    "[serve] POST /api/ner: the client closed the connection before its answer was ready",
  ]);
});
