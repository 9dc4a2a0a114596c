/**
 * The web app: a page (text box, the six examples, highlighted result, entity table) and a JSON API.
 *
 * - `GET /` the page; `GET /static/highlight.js` its renderer (shared with notebook 05);
 * - `POST /api/ner {"text", "aggregation"?}` → `{"entities", "model", "ms"}`;
 * - `GET /healthz` → `{"status": "ok", "model", "uptimeS"}`.
 *
 * Every refusal is a 4xx with `{"error": "<what and why>"}`: a body over `maxBodyBytes` (413), bad JSON or
 * fields (400), text over `maxTextChars` (413), work over `timeoutMs` (408, checked between batches). An
 * unexpected failure is a 500 with the message; the server keeps serving in every case.
 *
 * @module
 */
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { type AggregationStrategy, isAggregationStrategy, type Recognizer } from "../predict/types.ts";
import { AGGREGATION_STRATEGIES } from "../predict/types.ts";

/** Request limits of the API. */
export interface NerServiceLimits {
  /** Largest accepted request body. Default 64 KiB. */
  maxBodyBytes: number;
  /** Longest accepted text, in UTF-16 code units. Default 20,000 (a long abstract is ~3,000). */
  maxTextChars: number;
  /** Time budget of one request's inference. Default 10,000 ms. */
  timeoutMs: number;
}

/** The default {@link NerServiceLimits}. */
export const DEFAULT_LIMITS: NerServiceLimits = {
  maxBodyBytes: 64 * 1024,
  maxTextChars: 20_000,
  timeoutMs: 10_000,
};

/** Options of {@link createNerHandler}. */
export interface NerHandlerOptions {
  /** The inference front door (`createNerPipeline(...)`). */
  recognize: Recognizer;
  /** What `model` says in responses, e.g. the model folder. */
  modelName: string;
  limits?: Partial<NerServiceLimits>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** Reads at most `maxBytes` of the body as UTF-8, refusing (413) as soon as more arrives. */
async function readBody(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, `request body is larger than the limit of ${maxBytes} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.length), 0);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "request body is not valid UTF-8");
  }
}

function parseRequest(
  body: string,
  limits: NerServiceLimits,
): { text: string; aggregation?: AggregationStrategy } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'request body must be a JSON object like {"text": "..."}');
  }
  const { text, aggregation } = parsed as Record<string, unknown>;
  if (typeof text !== "string") throw new HttpError(400, '"text" must be a string');
  if (text.length > limits.maxTextChars) {
    throw new HttpError(413, `"text" has ${text.length} characters; the limit is ${limits.maxTextChars}`);
  }
  if (aggregation !== undefined && !isAggregationStrategy(aggregation)) {
    throw new HttpError(400, `"aggregation" must be one of ${AGGREGATION_STRATEGIES.join(", ")}`);
  }
  return { text, aggregation };
}

/** The page with the examples inlined (`<` escaped so no example can close the script element). */
async function loadPage(): Promise<string> {
  const template = await Deno.readTextFile(new URL("./page.html", import.meta.url));
  return template.replace("__EXAMPLES__", JSON.stringify(EXAMPLE_SENTENCES).replaceAll("<", "\\u003c"));
}

/**
 * The app's request handler (routing, limits, errors), independent of the socket so tests can call it.
 *
 * @example
 * ```ts
 * const ner = await createNerPipeline({ model: "outputs/biobert/best" });
 * const handler = await createNerHandler({ recognize: ner, modelName: "biobert" });
 * Deno.serve({ port: 8000 }, handler);
 * ```
 */
export async function createNerHandler(
  options: NerHandlerOptions,
): Promise<(request: Request) => Promise<Response>> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const page = await loadPage();
  const highlightJs = await Deno.readTextFile(new URL("./highlight.js", import.meta.url));
  const started = performance.now();

  async function recognize(request: Request): Promise<Response> {
    const { text, aggregation } = parseRequest(await readBody(request, limits.maxBodyBytes), limits);
    const t0 = performance.now();
    try {
      const entities = await options.recognize(text, {
        aggregation,
        signal: AbortSignal.timeout(limits.timeoutMs),
      });
      return json(200, { entities, model: options.modelName, ms: performance.now() - t0 });
    } catch (error) {
      if ((error as Error)?.name === "TimeoutError") {
        throw new HttpError(
          408,
          `inference took longer than the limit of ${limits.timeoutMs} ms; send less text`,
        );
      }
      throw error;
    }
  }

  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    try {
      switch (route) {
        case "GET /":
          return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
        case "GET /static/highlight.js":
          return new Response(highlightJs, { headers: { "content-type": "text/javascript; charset=utf-8" } });
        case "GET /healthz":
          return json(200, {
            status: "ok",
            model: options.modelName,
            uptimeS: Math.round(performance.now() - started) / 1000,
          });
        case "POST /api/ner":
          return await recognize(request);
      }
      if (["/", "/healthz", "/api/ner", "/static/highlight.js"].includes(pathname)) {
        throw new HttpError(405, `method ${request.method} is not allowed on ${pathname}`);
      }
      throw new HttpError(404, `no route ${pathname}`);
    } catch (error) {
      if (error instanceof HttpError) return json(error.status, { error: error.message });
      console.error(`[serve] ${route} failed:`, error);
      return json(500, { error: `internal error: ${(error as Error)?.message ?? String(error)}` });
    }
  };
}

/** Options of {@link serveNer}. */
export interface ServeNerOptions extends NerHandlerOptions {
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  hostname?: string;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called once listening, with the URL. */
  onListen?: (url: string) => void;
}

/**
 * Serves the app with `Deno.serve`; resolves once it listens, with the server and its URL.
 *
 * @example
 * ```ts
 * const { url, server } = await serveNer({ recognize: ner, modelName: "smoke", port: 0 });
 * await fetch(`${url}/healthz`);
 * await server.shutdown();
 * ```
 */
export async function serveNer(options: ServeNerOptions): Promise<{ server: Deno.HttpServer; url: string }> {
  const handler = await createNerHandler(options);
  const { promise, resolve } = Promise.withResolvers<string>();
  const server = Deno.serve({
    port: options.port ?? 8000,
    hostname: options.hostname ?? "127.0.0.1",
    signal: options.signal,
    onListen: ({ hostname, port }) => resolve(`http://${hostname}:${port}`),
  }, handler);
  const url = await promise;
  options.onListen?.(url);
  return { server, url };
}
