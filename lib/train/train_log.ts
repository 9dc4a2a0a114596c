/**
 * The run's `train_log.jsonl`: one JSON object per line (see {@link TrainLogLine}), appended as training
 * goes, so that a crashed or killed run keeps its log and the learning-curve plot can read it at any time.
 *
 * @module
 */
import { writeFileAtomic } from "../util/atomic.ts";
import type { TrainLogLine } from "./metrics_file.ts";

/**
 * Reads a `train_log.jsonl`; a malformed line is an error naming the file and line.
 *
 * @example
 * ```ts
 * const epochs = (await readTrainLog("outputs/cpu-small/train_log.jsonl")).filter((l) => l.kind === "epoch");
 * ```
 */
export async function readTrainLog(path: string): Promise<TrainLogLine[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").flatMap((line, index) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as TrainLogLine];
    } catch {
      throw new Error(`${path}:${index + 1}: not a JSON line`);
    }
  });
}

/** Appends lines to a run's log. */
export class TrainLog {
  readonly path: string;
  #encoder = new TextEncoder();

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Starts the log for a run: empty for a fresh run; for a resumed run, the lines up to the checkpoint's
   * step are kept and later ones (written after the checkpoint by the interrupted session) dropped.
   *
   * @example
   * ```ts
   * const log = await TrainLog.open("outputs/run/train_log.jsonl", { keepUpToStep: resumedStep });
   * ```
   */
  static async open(path: string, options: { keepUpToStep?: number } = {}): Promise<TrainLog> {
    const { keepUpToStep } = options;
    const kept = keepUpToStep === undefined
      ? []
      : await readTrainLog(path).then((lines) => lines.filter((l) => l.step <= keepUpToStep), () => []);
    await writeFileAtomic(path, kept.map((line) => JSON.stringify(line) + "\n").join(""));
    return new TrainLog(path);
  }

  /** Appends one line. */
  async append(line: TrainLogLine): Promise<void> {
    await Deno.writeFile(this.path, this.#encoder.encode(JSON.stringify(line) + "\n"), { append: true });
  }
}
