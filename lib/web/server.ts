// Over 300 lines: one request path (admission, limits, Host/Origin checks, errors) shares the server state.
/**
 * The web app: a page (a heading and legend of the model's entity types, text box, example sentences,
 * highlighted result, entity table) and a JSON API.
 *
 * - `GET /` the page; `GET /static/<path>.js` the page's modules: the entity renderer, palette and escaping
 *   from lib/ (the same files Deno imports; see {@link PAGE_MODULES});
 * - `POST /api/ner {"text", "aggregation"?}` → `{"entities", "model", "ms"}`: each entity
 *   `{"start", "end", "text", "type", "score"}` with offsets in Unicode code points of "text", end exclusive
 *   (as Python counts: `text[start:end] == entity["text"]`);
 * - `GET /healthz` → `{"status": "ok", "model", "entityTypes", "runtime", "runtimeReason", "uptimeS",
 *   "inference": {"running", "waiting"}}` (`entityTypes`: what the model finds, from its labels) (`runtime`: what scores, and why — lib/predict/runtime.ts; null when not given), or
 *   503 `{"status": "unavailable", "model", "error"}` when the model cannot serve (its inference Worker died).
 *
 * Every refusal is a 4xx or a 503 with `{"error": "<what and why>"}`: a Host or Origin not on the allow-list
 * (403; against DNS rebinding), a body over `maxBodyBytes` (413) or not received within `bodyTimeoutMs`
 * (408), bad JSON or fields (400), text over `maxTextChars` (413), inference over `timeoutMs` counted from
 * when its work starts (408, checked between batches), all `maxConcurrent` slots busy and `maxQueued`
 * requests waiting, or no slot within `queueTimeoutMs` (503 with Retry-After). A client that disconnects is
 * logged as such. An unexpected failure is a 500 with the message; the server keeps serving in every case.
 *
 * @module
 */
import { mentionsHeading, renderLegendHtml } from "../highlight/entities.js";
import { labelEntityTypes, paletteFor } from "../highlight/palette.js";
import { demoPageStyle } from "../highlight/page_style.ts";
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { type AggregationStrategy, isAggregationStrategy, type Recognizer } from "../predict/types.ts";
import { AGGREGATION_STRATEGIES } from "../predict/types.ts";
import { OverloadedError, WorkLimiter } from "./admission.ts";
import { hostChecker, LOOPBACK_HOSTS } from "./host_check.ts";
import { offsetConverter } from "../util/code_points.js";
import { escapeHtml, scriptJson } from "../util/escape_html.js";
import { type HttpListener, listenHttp, type SocketTimeouts } from "./http_listener.ts";

/** Request limits of the API. */
export interface NerServiceLimits {
  /** Largest accepted request body. Default 64 KiB. */
  maxBodyBytes: number;
  /** Longest accepted text, in characters (code points). Default 20,000 (a long abstract is ~3,000). */
  maxTextChars: number;
  /** Time budget of one request's inference, from when its work starts. Default 10,000 ms. */
  timeoutMs: number;
  /** Requests doing inference at once. Default 1 (inference already uses every core). */
  maxConcurrent: number;
  /** Requests waiting for an inference slot; more are refused with 503. Default 32. */
  maxQueued: number;
  /** Longest wait for an inference slot before a 503. Default 10,000 ms. */
  queueTimeoutMs: number;
  /** Longest time to receive a request body once its headers are in. Default 10,000 ms. */
  bodyTimeoutMs: number;
}

/** The default {@link NerServiceLimits}. */
export const DEFAULT_LIMITS: NerServiceLimits = {
  maxBodyBytes: 64 * 1024,
  maxTextChars: 20_000,
  timeoutMs: 10_000,
  maxConcurrent: 1,
  maxQueued: 32,
  queueTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
};

/** The default {@link SocketTimeouts} of {@link serveNer}. */
export const DEFAULT_SOCKET_TIMEOUTS: SocketTimeouts = {
  headerTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
};

/** Options of {@link createNerHandler}. */
export interface NerHandlerOptions {
  /** The inference front door (`createNerPipeline(...)`). */
  recognize: Recognizer;
  /** What `model` says in responses, e.g. the model folder. */
  modelName: string;
  /**
   * The model's labels (`O`, `B-Chemical`, …; `NerPipeline.labels`): the page's heading, legend and colours
   * are those of their entity types.
   */
  labels: readonly string[];
  /** The page's example sentences (buttons). Default: BC5CDR's demo sentences (lib/predict/examples.ts). */
  examples?: readonly string[];
  /** The runtime that scores (lib/predict/runtime.ts) and why, for `/healthz`. */
  runtime?: { name: string; reason: string };
  limits?: Partial<NerServiceLimits>;
  /**
   * Host names the server answers to (Host header, and Origin of API calls). Default: the loopback names
   * (localhost, 127.0.0.1, [::1]); serving other machines needs their names here.
   */
  allowedHosts?: readonly string[];
  /**
   * Why `recognize` cannot serve now (its Worker died), or undefined when it can: `/healthz` then answers 503
   * `{"status": "unavailable", "error"}`. Default: always able.
   */
  unavailable?: () => string | undefined;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** The client disconnected: there is nobody to answer. */
class ClientGoneError extends Error {
  constructor(readonly stage: string) {
    super(`the client closed the connection ${stage}`);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * Reads at most `maxBytes` of the body as UTF-8, refusing (413) as soon as more arrives, and (408) when it
 * has not all arrived within `timeoutMs`.
 */
async function readBody(request: Request, maxBytes: number, timeoutMs: number): Promise<string> {
  const tooLarge = () => new HttpError(413, `request body is larger than the limit of ${maxBytes} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  const deadline = Promise.withResolvers<never>();
  const timer = setTimeout(
    () => deadline.reject(new HttpError(408, `request body not received within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    while (reader) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await Promise.race([reader.read(), deadline.promise]);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new ClientGoneError("while sending the body");
      }
      if (next.done) break;
      size += next.value.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    reader?.cancel().catch(() => {});
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
  const characters = offsetConverter(text).codePointLength;
  if (characters > limits.maxTextChars) {
    throw new HttpError(413, `"text" has ${characters} characters; the limit is ${limits.maxTextChars}`);
  }
  if (aggregation !== undefined && !isAggregationStrategy(aggregation)) {
    throw new HttpError(400, `"aggregation" must be one of ${AGGREGATION_STRATEGIES.join(", ")}`);
  }
  return { text, aggregation };
}

/**
 * The modules the page imports, served at `/static/` + their path under lib/, so the relative imports
 * between them resolve in the browser as they do in Deno.
 */
export const PAGE_MODULES: readonly string[] = [
  "highlight/entities.js",
  "highlight/marks.js",
  "highlight/palette.js",
  "util/code_points.js",
  "util/escape_html.js",
];

/** Each page module's text by its URL path. */
async function loadPageModules(): Promise<Map<string, string>> {
  const libRoot = new URL("../", import.meta.url);
  return new Map(
    await Promise.all(
      PAGE_MODULES.map(async (path) =>
        [`/static/${path}`, await Deno.readTextFile(new URL(path, libRoot))] as const
      ),
    ),
  );
}

/** The page template's placeholders. */
const PAGE_PLACEHOLDERS = ["STYLE", "HEADING", "LEGEND", "ENTITY_TYPES", "EXAMPLES"] as const;

/**
 * The page for a model of these entity types: heading and legend filled in, the types and examples inlined
 * for its script. Every placeholder is filled in one pass over the template, so text put in (a type named
 * `__ENTITY_TYPES__`) is never read as a placeholder; each value is escaped for where it goes (HTML text and
 * attributes: escapeHtml; the script: scriptJson).
 */
async function loadPage(types: readonly string[], examples: readonly string[]): Promise<string> {
  const template = await Deno.readTextFile(new URL("./page.html", import.meta.url));
  const values: Record<(typeof PAGE_PLACEHOLDERS)[number], string> = {
    STYLE: await demoPageStyle(),
    HEADING: escapeHtml(mentionsHeading(types)),
    LEGEND: renderLegendHtml(paletteFor(types)),
    ENTITY_TYPES: scriptJson(types),
    EXAMPLES: scriptJson(examples),
  };
  const placeholder = new RegExp(`__(${PAGE_PLACEHOLDERS.join("|")})__`, "g");
  return template.replace(placeholder, (_, name: keyof typeof values) => values[name]);
}

/**
 * The app's request handler (routing, limits, errors), independent of the socket so tests can call it.
 *
 * @example
 * ```ts
 * import { createNerPipeline } from "../predict/pipeline.ts";
 * const ner = await createNerPipeline({ model: "outputs/biobert/best" });
 * const handler = await createNerHandler({ recognize: ner, modelName: "biobert", labels: ner.labels });
 * Deno.serve({ port: 8000 }, handler);
 * ```
 */
export async function createNerHandler(
  options: NerHandlerOptions,
): Promise<(request: Request) => Promise<Response>> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const hostRefusal = hostChecker(options.allowedHosts ?? LOOPBACK_HOSTS);
  const limiter = new WorkLimiter({
    concurrency: limits.maxConcurrent,
    queueLength: limits.maxQueued,
    queueTimeoutMs: limits.queueTimeoutMs,
  });
  const entityTypes = labelEntityTypes(options.labels);
  const page = await loadPage(entityTypes, options.examples ?? EXAMPLE_SENTENCES);
  const pageModules = await loadPageModules();
  const started = performance.now();

  async function recognize(request: Request): Promise<Response> {
    const body = await readBody(request, limits.maxBodyBytes, limits.bodyTimeoutMs);
    const { text, aggregation } = parseRequest(body, limits);
    try {
      return await limiter.run(async () => {
        // The time limit starts with the work, not with the wait for a slot.
        const t0 = performance.now();
        const signal = AbortSignal.any([request.signal, AbortSignal.timeout(limits.timeoutMs)]);
        const entities = await options.recognize(text, { aggregation, signal });
        return json(200, { entities, model: options.modelName, ms: performance.now() - t0 });
      }, request.signal);
    } catch (error) {
      if (request.signal.aborted) throw new ClientGoneError("before its answer was ready");
      if (error instanceof OverloadedError) {
        throw new HttpError(503, error.message, { "retry-after": String(error.retryAfterS) });
      }
      if ((error as Error)?.name === "TimeoutError") {
        throw new HttpError(
          408,
          `inference of ${
            offsetConverter(text).codePointLength
          } characters took longer than the limit of ${limits.timeoutMs} ms ` +
            `(counted from when its work started); send less text`,
        );
      }
      throw error;
    }
  }

  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    try {
      const refusal = hostRefusal(request.headers);
      if (refusal) throw new HttpError(403, refusal);
      switch (route) {
        case "GET /":
          return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
        case "GET /healthz": {
          const why = options.unavailable?.();
          if (why !== undefined) {
            return json(503, { status: "unavailable", model: options.modelName, error: why });
          }
          return json(200, {
            status: "ok",
            model: options.modelName,
            entityTypes,
            runtime: options.runtime?.name ?? null,
            runtimeReason: options.runtime?.reason ?? null,
            uptimeS: Math.round(performance.now() - started) / 1000,
            inference: limiter.load,
          });
        }
        case "POST /api/ner":
          return await recognize(request);
      }
      const pageModule = pageModules.get(pathname);
      if (request.method === "GET" && pageModule !== undefined) {
        return new Response(pageModule, { headers: { "content-type": "text/javascript; charset=utf-8" } });
      }
      if (["/", "/healthz", "/api/ner"].includes(pathname) || pageModule !== undefined) {
        throw new HttpError(405, `method ${request.method} is not allowed on ${pathname}`);
      }
      throw new HttpError(404, `no route ${pathname}`);
    } catch (error) {
      if (error instanceof HttpError) return json(error.status, { error: error.message }, error.headers);
      if (error instanceof ClientGoneError) {
        console.error(`[serve] ${route}: ${error.message}`);
        return json(499, { error: error.message }); // never delivered: nobody is listening
      }
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
  /** Header, request and idle deadlines of the sockets. Default {@link DEFAULT_SOCKET_TIMEOUTS}. */
  socketTimeouts?: Partial<SocketTimeouts>;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called once listening, with the URL. */
  onListen?: (url: string) => void;
}

/**
 * Serves the app; resolves once it listens, with its URL, `finished` and `close()`.
 *
 * @example
 * ```ts
 * declare const ner: any; // the example's inputs
 * const server = await serveNer({ recognize: ner, modelName: "smoke", labels: ner.labels, port: 0 });
 * await fetch(`${server.url}/healthz`);
 * await server.close();
 * ```
 */
export async function serveNer(options: ServeNerOptions): Promise<HttpListener> {
  const handler = await createNerHandler(options);
  const listener = await listenHttp(handler, {
    port: options.port ?? 8000,
    hostname: options.hostname ?? "127.0.0.1",
    timeouts: { ...DEFAULT_SOCKET_TIMEOUTS, ...options.socketTimeouts },
    signal: options.signal,
  });
  options.onListen?.(listener.url);
  return listener;
}
