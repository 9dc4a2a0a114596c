/**
 * The run's `train_log.jsonl`: one JSON object per line (see {@link TrainLogLine}), appended as training
 * goes, so that a crashed or killed run keeps its log and the learning-curve plot can read it at any time.
 *
 * A kill can tear the line being appended; a line is only complete with its newline, so readers skip a
 * last line without one, and a resumed run cuts the log back to the length recorded in its checkpoint.
 *
 * @module
 */
import { writeFileAtomic } from "../util/atomic.ts";
import { killPoint } from "../util/kill_point.ts";
import type { TrainListener } from "./events.ts";
import type { TrainLogLine } from "./metrics_file.ts";

/** The complete lines of a log's text: a last line without its newline is one being written, or torn. */
function completeLines(text: string): string[] {
  return text.split("\n").slice(0, -1);
}

/**
 * Reads a `train_log.jsonl`; a malformed line is an error naming the file and line. A last line without
 * its newline (still being written, or torn by a kill) is not read.
 *
 * @example
 * ```ts
 * const epochs = (await readTrainLog("outputs/cpu-small/train_log.jsonl")).filter((l) => l.kind === "epoch");
 * ```
 */
export async function readTrainLog(path: string): Promise<TrainLogLine[]> {
  const text = await Deno.readTextFile(path);
  return completeLines(text).flatMap((line, index) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as TrainLogLine];
    } catch {
      throw new Error(`${path}:${index + 1}: not a JSON line`);
    }
  });
}

/** Where a resumed run's log continues: what its checkpoint recorded. */
export interface LogResumePoint {
  /** The log's length in bytes when the checkpoint was written (checkpoints before this field: absent). */
  bytes?: number;
  /** The checkpoint's optimizer step (used when `bytes` is absent: lines of later steps are dropped). */
  step: number;
}

/** Appends lines to a run's log. */
export class TrainLog {
  readonly path: string;
  #encoder = new TextEncoder();
  #bytes: number;

  constructor(path: string, bytes = 0) {
    this.path = path;
    this.#bytes = bytes;
  }

  /** The log's length in bytes (what a checkpoint records as its {@link LogResumePoint}). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Starts the log for a run: empty for a fresh run; for a resumed run, the log as it was when the
   * checkpoint was written — later lines (written by the interrupted session after it, maybe torn) are cut.
   *
   * @example
   * ```ts
   * const log = await TrainLog.open("outputs/run/train_log.jsonl", { resumeAt: { bytes: 2048, step: 12 } });
   * ```
   */
  static async open(path: string, options: { resumeAt?: LogResumePoint } = {}): Promise<TrainLog> {
    const kept = options.resumeAt ? await keptOnResume(path, options.resumeAt) : new Uint8Array();
    await writeFileAtomic(path, kept);
    return new TrainLog(path, kept.length);
  }

  /** Appends one line. */
  async append(line: TrainLogLine): Promise<void> {
    const bytes = this.#encoder.encode(JSON.stringify(line) + "\n");
    killPoint("log-append", () => {
      Deno.writeFileSync(this.path, bytes.subarray(0, bytes.length >> 1), { append: true });
    });
    await Deno.writeFile(this.path, bytes, { append: true });
    this.#bytes += bytes.length;
  }

  /** The log as a subscriber of the run's events (events.ts): it writes the interval and epoch lines. */
  readonly listener: TrainListener = (event) => {
    if (event.kind === "interval" || event.kind === "epoch") return this.append(event.line);
  };

  /** Makes the appended lines durable (before a checkpoint records the log's length). */
  async sync(): Promise<void> {
    using file = await Deno.open(this.path, { read: true });
    await file.sync();
  }
}

/** The bytes of the log at `path` that a run resumed at `at` keeps. */
async function keptOnResume(path: string, at: LogResumePoint): Promise<Uint8Array> {
  const data = await Deno.readFile(path).catch(() => new Uint8Array());
  if (at.bytes !== undefined && at.bytes <= data.length) return data.subarray(0, at.bytes);
  // Shorter than recorded (its tail lost in a power cut), or a checkpoint that recorded no length: the
  // complete lines up to the checkpoint's step.
  const lines = completeLines(new TextDecoder().decode(data)).filter((line) => {
    try {
      return (JSON.parse(line) as TrainLogLine).step <= at.step;
    } catch {
      return false;
    }
  });
  return new TextEncoder().encode(lines.map((line) => line + "\n").join(""));
}
