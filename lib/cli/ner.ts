// Over 300 lines: one command: its arguments, inputs, output file and signals share the command's state.
/**
 * `deno task ner [--model DIR] [options] [files…]`: named-entity recognition over texts, files or stdin.
 *
 * Input: `--text "…"` (repeatable), else the files given, else stdin. Files and stdin are text (one document
 * per line), JSONL (`{"id", "text"}` per line) or PubTator, detected from the first line unless
 * `--input-format` says. Output (`--format`): JSONL `{"id", "text", "entities"}` per document (default) or
 * PubTator, streamed to stdout or to `--output FILE` (written atomically); offsets in both (and in PubTator
 * input) count Unicode code points, as Python does. A PubTator annotation line that cannot be read is
 * reported and skipped; its document is still tagged. `--shard i/n` keeps the i-th
 * (0-based) of n contiguous runs of documents, so n machines can split a corpus and `cat` their outputs in
 * index order; `--shard env` takes i and n from a Slurm array job or a Kubernetes Indexed Job
 * (lib/predict/shard.ts). `--workers N` (default: one per core) runs N processes of this command on shards of
 * the input and writes their outputs merged: the same bytes as one process. A malformed line is reported on
 * stderr as `file:line: problem` and skipped; `--strict` stops at the first one (exit 1). Progress goes to
 * stderr. The summary JSON is the last stdout line with `--output`, the last stderr line without (stdout then
 * holds only results).
 *
 * Without `--model`, the best trained model under outputs/ is used.
 *
 * `--logits TEXT` (the model stage's check against other implementations) prints instead the raw logits of
 * TEXT as one window: `{"tokens", "inputIds", "logits"}` (lib/model/bert/logits.ts).
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ProgressBar } from "../util/progress.ts";
import { initBackend } from "../backend/mod.ts";
import { logitsReport } from "../model/bert/logits.ts";
import { findBestModel } from "../train/run/find_best.ts";
import {
  INPUT_FORMATS,
  type InputDocument,
  type InputFormat,
  InputProblem,
  readDocuments,
  readLines,
} from "../predict/inputs.ts";
import { type OutputFormat, parseShard, runBatchJob } from "../predict/batch.ts";
import { type Shard, SHARD_COUNT_ENV } from "../predict/shard.ts";
import { runWorkerJob, WorkerFailedError } from "../predict/workers.ts";
import { backendThreads, batchJobThreads } from "../backend/threads.ts";
import { createNerPipeline } from "../predict/pipeline.ts";
import { AGGREGATION_STRATEGIES, type AggregationStrategy, DEFAULT_AGGREGATION } from "../predict/types.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";
import { createFileAtomic } from "../util/atomic.ts";
import { checkOutputFile } from "../util/destination.ts";
import { checkInputFile } from "../util/input_file.ts";

const USAGE = `usage: deno task ner [--model DIR] [--text TEXT]… [files…]
  --model DIR          model folder (HF layout); default: the best trained model under outputs/
  --text TEXT          a text to analyse (repeatable); without it, the files, else stdin
  --input-format F     ${INPUT_FORMATS.join("|")} (default auto: from the first line)
  --format F           jsonl|pubtator output (default jsonl); offsets in code points, as Python counts
  --output FILE        write results to FILE (atomically) instead of stdout
  --aggregation A      ${AGGREGATION_STRATEGIES.join("|")} (default ${DEFAULT_AGGREGATION})
  --batch-size N       windows per forward pass (default 32)
  --shard i/n          only the i-th (0-based) of n contiguous runs of documents; outputs of 0…n-1
                       concatenated = the whole output. env | env/n: i (and n) from Slurm
                       (SLURM_ARRAY_TASK_*) or Kubernetes (JOB_COMPLETION_INDEX, n from ${SHARD_COUNT_ENV})
  --workers N          processes sharing the job (default: the core count, ${navigator.hardwareConcurrency} here), one
                       thread each (TF_NUM_INTRAOP_THREADS=1 unless set); output identical to --workers 1
  --strict             stop at the first malformed input line (default: report it and skip)
  --logits TEXT        print the raw logits of TEXT as one window instead (needs --model)
env NER_RUNTIME=R      tfjs | onnx | onnx-q8 | auto (default auto: ONNX Runtime on DIR/onnx/model.onnx when
                       deno task export-onnx made it from DIR's weights and labels, else tfjs; onnx-q8: the
                       int8 DIR/onnx/model_quantized.onnx, only when asked)
exit codes (the same with --text, files, stdin and any --workers): 0 done; 1 bad input (--strict) or a
                       model that cannot load (e.g. NER_RUNTIME=onnx on an export of other weights); 2 bad
                       arguments or an input file that cannot be opened; 130/143 SIGINT/SIGTERM`;

function fail(message: string, code = 2): never {
  throw new ExitError(message, code);
}

/** The command line, checked. */
interface NerCommand {
  model?: string;
  texts?: string[];
  files: string[];
  inputFormat: InputFormat | "auto";
  format: OutputFormat;
  aggregation: AggregationStrategy;
  batchSize: number;
  shard?: Shard;
  workers: number;
  /** Worker processes run the job (`--workers` > 1, not for --text: a handful of texts). */
  useWorkers: boolean;
  strict: boolean;
  output?: string;
  logits?: string;
}

/** Parses and checks `args`; undefined for --help. Bad arguments throw an {@link ExitError} (code 2). */
function parseCommand(args: string[]): NerCommand | undefined {
  const { values, positionals } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      text: { type: "string", multiple: true },
      "input-format": { type: "string", default: "auto" },
      format: { type: "string", default: "jsonl" },
      output: { type: "string", short: "o" },
      aggregation: { type: "string", default: DEFAULT_AGGREGATION },
      "batch-size": { type: "string", default: "32" },
      shard: { type: "string" },
      workers: { type: "string", default: String(navigator.hardwareConcurrency) },
      strict: { type: "boolean", default: false },
      logits: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return undefined;
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
  let shard: Shard | undefined;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.text && positionals.length > 0) fail("give --text or files, not both");
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) fail("--workers must be a positive integer");
  return {
    model: values.model,
    texts: values.text,
    files: positionals,
    inputFormat,
    format,
    aggregation,
    batchSize,
    shard,
    workers,
    useWorkers: workers > 1 && !values.text,
    strict: values.strict,
    output: values.output,
    logits: values.logits,
  };
}

/** The input documents: --text, else the files, else stdin; malformed lines go to `onProblem`. */
async function* documents(
  command: NerCommand,
  onProblem: (problem: InputProblem) => void,
): AsyncGenerator<InputDocument> {
  if (command.texts) {
    for (const [i, text] of command.texts.entries()) {
      yield { id: `text:${i + 1}`, text, source: "--text", line: i + 1 };
    }
    return;
  }
  const format = command.inputFormat;
  if (command.files.length === 0) {
    yield* readDocuments(readLines(Deno.stdin.readable, "stdin"), { source: "stdin", format, onProblem });
    return;
  }
  for (const path of command.files) {
    const file = await Deno.open(path).catch((error) => fail(`cannot open ${path}: ${error.message}`));
    yield* readDocuments(readLines(file.readable, path), { source: path, format, onProblem });
  }
}

/** This process runs the model: the whole input or its shard. */
async function runHere(command: NerCommand, modelDir: string, write: (bytes: Uint8Array) => Promise<void>) {
  batchJobThreads();
  const { aggregation, batchSize, shard } = command;
  const ner = await createNerPipeline({ model: modelDir, aggregation, batchSize })
    .catch((error) => fail(`cannot load model ${modelDir}: ${error.message}`, 1));
  const backend = ner.backend!; // loaded from a folder: always set
  console.error(`[ner] runtime ${ner.runtime}: ${ner.runtimeReason}`);
  let malformed = 0;
  const onProblem = (problem: InputProblem) => {
    if (command.strict) throw problem;
    malformed++;
    console.error(`[ner] ${problem.message}`);
  };
  // A shard's boundaries need the input's document count: a first pass over files (it reports the malformed
  // lines, the second pass stays silent); stdin can be read only once, so its documents are kept.
  let input: AsyncIterable<InputDocument> | InputDocument[] = documents(command, onProblem);
  let documentCount: number | undefined;
  if (shard && !command.texts && command.files.length === 0) {
    input = await Array.fromAsync(input);
    documentCount = input.length;
  } else if (shard) {
    documentCount = 0;
    for await (const _ of input) documentCount++;
    input = documents(command, () => {});
  }
  const bar = new ProgressBar({ label: "ner", unit: "docs" });
  const encoder = new TextEncoder();
  const totals = await runBatchJob({
    ner,
    documents: input,
    format: command.format,
    shard,
    documentCount,
    write: (text) => write(encoder.encode(text)),
    onProgress: ({ documents, entities }) => bar.update(documents, { entities }),
  });
  bar.finish(totals.documents, { entities: totals.entities });
  ner.dispose();
  return { ...totals, malformed, backend, threads: backendThreads(backend) };
}

/** Worker processes run the model, each on a shard; this one merges their outputs. */
async function runOnWorkers(
  command: NerCommand,
  modelDir: string,
  write: (bytes: Uint8Array) => Promise<void>,
  signal: AbortSignal,
) {
  const { inputFormat, format, aggregation, batchSize, files, output } = command;
  const forwarded = ["--model", modelDir, "--input-format", inputFormat, "--format", format];
  forwarded.push("--aggregation", aggregation, "--batch-size", String(batchSize), "--workers", "1");
  if (command.strict) forwarded.push("--strict");
  const result = await runWorkerJob({
    cli: import.meta.filename!,
    args: [...forwarded, ...files],
    workers: command.workers,
    shard: command.shard,
    stdin: files.length === 0 ? Deno.stdin.readable : undefined,
    write,
    onLog: (line) => console.error(line),
    // The parts are as large as the output: beside it, not in a possibly small /tmp.
    tempDir: output ? dirname(resolve(output)) : undefined,
    signal,
  });
  return { ...result, threads: result.threadsPerWorker };
}

/** A signal stopped the worker processes: the job ends with the signal's exit status. */
class Interrupted extends Error {
  constructor(readonly code: number) {
    super("interrupted");
  }
}

/** Runs the command with `args`; returns the exit code (2: bad arguments, 1: bad input or model). */
export function main(args: string[]): Promise<number> {
  return runCommand("ner", async () => {
    const command = parseCommand(args);
    if (!command) {
      console.error(USAGE);
      return 0;
    }
    // --logits: the model stage's raw-logits check, separate from entity recognition.
    if (command.logits !== undefined) {
      if (!command.model) fail("--logits needs --model");
      await initBackend();
      // A model that cannot be loaded (a damaged or hostile weight file, a bad config) is one line, not a stack.
      const report = await logitsReport({ model: command.model, text: command.logits })
        .catch((error) => fail((error as Error).message, 1));
      console.log(JSON.stringify(report));
      return 0;
    }
    // Before the work (a model load, a corpus): an output or an input that cannot be used is one line now.
    if (command.output) await checkOutputFile(command.output);
    for (const path of command.files) await checkInputFile(path).catch((error) => fail(error.message));
    let modelDir = command.model;
    if (!modelDir) {
      const best = await findBestModel({ trainIfMissing: false }).catch((error) =>
        fail(`${error.message}: give --model`)
      );
      modelDir = best.dir;
      console.error(`[ner] model: ${best.dir} (run ${best.run}${best.isSmoke ? ", the smoke model" : ""})`);
    }
    const { output, useWorkers } = command;

    // Results go to a temporary sibling of --output (lib/util/atomic.ts), renamed into place only when the whole
    // job succeeded; it is removed on every other way out: an error, an exit, SIGINT or SIGTERM.
    const atomic = output ? await createFileAtomic(output) : undefined;
    const sink = atomic?.file ?? Deno.stdout;
    const removeTemporary = (): void => atomic?.abort();
    const signalExits = [["SIGINT", EXIT_CODES.sigint], ["SIGTERM", EXIT_CODES.sigterm]] as const;
    // With worker processes, a signal first stops them and removes their part files (runWorkerJob's signal);
    // the job then ends through the catch below with the signal's exit status.
    const interrupted = new AbortController();
    const onSignal = signalExits.map(([signal, code]) => {
      const listener = () => {
        if (useWorkers) return interrupted.abort(new Interrupted(code));
        removeTemporary();
        Deno.exit(code);
      };
      if (atomic || useWorkers) Deno.addSignalListener(signal, listener);
      return listener;
    });
    if (atomic) globalThis.addEventListener("unload", removeTemporary);

    const write = async (bytes: Uint8Array): Promise<void> => {
      for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));
    };
    const started = performance.now();
    let totals;
    try {
      totals = useWorkers
        ? await runOnWorkers(command, modelDir, write, interrupted.signal)
        : await runHere(command, modelDir, write);
      await atomic?.commit();
    } catch (error) {
      removeTemporary();
      if (error instanceof Interrupted) return error.code;
      if (error instanceof InputProblem) {
        fail(`${error.message}${command.strict ? " (--strict: stopped)" : ""}`, EXIT_CODES.failed);
      }
      if (error instanceof WorkerFailedError) fail(error.message, error.code);
      throw error;
    } finally {
      if (atomic || useWorkers) {
        signalExits.forEach(([signal], i) => Deno.removeSignalListener(signal, onSignal[i]));
      }
      if (atomic) globalThis.removeEventListener("unload", removeTemporary);
    }

    const summary = JSON.stringify({
      model: modelDir,
      backend: totals.backend,
      aggregation: command.aggregation,
      shard: command.shard ? `${command.shard.index}/${command.shard.count}` : null,
      workers: useWorkers ? command.workers : 1,
      threadsPerWorker: totals.threads,
      documents: totals.documents,
      entities: totals.entities,
      malformed: totals.malformed,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      output: output ?? null,
    });
    if (output) console.log(summary);
    else console.error(summary);
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
