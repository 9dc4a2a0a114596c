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
import type { Duplex } from "node:stream";

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

/**
 * How much of a refused request's body is read and dropped before the answer: a client that sends its whole
 * body before reading (Python's urllib and requests: no `Expect: 100-continue`) would otherwise find the
 * socket closed under it — "Broken pipe" instead of the 413. Bounded in bytes and time, as nginx's lingering
 * close is: beyond that, or once nothing arrived for `idleMs` (a client that stopped sending, e.g. the one a
 * 408 answers), the answer is sent and the connection closed regardless.
 */
export const DRAIN_LIMITS = { maxBytes: 16 * 1024 * 1024, maxMs: 5_000, idleMs: 250 } as const;

/**
 * `req`'s body as a web stream whose cancel (or `discard()`) stops delivering without destroying `req`
 * (Readable.toWeb's cancel destroys it, and with it the socket): the rest can still be drained.
 */
function bodyStream(req: http.IncomingMessage): { stream: ReadableStream<Uint8Array>; discard(): void } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Uint8Array) => {
        if (cancelled) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => !cancelled && controller.close());
      req.on("error", (error) => !cancelled && controller.error(error));
      req.on("aborted", () => !cancelled && controller.error(new Error("the client closed the connection")));
    },
    pull() {
      req.resume();
    },
    cancel() {
      cancelled = true;
      req.pause();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }));
  return { stream, discard: () => cancelled = true };
}

/** Reads and drops what `stream` still sends, at most {@link DRAIN_LIMITS}. */
function drain(
  stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean },
): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  let seen = 0;
  const done = () => {
    clearTimeout(timer);
    clearTimeout(idle);
    stream.off("data", onData).off("end", done).off("close", done);
    resolve();
  };
  const onData = (chunk: Uint8Array) => {
    seen += chunk.length;
    if (seen > DRAIN_LIMITS.maxBytes) return done();
    clearTimeout(idle);
    idle = setTimeout(done, DRAIN_LIMITS.idleMs);
  };
  const timer = setTimeout(done, DRAIN_LIMITS.maxMs);
  let idle = setTimeout(done, DRAIN_LIMITS.idleMs);
  stream.on("data", onData).on("end", done).on("close", done);
  if (stream.readableEnded || stream.destroyed) done();
  else stream.resume();
  return promise;
}

/** Node's answers to a request it cannot parse (its default `clientError` behaviour, kept). */
const CLIENT_ERROR_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

/**
 * Answers a request node:http could not parse as node does (400; 408 on a header timeout), except that headers
 * over the size limit get their 431 and then a bounded drain before the close, like a refused body.
 */
async function answerClientError(error: Error & { code?: string }, socket: Duplex): Promise<void> {
  const status = CLIENT_ERROR_ANSWERS[error.code ?? ""] ?? "400 Bad Request";
  if (!socket.writable) return void socket.destroy();
  // The parser stops here: what the client still sends is only drained.
  socket.removeAllListeners("data");
  socket.write(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  if (error.code === "HPE_HEADER_OVERFLOW") await drain(socket);
  socket.destroy();
}

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
  const body = bodyDone ? undefined : bodyStream(req);
  const request = new Request(new URL(req.url ?? "/", "http://request.invalid"), {
    method: req.method,
    headers,
    body: body?.stream ?? null,
    signal: clientGone.signal,
  });
  const response = await handler(request);
  if (clientGone.signal.aborted) return;
  const answer = new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!bodyDone) {
    // Refused before its end: the client may still be sending (see DRAIN_LIMITS). Not kept alive, since the
    // rest of an undrained body would be read as the next request.
    body?.discard();
    await drain(req);
    if (clientGone.signal.aborted) return;
    res.setHeader("connection", "close");
  }
  res.end(answer);
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
  const answered = new WeakSet<Duplex>();
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    if (answered.has(socket)) return; // the parser reports each later chunk again
    answered.add(socket);
    answerClientError(error, socket).catch(() => socket.destroy());
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
