/**
 * A command started by another Deno process — the `deno task` wrapper, or `ner --workers`' coordinator — stops
 * when that process dies. The wrapper forwards SIGINT, SIGTERM and SIGHUP to its command, but a SIGKILLed
 * wrapper forwards nothing: its command was re-parented and ran on for minutes, then wrote its output. Linux's
 * `PR_SET_PDEATHSIG` would fire when the spawning *thread* of the parent exits (a runtime's worker thread), so
 * the parent's pid is polled instead, and its death is handled as the SIGTERM the parent would have forwarded:
 * the command's own SIGTERM handling (removing its temporary files) runs, or the default action ends it.
 *
 * A command started from a shell (not by Deno) is not watched: `nohup deno run … &` outlives its shell.
 *
 * @module
 */

/** How often the parent is checked: at most this late, an orphaned command stops. */
const POLL_MS = 500;

/** Whether process `pid` runs the same executable as this one (Linux; false where unknowable). */
function runsDeno(pid: number): boolean {
  try {
    return Deno.readLinkSync(`/proc/${pid}/exe`) === Deno.readLinkSync("/proc/self/exe");
  } catch {
    return false;
  }
}

/**
 * While the returned handle is not disposed, SIGTERMs this process if its parent was a Deno process and dies
 * (its pid changes: re-parented). The poll does not keep the process alive.
 *
 * @example
 * ```ts
 * {
 *   using _watch = watchTaskWrapper();
 *   // … the command's work: stopped if the `deno task` wrapper that started it is SIGKILLed
 * }
 * ```
 */
export function watchTaskWrapper(): Disposable {
  const parent = Deno.ppid;
  if (Deno.build.os !== "linux" || !runsDeno(parent)) return { [Symbol.dispose]() {} };
  const timer = setInterval(() => {
    if (Deno.ppid === parent) return;
    clearInterval(timer);
    Deno.kill(Deno.pid, "SIGTERM");
  }, POLL_MS);
  Deno.unrefTimer(timer);
  return { [Symbol.dispose]: () => clearInterval(timer) };
}
