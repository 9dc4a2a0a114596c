/**
 * An HTTP/1.1 listener for a fetch-style handler, with the socket timeouts `Deno.serve` does not offer
 * (as of Deno 2.9 it has no header, body or idle deadline: a client sending its headers one byte a minute,
 * or 300 idle keep-alive sockets, stay open forever). Built on `node:http`, whose Deno implementation
 * enforces `headersTimeout` (which also covers a connection that never sends a byte), `requestTimeout` and
 * `keepAliveTimeout`.
 *
 * The handler gets a standard `Request` whose `signal` aborts when the client disconnects before the
 * response is sent.
 *
 * @module
 */
import http from "node:http";
import { Readable } from "node:stream";

/** Socket deadlines of {@link listenHttp}, in milliseconds. */
export interface SocketTimeouts {
  /** From a connection's first byte (or the previous response) until its request headers are complete. */
  headerTimeoutMs: number;
  /** From a request's first byte until its body is complete (a backstop; the handler may be stricter). */
  requestTimeoutMs: number;
  /** A keep-alive connection with no new request is closed after this. */
  idleTimeoutMs: number;
}

/** Options of {@link listenHttp}. */
export interface ListenHttpOptions {
  port: number;
  hostname: string;
  timeouts: SocketTimeouts;
  /** Closes the listener and every connection when aborted. */
  signal?: AbortSignal;
}

/** A listening server. */
export interface HttpListener {
  url: string;
  /** Resolves once the server is closed. */
  finished: Promise<void>;
  /** Stops accepting, closes every connection, resolves when done. */
  close(): Promise<void>;
}

const NO_BODY = new Set(["GET", "HEAD"]);

/** Serves one node request with `handler`. */
async function serveRequest(
  handler: (request: Request) => Promise<Response>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const clientGone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) {
      clientGone.abort(new DOMException("the client closed the connection", "AbortError"));
    }
  });
  let bodyDone = NO_BODY.has(req.method ?? "GET");
  req.on("end", () => bodyDone = true);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const request = new Request(new URL(req.url ?? "/", "http://request.invalid"), {
    method: req.method,
    headers,
    body: bodyDone ? null : Readable.toWeb(req) as ReadableStream<Uint8Array>,
    signal: clientGone.signal,
  });
  const response = await handler(request);
  if (clientGone.signal.aborted) return;
  const body = new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  // A body not read to its end (refused early) would otherwise be read on by the keep-alive connection.
  if (!bodyDone) res.setHeader("connection", "close");
  res.end(body);
}

/**
 * Serves `handler` on `hostname:port` (0: a free port); resolves once listening.
 *
 * @example
 * ```ts
 * const listener = await listenHttp(() => Promise.resolve(new Response("ok")), {
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   timeouts: { headerTimeoutMs: 10_000, requestTimeoutMs: 30_000, idleTimeoutMs: 5_000 },
 * });
 * await listener.close();
 * ```
 */
export async function listenHttp(
  handler: (request: Request) => Promise<Response>,
  options: ListenHttpOptions,
): Promise<HttpListener> {
  const { headerTimeoutMs, requestTimeoutMs, idleTimeoutMs } = options.timeouts;
  const server = http.createServer({
    // How often deadlines are checked (Node's default, 30 s, would let them overrun by that much).
    connectionsCheckingInterval: Math.max(50, Math.min(headerTimeoutMs, requestTimeoutMs) / 4),
    requestTimeout: requestTimeoutMs,
    headersTimeout: headerTimeoutMs,
    keepAliveTimeout: idleTimeoutMs,
  }, (req, res) => {
    serveRequest(handler, req, res).catch((error) => {
      // The handler answers every failure itself; what lands here is the socket failing under us.
      console.error(
        `[serve] ${req.method} ${req.url}: response not sent: ${(error as Error)?.message ?? error}`,
      );
      res.destroy();
    });
  });
  const finished = new Promise<void>((resolve) => server.on("close", () => resolve()));
  const close = async () => {
    if (!server.listening) return await finished;
    server.close();
    server.closeAllConnections();
    await finished;
  };
  options.signal?.addEventListener("abort", () => close(), { once: true });
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  server.once("error", reject);
  server.listen(options.port, options.hostname, () => resolve());
  await promise;
  const { port } = server.address() as { port: number };
  const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
  return { url: `http://${host}:${port}`, finished, close };
}
