/**
 * Follows a run's `train_log.jsonl` from another process (e.g. `deno task reproduce` while notebook 03 trains
 * in the Jupyter kernel) and turns it into progress lines: epoch, step, loss, dev F1, ETA.
 *
 * The log has no total step count; it is read from the learning rate, which decays linearly to 0 at the last
 * step after warmup (lib/train/schedule.ts): two step lines past warmup give the line's zero.
 *
 * @module
 */
import type { EpochLogLine, StepLogLine, TrainLogLine } from "../metrics_file.ts";
import { formatSeconds } from "../../util/progress.ts";

/** Options of {@link followTrainLog}. */
export interface FollowTrainLogOptions {
  /** Called with each new complete line (a fresh run rewriting the file starts over). */
  onLine: (line: TrainLogLine) => void;
  /** Stops following. */
  signal: AbortSignal;
  /** How often to look at the file. Default 2000 ms. */
  intervalMs?: number;
  /** Skip what the file already holds (an earlier run's log), unless it is then rewritten. Default false. */
  fromEnd?: boolean;
}

/**
 * Polls `path` until `signal` aborts, calling `onLine` for every line appended (the file may not exist yet).
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const following = followTrainLog("outputs/cpu-small/train_log.jsonl", { onLine: console.log, signal: stop.signal });
 * // … later
 * stop.abort();
 * await following;
 * ```
 */
export async function followTrainLog(path: string, options: FollowTrainLogOptions): Promise<void> {
  const { signal, intervalMs = 2000 } = options;
  // A fresh run replaces the log (a new file renamed over it): a new inode, or a shorter file, starts over.
  const initial = await Deno.stat(path).catch(() => undefined);
  let inode = initial?.ino;
  let consumed = options.fromEnd ? initial?.size ?? 0 : 0;
  let pending = "";
  const decoder = new TextDecoder();
  while (!signal.aborted) {
    const info = await Deno.stat(path).catch(() => undefined);
    const bytes = info && await Deno.readFile(path).catch(() => undefined);
    if (info && bytes) {
      if (info.ino !== inode || bytes.length < consumed) [consumed, pending] = [0, ""];
      inode = info.ino;
      pending += decoder.decode(bytes.subarray(consumed));
      consumed = bytes.length;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          options.onLine(JSON.parse(line) as TrainLogLine);
        } catch {
          // A line the trainer is still writing is completed on a later read; anything else is not ours.
        }
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

/**
 * Keeps the latest state of a followed log and formats it as one line, e.g.
 * `epoch 2/20 | step 300/2880 | loss 0.2410 | dev F1 0.5206 (epoch 1) | elapsed 5m10s | eta 40m02s`.
 */
export class TrainLogProgress {
  #steps: StepLogLine[] = [];
  #lastEpoch?: EpochLogLine;
  /** Seconds and steps of the epochs logged so far (their lines carry how long they took). */
  #epochSeconds = 0;
  #epochSteps = 0;
  #firstSeenAt?: { step: number; time: number };

  /** `epochs`: the profile's epoch count, when known. */
  constructor(
    private readonly epochs?: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes one log line.
   *
   * @example
   * ```ts
   * declare const line: any; // the example's inputs
   * const progress = new TrainLogProgress(20);
   * progress.add(line);
   * console.error(progress.line());
   * ```
   */
  add(line: TrainLogLine): void {
    if (line.kind === "step") {
      if (this.#steps.length > 0 && line.step <= this.#steps.at(-1)!.step) this.#reset(); // a fresh run
      this.#steps.push(line);
      this.#firstSeenAt ??= { step: line.step, time: this.now() };
    } else if (line.kind === "epoch") {
      this.#epochSeconds += line.seconds;
      this.#epochSteps += line.step - (this.#lastEpoch?.step ?? 0);
      this.#lastEpoch = line;
    }
  }

  #reset(): void {
    this.#steps = [];
    this.#lastEpoch = undefined;
    this.#firstSeenAt = undefined;
    this.#epochSeconds = this.#epochSteps = 0;
  }

  /** The total step count, from where the decaying learning rate reaches 0; undefined during warmup. */
  totalSteps(): number | undefined {
    const [a, b] = this.#steps.slice(-2);
    if (!a || !b || !(b.lr < a.lr) || b.step <= a.step) return undefined;
    return Math.round(b.step + b.lr * (b.step - a.step) / (a.lr - b.lr));
  }

  /** The progress line; undefined before the first step line. */
  line(): string | undefined {
    const last = this.#steps.at(-1);
    if (!last) return undefined;
    const total = this.totalSteps();
    const parts = [
      `epoch ${last.epoch}${this.epochs ? `/${this.epochs}` : ""}`,
      `step ${last.step}${total ? `/${total}` : ""}`,
      `loss ${last.loss.toFixed(4)}`,
      this.#lastEpoch?.dev
        ? `dev F1 ${this.#lastEpoch.dev.f1.toFixed(4)} (epoch ${this.#lastEpoch.epoch})`
        : "dev F1 -",
    ];
    parts.push(`eta ${total ? formatSeconds((total - last.step) * this.#secondsPerStep()) : "?"}`);
    return parts.join(" | ");
  }

  /**
   * Seconds per step: from the logged epochs (dev evaluation included) once one is done, else as watched
   * since the first step line seen (NaN until a later step line arrives in a later look at the file).
   */
  #secondsPerStep(): number {
    if (this.#epochSteps > 0) return this.#epochSeconds / this.#epochSteps;
    const first = this.#firstSeenAt!;
    const last = this.#steps.at(-1)!;
    const seconds = (this.now() - first.time) / 1000;
    return last.step > first.step && seconds > 0 ? seconds / (last.step - first.step) : NaN;
  }
}
