/**
 * `deno task serve [--model DIR] [--port N] [--host H]`: the web demo (page + `POST /api/ner` + `GET /healthz`,
 * see lib/web/server.ts). Without `--model`, the best trained model under outputs/ (the smoke model, trained in
 * seconds, when there is none — said on stderr) and the runtime that scores, with why (stderr, and `/healthz`).
 * The page's heading, legend and colours are the model's entity types; its examples are BC5CDR's demo
 * sentences for a Chemical/Disease model, else sentences of the test split of `NER_CORPUS` (said on stderr).
 * Entity offsets in the API's answers count Unicode code points of the text, as Python does. Once listening,
 * prints `{"url", "model", "backend", "runtime"}` on stdout; Ctrl-C (or SIGTERM) stops it cleanly.
 *
 * @module
 */
import { reportedLabels } from "../bio/reported_types.ts";
import { chosenCorpus } from "../corpus/names.ts";
import { corpusOfModel } from "../train/run/find_best.ts";
import { parseArgs } from "node:util";
import { AGGREGATION_STRATEGIES, type AggregationStrategy, DEFAULT_AGGREGATION } from "../predict/types.ts";
import { findBestModel } from "../train/run/find_best.ts";
import { LOOPBACK_HOSTS } from "../web/host_check.ts";
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { demoExamples } from "../predict/demo_examples.ts";
import { labelEntityTypes } from "../highlight/palette.js";
import { DEFAULT_LIMITS, type NerServiceLimits, serveNer } from "../web/server.ts";
import { createWorkerRecognizer, type WorkerRecognizer } from "../web/worker_recognizer.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";

const USAGE = `usage: deno task serve [--model DIR] [--port N] [--host H] [--aggregation A]
  --model DIR        model folder (HF layout); default: the best trained model under outputs/
  --port N           default 8000 (0: any free port)
  --host H           default 127.0.0.1 (0.0.0.0 to serve other machines)
  --aggregation A    default strategy of requests without one: ${
  AGGREGATION_STRATEGIES.join("|")
} (default ${DEFAULT_AGGREGATION})
  --max-chars N      longest text accepted (default ${DEFAULT_LIMITS.maxTextChars})
  --timeout-ms N     inference time budget per request, from when its work starts (default ${DEFAULT_LIMITS.timeoutMs})
  --max-concurrent N requests doing inference at once (default ${DEFAULT_LIMITS.maxConcurrent})
  --max-queued N     requests waiting for inference; more get 503 + Retry-After (default ${DEFAULT_LIMITS.maxQueued})
  --allow-host NAME  a host name clients may use (Host/Origin check against DNS rebinding; repeatable);
                     always allowed: ${LOOPBACK_HOSTS.join(", ")} and --host
env NER_RUNTIME=R    tfjs | onnx | onnx-q8 | auto (as for deno task ner)
exit codes (as deno task ner's): 0 stopped by Ctrl-C/SIGTERM; 1 a model that cannot load (e.g. NER_RUNTIME=onnx
                     on an export of other weights); 2 bad arguments`;

function fail(message: string, code: number = EXIT_CODES.usage): never {
  throw new ExitError(message, code);
}

/** The largest TCP port. */
const MAX_PORT = 65535;

function positiveInteger(value: string, name: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    fail(`${name} must be a ${allowZero ? "" : "positive "}integer`);
  }
  return n;
}

/**
 * Runs the command with `args`; returns the exit code (1: a model that cannot load or serve, or it cannot
 * listen — the port in use, an address not of this machine; 2: bad arguments).
 */
export function main(args: string[]): Promise<number> {
  return runCommand("serve", async () => {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        port: { type: "string", default: "8000" },
        host: { type: "string", default: "127.0.0.1" },
        aggregation: { type: "string", default: DEFAULT_AGGREGATION },
        "max-chars": { type: "string", default: String(DEFAULT_LIMITS.maxTextChars) },
        "timeout-ms": { type: "string", default: String(DEFAULT_LIMITS.timeoutMs) },
        "max-concurrent": { type: "string", default: String(DEFAULT_LIMITS.maxConcurrent) },
        "max-queued": { type: "string", default: String(DEFAULT_LIMITS.maxQueued) },
        "allow-host": { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    const aggregation = values.aggregation as AggregationStrategy;
    if (!AGGREGATION_STRATEGIES.includes(aggregation)) {
      fail(`--aggregation must be one of ${AGGREGATION_STRATEGIES}`);
    }
    const port = positiveInteger(values.port, "--port", true);
    if (port > MAX_PORT) fail(`--port must be at most ${MAX_PORT}`);
    const limits = {
      maxTextChars: positiveInteger(values["max-chars"], "--max-chars"),
      timeoutMs: positiveInteger(values["timeout-ms"], "--timeout-ms"),
      maxConcurrent: positiveInteger(values["max-concurrent"], "--max-concurrent"),
      maxQueued: positiveInteger(values["max-queued"], "--max-queued", true),
    };
    const allowedHosts = [...LOOPBACK_HOSTS, values.host, ...values["allow-host"]];

    let modelDir = values.model;
    if (!modelDir) {
      const best = await findBestModel();
      modelDir = best.dir;
      const note = best.isSmoke
        ? " — the smoke model: no trained model under outputs/ yet, predictions are meaningless"
        : "";
      console.error(`[serve] model: ${best.dir} (run ${best.run}, profile ${best.profile}${note})`);
    }
    // Inference runs in a Worker (which owns the tfjs backend), so that this event loop always answers.
    const ner = await createWorkerRecognizer({ model: modelDir, aggregation })
      .catch((error) => fail(`cannot load model ${modelDir}: ${error.message}`, EXIT_CODES.failed));
    console.error(`[serve] runtime ${ner.runtime}: ${ner.runtimeReason}`);
    // Healthy means able to answer: one real inference before listening, so that a model that loads but
    // cannot run is refused here, not with a 500 on every request behind a healthy /healthz.
    await ner.recognize(EXAMPLE_SENTENCES[0]).catch((error) => {
      fail(`model ${modelDir} cannot serve: ${error.message}`, EXIT_CODES.failed);
    });

    const types = labelEntityTypes(ner.labels);
    // Examples from the model's own corpus (its run's metrics.json), else NER_CORPUS's.
    const examples = await demoExamples(types, { corpus: await corpusOfModel(modelDir, chosenCorpus()) });
    console.error(`[serve] entity types: ${types.join(", ")}; examples: ${examples.source}`);

    try {
      return await serveUntilStopped(ner, {
        modelDir,
        examples: examples.sentences,
        port,
        host: values.host,
        limits,
        allowedHosts,
      });
    } finally {
      // The model is released, but the Worker is not terminated: its teardown racing the exit crashed the
      // process (see WorkerRecognizer.terminate).
      await ner.close();
    }
  });
}

/** Listens until SIGINT or SIGTERM (a second one exits at once); returns the exit code. */
async function serveUntilStopped(
  ner: WorkerRecognizer,
  options: {
    modelDir: string;
    examples: readonly string[];
    port: number;
    host: string;
    limits: Partial<NerServiceLimits>;
    allowedHosts: string[];
  },
): Promise<number> {
  const { modelDir, examples, port, host, limits, allowedHosts } = options;
  const stop = new AbortController();
  const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const listener = () => {
      if (stop.signal.aborted) Deno.exit(signal === "SIGINT" ? EXIT_CODES.sigint : EXIT_CODES.sigterm);
      stop.abort();
    };
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  try {
    const server = await serveNer({
      recognize: ner.recognize,
      unavailable: ner.unavailable,
      modelName: modelDir,
      labels: reportedLabels(ner.labels, ner.reportedTypes),
      examples,
      runtime: { name: ner.runtime, reason: ner.runtimeReason },
      port,
      hostname: host,
      limits,
      allowedHosts,
      signal: stop.signal,
    }).catch((error) => fail(`cannot listen on ${host}:${port}: ${listenProblem(error)}`, EXIT_CODES.failed));
    const { url } = server;
    console.error(`[serve] listening on ${url} (backend ${ner.backend}); Ctrl-C stops`);
    console.log(JSON.stringify({ url, model: modelDir, backend: ner.backend, runtime: ner.runtime }));
    await server.finished;
    console.error("[serve] stopped");
    return 0;
  } finally {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  }
}

/** Why listening failed, in words (Node's error codes, as node:http reports them in Deno). */
function listenProblem(error: Error & { code?: string }): string {
  const reasons: Record<string, string> = {
    EADDRINUSE: "the port is in use",
    EADDRNOTAVAIL: "the address is not one of this machine's",
    // Deno's node:net reports a foreign address so.
    EINVAL: "the address is not one of this machine's",
    EACCES: "permission denied (ports below 1024 need privileges)",
    ENOTFOUND: "the host name is not known",
    EAI_AGAIN: "the host name could not be resolved",
  };
  return (error.code && reasons[error.code]) ?? error.message;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
