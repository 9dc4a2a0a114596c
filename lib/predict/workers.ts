/**
 * `deno task ner --workers N`: one batch job spread over N processes of the same CLI, each running a
 * contiguous shard (lib/predict/shard.ts) into its own part file; the parts are then concatenated in order,
 * which gives exactly the bytes one process writes. Processes, not workers in one process: the native
 * TensorFlow binding is process-wide.
 *
 * Every worker computes with the thread count of a single batch process (`batchJobThreads`: one, unless
 * `TF_NUM_INTRAOP_THREADS` says otherwise), since float results depend on it: N workers on N cores.
 *
 * @module
 */
import { join } from "node:path";
import { tmpdir } from "node:os";
import { makeScratchDir } from "../util/atomic.ts";
import { batchJobThreads, INTRA_OP_THREADS_ENV } from "../backend/threads.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { type Shard, subShard } from "./shard.ts";

/** Options of {@link runWorkerJob}. */
export interface WorkerJobOptions {
  /** The batch CLI each worker runs (lib/cli/ner.ts). */
  cli: string;
  /** Arguments every worker gets: model, input files, formats… — not `--shard`, `--output`, `--workers`. */
  args: string[];
  /** Number of worker processes (≥ 1). */
  workers: number;
  /** This job's own shard, split again between the workers. Default: the whole input. */
  shard?: Shard;
  /** The input when it is not in files (stdin): every worker reads all of it. */
  stdin?: ReadableStream<Uint8Array>;
  /** Receives the merged output, in input order. */
  write: (bytes: Uint8Array) => Promise<void>;
  /** Receives worker 0's stderr lines (input problems, progress); the others' are shown only if they fail. */
  onLog?: (line: string) => void;
  /** Where the workers' part files go (as large as the output). Default: the system's temporary folder. */
  tempDir?: string;
  /** Aborting stops the workers (SIGTERM: each removes its partial output), removes the part files and rejects
   * with the signal's reason. */
  signal?: AbortSignal;
}

/** What the workers did, from their summaries. */
export interface WorkerJobResult {
  documents: number;
  entities: number;
  /** Malformed input lines (every worker reads the whole input; worker 0's count). */
  malformed: number;
  /** The backend worker 0 used. */
  backend: string;
  /** CPU threads of each worker's backend (see lib/backend/threads.ts). */
  threadsPerWorker: number | null;
}

/** A worker that exited with a failure; `code` is its exit status, `message` its stderr's end. */
export class WorkerFailedError extends Error {
  constructor(readonly worker: number, readonly code: number, stderr: string) {
    super(`worker ${worker} exited with status ${code}${stderr ? `:\n${stderr.trimEnd()}` : ""}`);
    this.name = "WorkerFailedError";
  }
}

/**
 * Runs the job on `workers` processes and writes their outputs, concatenated in shard order, to `write`.
 *
 * @example
 * ```ts
 * declare const dir: any; // the example's inputs
 * const result = await runWorkerJob({
 *   cli: "lib/cli/ner.ts", args: ["--model", dir, "corpus.txt"], workers: 2,
 *   write: (bytes) => Deno.stdout.write(bytes).then(() => {}),
 * });
 * ```
 */
export async function runWorkerJob(options: WorkerJobOptions): Promise<WorkerJobResult> {
  const { cli, args, workers, shard = { index: 0, count: 1 }, write, onLog, signal } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be ≥ 1, got ${workers}`);
  const dir = await makeScratchDir(join(options.tempDir ?? tmpdir(), "ner-workers"));
  try {
    const input = options.stdin ? join(dir, "stdin") : undefined;
    if (input && options.stdin) await Deno.writeFile(input, options.stdin, { signal });
    signal?.throwIfAborted();
    const threads = String(batchJobThreads());
    const parts = Array.from({ length: workers }, (_, worker) => join(dir, `part-${worker}`));
    const children = parts.map((part, worker) => {
      const { index, count } = subShard(shard, worker, workers);
      return new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--config",
          join(PROJECT_ROOT, "deno.json"),
          cli,
          ...args,
          "--shard",
          `${index}/${count}`,
          "--output",
          part,
        ],
        env: { [INTRA_OP_THREADS_ENV]: threads },
        stdin: input ? "piped" : "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    });
    const stopAll = () => children.forEach(kill);
    signal?.addEventListener("abort", stopAll, { once: true });
    const finished = children.map((child, worker) =>
      finishWorker(child, { input, onLog: worker === 0 ? onLog : undefined })
    );
    // The first failure stops the others (their shards would be thrown away) and is the one reported:
    // the others then end by our signal.
    let failure: WorkerFailedError | undefined;
    const outcomes = await Promise.all(finished.map((promise, worker) =>
      promise.then((outcome) => {
        if (outcome.code === 0 || failure) return outcome;
        // Worker 0's stderr has been shown already.
        failure = new WorkerFailedError(worker, outcome.code, worker === 0 && onLog ? "" : outcome.stderr);
        children.forEach((other, i) => i !== worker && kill(other));
        return outcome;
      })
    ));
    signal?.removeEventListener("abort", stopAll);
    signal?.throwIfAborted();
    if (failure) throw failure;
    for (const part of parts) {
      const file = await Deno.open(part);
      for await (const chunk of file.readable) await write(chunk);
    }
    const summaries = outcomes.map((outcome, worker) => parseSummary(outcome.stdout, worker));
    return {
      documents: summaries.reduce((sum, s) => sum + s.documents, 0),
      entities: summaries.reduce((sum, s) => sum + s.entities, 0),
      malformed: summaries[0].malformed,
      backend: summaries[0].backend,
      threadsPerWorker: summaries[0].threadsPerWorker ?? null,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

interface WorkerOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Feeds the worker its input, collects its stdout and stderr (streaming stderr lines to `onLog`). */
async function finishWorker(
  child: Deno.ChildProcess,
  options: { input?: string; onLog?: (line: string) => void },
): Promise<WorkerOutcome> {
  const feed = options.input
    ? Deno.open(options.input).then((file) => file.readable.pipeTo(child.stdin)).catch(() => {})
    : Promise.resolve();
  const stdout = new Response(child.stdout).text();
  let stderr = "";
  const lines = child.stderr.pipeThrough(new TextDecoderStream());
  let pending = "";
  for await (const text of lines) {
    stderr += text;
    if (!options.onLog) continue;
    pending += text;
    const complete = pending.split("\n");
    pending = complete.pop()!;
    for (const line of complete) options.onLog(line);
  }
  if (pending && options.onLog) options.onLog(pending);
  const [{ code }] = await Promise.all([child.status, feed]);
  return { code, stdout: await stdout, stderr: stderr.slice(-4000) };
}

function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGTERM");
  } catch {
    // already exited
  }
}

/** A worker's summary: the last line of its stdout (it writes its results to a part file). */
function parseSummary(
  stdout: string,
  worker: number,
): {
  documents: number;
  entities: number;
  malformed: number;
  backend: string;
  threadsPerWorker?: number | null;
} {
  const last = stdout.trimEnd().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`worker ${worker} printed no summary (last stdout line: ${JSON.stringify(last)})`);
  }
}
