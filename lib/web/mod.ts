/**
 * The web demo: a page (the model's entity types, text box, examples, highlighted result, entity table) and a JSON API over the
 * inference pipeline, with request limits; plus the HTML renderer the page and notebook 05 share.
 *
 * @example
 * ```ts
 * import { createNerPipeline } from "../predict/mod.ts";
 * import { serveNer } from "./mod.ts";
 * const ner = await createNerPipeline({ model: "outputs/cpu-small/best" });
 * const { url } = await serveNer({ recognize: ner, modelName: "cpu-small", labels: ner.labels, port: 8000 });
 * ```
 *
 * @module
 */
export {
  createNerHandler,
  DEFAULT_LIMITS,
  DEFAULT_SOCKET_TIMEOUTS,
  type NerHandlerOptions,
  type NerServiceLimits,
  serveNer,
  type ServeNerOptions,
} from "./server.ts";
export { OverloadedError, WorkLimiter, type WorkLimiterOptions } from "./admission.ts";
export { hostChecker, hostRefusal, LOOPBACK_HOSTS } from "./host_check.ts";
export {
  type HttpListener,
  listenHttp,
  type ListenHttpOptions,
  type SocketTimeouts,
} from "./http_listener.ts";
