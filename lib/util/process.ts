/**
 * Whether a process that left a file behind is still the one running: a pid alone is not enough, because
 * pids are reused — a leftover whose owner died may carry the pid of a process started later.
 *
 * @module
 */

/** Linux's USER_HZ: the unit of /proc/<pid>/stat's start time (fixed at 100 by the kernel's ABI). */
const CLOCK_TICKS_PER_SECOND = 100;
/** btime in /proc/stat has one-second resolution; start times are this uncertain. */
const START_TIME_SLACK_MS = 2000;

/**
 * When process `pid` started (ms since the epoch), or null when no such process runs. Undefined where
 * this cannot be known (not Linux, /proc unreadable): callers must then assume the process is alive.
 *
 * @example
 * ```ts
 * processStartMs(Deno.pid); // e.g. 1764386209370
 * ```
 */
export function processStartMs(pid: number): number | null | undefined {
  if (Deno.build.os !== "linux") return undefined;
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? null : undefined;
  }
  try {
    // Fields after the command name (which may hold spaces and parentheses): field 22 is the start time.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = Number(fields[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(Deno.readTextFileSync("/proc/stat"))?.[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return undefined;
    return bootSeconds * 1000 + (startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/**
 * Whether something process `pid` wrote at `writtenAtMs` was left by a process that is gone: no process has
 * that pid now, or the one that has it started after the write (the pid was reused). Unknowable → false.
 *
 * @example
 * ```ts
 * const info = await Deno.stat("out.tmp-4242-ab12cd34");
 * if (ownerIsGone(4242, info.mtime!.getTime())) await Deno.remove("out.tmp-4242-ab12cd34");
 * ```
 */
export function ownerIsGone(pid: number, writtenAtMs: number): boolean {
  const started = processStartMs(pid);
  if (started === undefined) return false;
  return started === null || started > writtenAtMs + START_TIME_SLACK_MS;
}
