/**
 * One training process per run folder: an exclusive advisory lock (flock) on `outputs/<run>.lock`, whose
 * text is the holder's pid (for the error message only). Two processes training the same run (e.g. two
 * notebooks both falling back to the smoke model) would otherwise overwrite each other's files.
 *
 * The kernel releases the lock when its holder exits, however it dies, so there is no stale lock to take
 * over — and so no window in which one process could delete a lock another has just taken. The lock file
 * itself is never deleted: a process could still be about to lock the deleted file while another creates
 * and locks a new one.
 *
 * @module
 */
import { dirname } from "node:path";

/** The run is being trained by another live process. */
export class RunLockedError extends Error {
  constructor(readonly lockPath: string, readonly pid: number | undefined) {
    super(
      `${lockPath}: this run is being trained by process ${
        pid ?? "(starting)"
      }; wait for it, or use another ` +
        `run name`,
    );
    this.name = "RunLockedError";
  }
}

async function openLockFile(runDir: string): Promise<{ file: Deno.FsFile; lockPath: string }> {
  const lockPath = `${runDir}.lock`;
  await Deno.mkdir(dirname(runDir), { recursive: true });
  return { file: await Deno.open(lockPath, { read: true, write: true, create: true }), lockPath };
}

/** The pid the holder wrote into the lock file (it writes it right after locking, so it may be missing). */
async function writtenPid(lockPath: string): Promise<number | undefined> {
  const pid = Number((await Deno.readTextFile(lockPath).catch(() => "")).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Runs `fn` holding the lock of run folder `runDir`; throws {@link RunLockedError} when a live process holds
 * it. The lock is released when `fn` settles (or when the process dies).
 *
 * @example
 * ```ts
 * declare const train: any; // the example's inputs
 * await withRunLock("outputs/cpu-small", () => train());
 * ```
 */
export async function withRunLock<T>(runDir: string, fn: () => Promise<T>): Promise<T> {
  const { file, lockPath } = await openLockFile(runDir);
  try {
    if (!await file.tryLock(true)) throw new RunLockedError(lockPath, await writtenPid(lockPath));
    await file.truncate(0);
    await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
    try {
      return await fn();
    } finally {
      await file.truncate(0);
      await file.unlock();
    }
  } finally {
    file.close();
  }
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
  const { file, lockPath } = await openLockFile(runDir);
  try {
    const deadline = Date.now() + timeoutMs;
    while (!await file.tryLock(true)) {
      if (Date.now() > deadline) throw new Error(`${lockPath}: still held after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await file.unlock();
  } finally {
    file.close();
  }
}
