/**
 * `deno task ner [--model DIR] [options] [files…]`: named-entity recognition over texts, files or stdin.
 *
 * Input: `--text "…"` (repeatable), else the files given, else stdin. Files and stdin are text (one document
 * per line), JSONL (`{"id", "text"}` per line) or PubTator, detected from the first line unless
 * `--input-format` says. Output (`--format`): JSONL `{"id", "text", "entities"}` per document (default) or
 * PubTator, streamed to stdout or to `--output FILE` (written atomically). `--shard i/n` keeps every n-th
 * document starting at the i-th (0-based), so n machines can split a corpus. A malformed line is reported on
 * stderr as `file:line: problem` and skipped; `--strict` stops at the first one (exit 1). Progress goes to
 * stderr. The summary JSON is the last stdout line with `--output`, the last stderr line without (stdout then
 * holds only results).
 *
 * Without `--model`, the best trained model under outputs/ is used.
 *
 * `--logits TEXT` (the model stage's check against other implementations) prints instead the raw logits of
 * TEXT as one window: `{"tokens", "inputIds", "logits"}` (lib/model/logits.ts).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ProgressBar } from "../util/progress.ts";
import { initBackend } from "../backend/mod.ts";
import { logitsReport } from "../model/logits.ts";
import { findBestModel } from "../train/find_best.ts";
import {
  INPUT_FORMATS,
  type InputDocument,
  type InputFormat,
  InputProblem,
  readDocuments,
  readLines,
} from "../predict/inputs.ts";
import { type OutputFormat, parseShard, runBatchJob } from "../predict/batch.ts";
import { createNerPipeline } from "../predict/pipeline.ts";
import { AGGREGATION_STRATEGIES, type AggregationStrategy, DEFAULT_AGGREGATION } from "../predict/types.ts";

const USAGE = `usage: deno task ner [--model DIR] [--text TEXT]… [files…]
  --model DIR          model folder (HF layout); default: the best trained model under outputs/
  --text TEXT          a text to analyse (repeatable); without it, the files, else stdin
  --input-format F     ${INPUT_FORMATS.join("|")} (default auto: from the first line)
  --format F           jsonl|pubtator output (default jsonl)
  --output FILE        write results to FILE (atomically) instead of stdout
  --aggregation A      ${AGGREGATION_STRATEGIES.join("|")} (default ${DEFAULT_AGGREGATION})
  --batch-size N       windows per forward pass (default 32)
  --shard i/n          only documents at positions p with p % n == i (0-based)
  --strict             stop at the first malformed input line (default: report it and skip)
  --logits TEXT        print the raw logits of TEXT as one window instead (needs --model)`;

function fail(message: string, code = 2): never {
  console.error(`[ner] ${message}`);
  Deno.exit(code);
}

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    model: { type: "string" },
    text: { type: "string", multiple: true },
    "input-format": { type: "string", default: "auto" },
    format: { type: "string", default: "jsonl" },
    output: { type: "string", short: "o" },
    aggregation: { type: "string", default: DEFAULT_AGGREGATION },
    "batch-size": { type: "string", default: "32" },
    shard: { type: "string" },
    strict: { type: "boolean", default: false },
    logits: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: true,
});
if (values.help) {
  console.error(USAGE);
  Deno.exit(0);
}

// --logits: the model stage's raw-logits check, separate from entity recognition.
if (values.logits !== undefined) {
  if (!values.model) fail("--logits needs --model");
  await initBackend();
  // A model that cannot be loaded (a damaged or hostile weight file, a bad config) is one line, not a stack.
  const report = await logitsReport({ model: values.model, text: values.logits })
    .catch((error) => fail((error as Error).message, 1));
  console.log(JSON.stringify(report));
  Deno.exit(0);
}

const inputFormat = values["input-format"] as InputFormat | "auto";
if (!INPUT_FORMATS.includes(inputFormat)) fail(`--input-format must be one of ${INPUT_FORMATS.join(", ")}`);
const format = values.format as OutputFormat;
if (format !== "jsonl" && format !== "pubtator") fail("--format must be jsonl or pubtator");
const aggregation = values.aggregation as AggregationStrategy;
if (!AGGREGATION_STRATEGIES.includes(aggregation)) {
  fail(`--aggregation must be one of ${AGGREGATION_STRATEGIES}`);
}
const batchSize = Number(values["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1) fail("--batch-size must be a positive integer");
let shard;
try {
  shard = values.shard === undefined ? undefined : parseShard(values.shard);
} catch (error) {
  fail((error as Error).message);
}
if (values.text && positionals.length > 0) fail("give --text or files, not both");

let problems = 0;
function onProblem(problem: InputProblem): void {
  if (values.strict) throw problem;
  problems++;
  console.error(`[ner] ${problem.message}`);
}

async function* documents(): AsyncGenerator<InputDocument> {
  if (values.text) {
    for (const [i, text] of values.text.entries()) {
      yield { id: `text:${i + 1}`, text, source: "--text", line: i + 1 };
    }
    return;
  }
  if (positionals.length === 0) {
    yield* readDocuments(readLines(Deno.stdin.readable, "stdin"), {
      source: "stdin",
      format: inputFormat,
      onProblem,
    });
    return;
  }
  for (const path of positionals) {
    const file = await Deno.open(path).catch((error) => fail(`cannot open ${path}: ${error.message}`));
    yield* readDocuments(readLines(file.readable, path), { source: path, format: inputFormat, onProblem });
  }
}

const backend = await initBackend();
let modelDir = values.model;
if (!modelDir) {
  const best = await findBestModel({ trainIfMissing: false }).catch((error) =>
    fail(`${error.message}: give --model`)
  );
  modelDir = best.dir;
  console.error(`[ner] model: ${best.dir} (run ${best.run}${best.isSmoke ? ", the smoke model" : ""})`);
}
const ner = await createNerPipeline({ model: modelDir, aggregation, batchSize })
  .catch((error) => fail(`cannot load model ${modelDir}: ${error.message}`));

// Results go to a temporary sibling of --output, renamed into place only when the whole job succeeded; it is
// removed on every other way out: an error, an exit (a file that cannot be opened), SIGINT or SIGTERM.
const temporary = values.output ? `${values.output}.tmp-${Deno.pid}` : undefined;
const sink = temporary
  ? await Deno.open(temporary, { write: true, create: true, truncate: true })
  : Deno.stdout;
let temporaryExists = temporary !== undefined;
function removeTemporary(): void {
  if (!temporaryExists) return;
  temporaryExists = false;
  try {
    sink.close();
  } catch { /* already closed */ }
  try {
    Deno.removeSync(temporary!);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
const signalExits = [["SIGINT", 130], ["SIGTERM", 143]] as const;
const onSignal = signalExits.map(([signal, code]) => {
  const listener = () => {
    removeTemporary();
    Deno.exit(code);
  };
  if (temporary) Deno.addSignalListener(signal, listener);
  return listener;
});
if (temporary) globalThis.addEventListener("unload", removeTemporary);

const encoder = new TextEncoder();
const bar = new ProgressBar({ label: "ner", unit: "docs" });
const started = performance.now();
let totals;
try {
  totals = await runBatchJob({
    ner,
    documents: documents(),
    format,
    shard,
    write: async (text) => {
      const bytes = encoder.encode(text);
      for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));
    },
    onProgress: ({ documents, entities }) => bar.update(documents, { entities }),
  });
  bar.finish(totals.documents, { entities: totals.entities });
  if (temporary) {
    sink.close();
    await Deno.rename(temporary, values.output!);
    temporaryExists = false;
  }
} catch (error) {
  removeTemporary();
  if (error instanceof InputProblem) {
    console.error(`[ner] ${error.message}${values.strict ? " (--strict: stopped)" : ""}`);
    Deno.exit(1);
  }
  throw error;
} finally {
  if (temporary) signalExits.forEach(([signal], i) => Deno.removeSignalListener(signal, onSignal[i]));
}

const summary = JSON.stringify({
  model: modelDir,
  backend: backend.name,
  aggregation,
  shard: values.shard ?? null,
  documents: totals.documents,
  entities: totals.entities,
  malformed: problems,
  seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  output: values.output ?? null,
});
if (values.output) console.log(summary);
else console.error(summary);
ner.dispose();
