/**
 * Wall-clock accounting of a training run, in one place. A run may span several sessions (a killed run is
 * resumed): its wall seconds are those its last checkpoint recorded plus this session's. The clock adds this
 * session's seconds to the run's record when the record is written ({@link RunClock.settle}), so that a
 * checkpoint and the final metrics count every second exactly once.
 *
 * @module
 */

/** The part of a run's state the clock keeps: its wall seconds over all sessions so far. */
export interface WallTime {
  wallSeconds: number;
}

/**
 * This session's clock: started when the session starts (before the backend loads, so setup counts).
 *
 * @example
 * ```ts
 * const clock = new RunClock();
 * const state = { wallSeconds: 120 }; // from a checkpoint
 * clock.overBudget(state, 30); // false until 30 minutes of the run have passed
 * clock.settle(state); // before writing state
 * ```
 */
export class RunClock {
  readonly #sessionStart = performance.now();
  /** Seconds of this session already added to the run's `wallSeconds`. */
  #settled = 0;

  /** Seconds since this session started. */
  sessionSeconds(): number {
    return (performance.now() - this.#sessionStart) / 1000;
  }

  /** The run's wall seconds so far: earlier sessions' and this one's. */
  runSeconds(run: WallTime): number {
    return run.wallSeconds + this.sessionSeconds() - this.#settled;
  }

  /** Adds this session's seconds not yet counted to `run.wallSeconds` (before the state is written). */
  settle(run: WallTime): void {
    const now = this.sessionSeconds();
    run.wallSeconds += now - this.#settled;
    this.#settled = now;
  }

  /** Whether the run has used up a time budget of `minutes` (null: no budget). */
  overBudget(run: WallTime, minutes: number | null): boolean {
    return minutes !== null && this.runSeconds(run) >= minutes * 60;
  }
}

/**
 * A stopwatch: seconds since it started, counting `alreadySeconds` from before (e.g. an epoch resumed midway).
 *
 * @example
 * ```ts
 * const elapsed = stopwatch();
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * console.log(`${elapsed()} s`);
 * ```
 */
export function stopwatch(alreadySeconds = 0): () => number {
  const start = performance.now() - alreadySeconds * 1000;
  return () => (performance.now() - start) / 1000;
}
