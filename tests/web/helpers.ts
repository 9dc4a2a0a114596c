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
import { readLines } from "../../lib/predict/inputs.ts";

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
    /** Another label set and keyword table for the keyword model (default: BC5CDR's types). */
    labels?: readonly string[];
    keywords?: Readonly<Record<string, string>>;
    examples?: readonly string[];
  } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const { classifier, tokenizer } = await keywordModel(options);
  const ner = await createNerPipeline({ model: classifier, tokenizer, batchSize: options.batchSize });
  const { url, close } = await serveNer({
    recognize: ner,
    modelName: "keyword-model",
    labels: ner.labels,
    examples: options.examples,
    port: 0,
    limits: options.limits,
    socketTimeouts: options.socketTimeouts,
  });
  return { url, close };
}

/**
 * Starts `deno task serve` (lib/cli/serve.ts) on a free port as a user would; resolves once it printed its URL.
 *
 * @example
 * ```ts
 * const serve = await spawnServe(["--model", "data/fixtures/model/tiny-bert"]);
 * serve.child.kill("SIGTERM");
 * ```
 */
export async function spawnServe(args: string[], env: Record<string, string> = {}): Promise<{
  child: Deno.ChildProcess;
  url: string;
  model: string;
  /** All of stderr, once the process ended. */
  stderr: Promise<string>;
}> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../lib/cli/serve.ts", import.meta.url).pathname, ...args, "--port", "0"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const { value: first } = await lines.next();
  // The rest of stdout is not needed: drained so the process never blocks on it.
  lines.return(undefined).catch(() => {});
  const { url, model } = JSON.parse(first!);
  return { child, url, model, stderr };
}
