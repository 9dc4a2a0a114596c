/**
 * One training process per run folder: a lock file `outputs/<run>.lock` holding the owner's pid. Two
 * processes training the same run (e.g. two notebooks both falling back to the smoke model) would otherwise
 * overwrite each other's files.
 *
 * @module
 */
import { dirname } from "node:path";

/** The run is being trained by another live process. */
export class RunLockedError extends Error {
  constructor(readonly lockPath: string, readonly pid: number) {
    super(`${lockPath}: this run is being trained by process ${pid}; wait for it, or use another run name`);
    this.name = "RunLockedError";
  }
}

/** Whether process `pid` is alive (Linux /proc; elsewhere assumed alive). */
function isAlive(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** The pid holding `lockPath`, or undefined when the lock is free (a stale lock of a dead process is removed). */
async function holder(lockPath: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(lockPath).catch(() => null);
  if (text === null) return undefined;
  const pid = Number(text.trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  await Deno.remove(lockPath).catch(() => {});
  return undefined;
}

/**
 * Runs `fn` holding the lock of run folder `runDir`; throws {@link RunLockedError} when a live process holds
 * it. The lock is released when `fn` settles.
 *
 * @example
 * ```ts
 * await withRunLock("outputs/cpu-small", () => train());
 * ```
 */
export async function withRunLock<T>(runDir: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${runDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.mkdir(dirname(runDir), { recursive: true });
      // Write the pid first, then hard-link it into place: the lock never exists without its pid, so a
      // concurrent reader cannot mistake a half-written lock for a stale one.
      const draft = `${lockPath}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
      await Deno.writeTextFile(draft, `${Deno.pid}\n`);
      try {
        await Deno.link(draft, lockPath);
      } finally {
        await Deno.remove(draft);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const pid = await holder(lockPath);
      if (pid !== undefined) throw new RunLockedError(lockPath, pid);
      continue; // the stale lock was removed: try again
    }
    try {
      return await fn();
    } finally {
      await Deno.remove(lockPath).catch(() => {});
    }
  }
  throw new Error(`${lockPath}: could not take the lock`);
}

/**
 * Waits until no live process holds the lock of `runDir` (polling), at most `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitForRunLock("outputs/smoke");
 * ```
 */
export async function waitForRunLock(runDir: string, timeoutMs = 600_000): Promise<void> {
  const lockPath = `${runDir}.lock`;
  const deadline = Date.now() + timeoutMs;
  while (await holder(lockPath) !== undefined) {
    if (Date.now() > deadline) throw new Error(`${lockPath}: still held after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
