/**
 * A web app on 127.0.0.1 backed by the keyword model (tests/predict/keyword_classifier.ts), so the tests
 * know which entities the page must show.
 *
 * @module
 */
import { createNerPipeline } from "../../lib/predict/pipeline.ts";
import type { SocketTimeouts } from "../../lib/web/http_listener.ts";
import { type NerServiceLimits, serveNer } from "../../lib/web/server.ts";
import { keywordModel } from "../predict/keyword_classifier.ts";

/**
 * Starts the app on a free port; `close()` stops it.
 *
 * @example
 * ```ts
 * const app = await startKeywordApp();
 * await fetch(`${app.url}/healthz`);
 * await app.close();
 * ```
 */
export async function startKeywordApp(
  options: {
    limits?: Partial<NerServiceLimits>;
    socketTimeouts?: Partial<SocketTimeouts>;
    delayMs?: number;
    batchSize?: number;
  } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const { classifier, tokenizer } = await keywordModel({ delayMs: options.delayMs });
  const ner = await createNerPipeline({ model: classifier, tokenizer, batchSize: options.batchSize });
  const { url, close } = await serveNer({
    recognize: ner,
    modelName: "keyword-model",
    port: 0,
    limits: options.limits,
    socketTimeouts: options.socketTimeouts,
  });
  return { url, close };
}
