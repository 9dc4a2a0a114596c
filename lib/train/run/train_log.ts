/**
 * The run's `train_log.jsonl`: one JSON object per line (see {@link TrainLogLine}), appended as training
 * goes, so that a crashed or killed run keeps its log and the learning-curve plot can read it at any time.
 *
 * A kill can tear the line being appended; a line is only complete with its newline, so readers skip a
 * last line without one, and a resumed run cuts the log back to the length recorded in its checkpoint.
 *
 * @module
 */
import { writeFileAtomic } from "../../util/atomic.ts";
import { killPoint } from "../../util/kill_point.ts";
import type { TrainListener } from "../progress/events.ts";
import type { TrainLogLine } from "../metrics_file.ts";

/** The complete lines of a log's text: a last line without its newline is one being written, or torn. */
function completeLines(text: string): string[] {
  return text.split("\n").slice(0, -1);
}

/**
 * The runs of optimizer steps a log has no step line for (a log cut short, then resumed): step lines come
 * every `logEverySteps` steps — the smallest distance between two of them — so a larger distance, or an
 * epoch's last step past the last step line by more, is a gap. Needs two step lines to know the interval.
 *
 * @example
 * ```ts
 * const step = (n: number) => ({ kind: "step" as const, step: n, epoch: 0, loss: 1, lr: 0, tokensPerSecond: 0 });
 * findLogGaps([step(10), step(20), step(60), step(70)]); // [{ from: 21, to: 59 }]
 * ```
 */
export function findLogGaps(lines: readonly TrainLogLine[]): { from: number; to: number }[] {
  const steps = lines.filter((line) => line.kind === "step").map((line) => line.step);
  const distances = steps.slice(1).map((step, i) => step - steps[i]).filter((d) => d > 0);
  if (distances.length === 0) return [];
  // The logging interval is the most common distance (ties: the smaller): each epoch's end also logs its
  // partial interval, so the shortest distance is no interval at all (286 steps logged every 20: …, 280, 286, 300).
  const counts = new Map<number, number>();
  for (const d of distances) counts.set(d, (counts.get(d) ?? 0) + 1);
  const interval = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const gaps: { from: number; to: number }[] = [];
  let last: number | undefined;
  for (const line of lines) {
    // An epoch line closes its epoch: its step may be up to one interval past the epoch's last step line.
    if (last !== undefined && line.step - last > interval) {
      gaps.push({ from: last + 1, to: line.kind === "step" ? line.step - 1 : line.step });
    }
    if (line.kind === "step" || line.step > (last ?? -Infinity)) last = line.step;
  }
  return gaps;
}

/** One warning line naming `gaps` of the log at `path`. */
function gapWarning(path: string, gaps: readonly { from: number; to: number }[]): string {
  const runs = gaps.map(({ from, to }) => from === to ? `${from}` : `${from}–${to}`).join(", ");
  return `warning: ${path} has no lines for steps ${runs} (the log was cut short): learning curves have a gap`;
}

/**
 * Reads a `train_log.jsonl`; a malformed line is an error naming the file and line. A last line without
 * its newline (still being written, or torn by a kill) is not read. Steps missing from the log
 * ({@link findLogGaps}) are reported through `warn` (default: stderr), naming them.
 *
 * @example
 * ```ts
 * const epochs = (await readTrainLog("outputs/cpu-small/train_log.jsonl")).filter((l) => l.kind === "epoch");
 * ```
 */
export async function readTrainLog(
  path: string,
  options: { warn?: (message: string) => void } = {},
): Promise<TrainLogLine[]> {
  const text = await Deno.readTextFile(path);
  const lines = completeLines(text).flatMap((line, index) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as TrainLogLine];
    } catch {
      throw new Error(`${path}:${index + 1}: not a JSON line`);
    }
  });
  const gaps = findLogGaps(lines);
  if (gaps.length > 0) (options.warn ?? console.error)(gapWarning(path, gaps));
  return lines;
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
  static async open(
    path: string,
    options: { resumeAt?: LogResumePoint; warn?: (message: string) => void } = {},
  ): Promise<TrainLog> {
    const kept = options.resumeAt
      ? await keptOnResume(path, options.resumeAt, options.warn ?? console.error)
      : new Uint8Array();
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

  /** The log as a subscriber of the run's events (progress/events.ts): it writes the interval and epoch lines. */
  readonly listener: TrainListener = (event) => {
    if (event.kind === "interval" || event.kind === "epoch") return this.append(event.line);
  };

  /** Makes the appended lines durable (before a checkpoint records the log's length). */
  async sync(): Promise<void> {
    using file = await Deno.open(this.path, { read: true });
    await file.sync();
  }
}

/**
 * The bytes of the log at `path` that a run resumed at `at` keeps; a log that lost lines before the
 * checkpoint's step is said through `warn` (the resumed run's lines continue after the checkpoint: a gap).
 */
async function keptOnResume(
  path: string,
  at: LogResumePoint,
  warn: (message: string) => void,
): Promise<Uint8Array> {
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
  const lastStep = lines.length > 0 ? (JSON.parse(lines.at(-1)!) as TrainLogLine).step : 0;
  if (at.bytes !== undefined && lastStep < at.step) {
    warn(gapWarning(path, [{ from: lastStep + 1, to: at.step }]));
  }
  return new TextEncoder().encode(lines.map((line) => line + "\n").join(""));
}
