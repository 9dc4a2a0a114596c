/**
 * A one-line progress bar for stderr (terminals) that degrades to periodic plain lines (logs, CI).
 *
 * @module
 */

/** What the bar shows besides the count. */
export interface ProgressOptions {
  /** Total units, if known. */
  total?: number;
  /** Text in front of the bar, e.g. "epoch 1/10". */
  label?: string;
  /** Unit name for the rate, e.g. "docs" or "tok". */
  unit?: string;
  /** Where to write; default stderr. */
  write?: (text: string) => void;
  /** Minimum milliseconds between redraws. Default 200 (terminal) or 10000 (not a terminal). */
  intervalMs?: number;
}

/**
 * Seconds as `12m05s` or `1h02m` (`?` when not finite).
 *
 * @example
 * ```ts
 * formatSeconds(3725); // "1h02m"
 * ```
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/**
 * A progress bar: call `update(done, fields)` as work advances and `finish()` at the end.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar({ total: 500, label: "convert", unit: "docs" });
 * for (let i = 1; i <= 500; i++) bar.update(i);
 * bar.finish();
 * ```
 */
export class ProgressBar {
  #options: ProgressOptions;
  #started = performance.now();
  #lastDraw = -Infinity;
  #isTerminal: boolean;
  #encoder = new TextEncoder();

  constructor(options: ProgressOptions = {}) {
    this.#options = options;
    this.#isTerminal = options.write ? false : Deno.stderr.isTerminal();
  }

  /** Seconds since the bar was created. */
  get elapsedSeconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** Reports `done` units finished, with extra `fields` (e.g. `{ loss: "0.123" }`). */
  update(done: number, fields: Record<string, string | number> = {}, force = false): void {
    const now = performance.now();
    const interval = this.#options.intervalMs ?? (this.#isTerminal ? 200 : 10_000);
    if (!force && now - this.#lastDraw < interval) return;
    this.#lastDraw = now;
    this.#write(this.render(done, fields));
  }

  /** The line the bar would draw for `done` units. */
  render(done: number, fields: Record<string, string | number> = {}): string {
    const { total, label, unit = "it" } = this.#options;
    const elapsed = this.elapsedSeconds;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const parts: string[] = [];
    if (label) parts.push(label);
    if (total) {
      const width = 24, filled = Math.min(width, Math.round((done / total) * width));
      parts.push(`[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
    } else parts.push(`${done}`);
    parts.push(`${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${unit}/s`);
    for (const [key, value] of Object.entries(fields)) parts.push(`${key} ${value}`);
    parts.push(`elapsed ${formatSeconds(elapsed)}`);
    if (total) parts.push(`eta ${formatSeconds(rate > 0 ? (total - done) / rate : Infinity)}`);
    return parts.join(" | ");
  }

  /** Draws the final state and ends the line. */
  finish(done?: number, fields: Record<string, string | number> = {}): void {
    this.#write(this.render(done ?? this.#options.total ?? 0, fields));
    if (this.#isTerminal) this.#emit("\n");
  }

  #write(line: string): void {
    if (this.#options.write) return this.#options.write(line);
    this.#emit(this.#isTerminal ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  #emit(text: string): void {
    Deno.stderr.writeSync(this.#encoder.encode(text));
  }
}
