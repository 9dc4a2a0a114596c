/**
 * Writes that never leave a half-written file or folder behind, and survive a kill or a power cut: write
 * next to the target (`<path>.tmp-<pid>-<random>`), fsync, rename into place, fsync the parent folder.
 *
 * A folder cannot replace a non-empty folder in one rename, so {@link writeDirAtomic} first moves the old one
 * aside as `<path>.old-<pid>-<random>`. A kill between the two renames leaves no `<path>`, but that `.old-`
 * sibling is a complete folder: {@link recoverDirAtomic} (run by every {@link writeDirAtomic}, and by
 * readers that must find the folder) puts it back. Leftovers of dead processes are removed on the next write.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { killPoint } from "./kill_point.ts";
import { ownerIsGone } from "./process.ts";

type SiblingKind = "tmp" | "old";

function sibling(path: string, kind: SiblingKind): string {
  return `${path}.${kind}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
}

interface Leftover {
  path: string;
  kind: SiblingKind;
  /** A leftover of a write into one of `path`'s leftovers (e.g. a model folder built inside a `.tmp-`). */
  nested: boolean;
  pid: number;
  changedMs: number;
}

/** The siblings of `path` that a {@link writeFileAtomic} or {@link writeDirAtomic} of it left. */
async function leftovers(path: string): Promise<Leftover[]> {
  const pattern = new RegExp(`^${RegExp.escape(basename(path))}\\.(tmp|old)-(\\d+)-[0-9a-f]{8}(\\.|$)`);
  const found = [];
  for await (const entry of Deno.readDir(dirname(path))) {
    const match = pattern.exec(entry.name);
    if (!match) continue;
    const full = join(dirname(path), entry.name);
    const info = await Deno.lstat(full).catch(() => null);
    if (!info) continue;
    // ctime, not mtime: a rename (the `.old-` move) updates it, so it dates the owner's last touch.
    const changed = (info.ctime ?? info.mtime)!.getTime();
    found.push({
      path: full,
      kind: match[1] as SiblingKind,
      nested: match[3] === ".",
      pid: Number(match[2]),
      changedMs: changed,
    });
  }
  return found;
}

/**
 * fsyncs `path` (a file, or a folder's entries). A rename is only durable once the folder holding it is
 * synced, and a file's bytes only once the file is.
 */
async function sync(path: string): Promise<void> {
  using file = await Deno.open(path, { read: true });
  await file.sync();
}

/** fsyncs every file and folder under `dir`, then `dir` itself. */
async function syncTree(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await syncTree(path);
    else if (entry.isFile) await sync(path);
  }
  await sync(dir);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * Writes `data` to `path` atomically and durably: a reader (or a restart after a power cut) sees the old
 * file or the new one, never a part.
 *
 * @example
 * ```ts
 * await writeFileAtomic("outputs/metrics.json", new TextEncoder().encode("{}"));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await removeStaleLeftovers(path);
  const tmp = sibling(path, "tmp");
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await sync(tmp);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await sync(dirname(path));
}

/** A file being written next to its target by {@link createFileAtomic}. */
export interface AtomicFile {
  /** The temporary file: write to it. */
  readonly file: Deno.FsFile;
  /** Syncs, closes and renames the file into place: the target is the new file from then on. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file (synchronous: safe in a signal or `unload` handler). */
  abort(): void;
}

/**
 * Opens a file that becomes `path` only on {@link AtomicFile.commit}: for output streamed over a long job.
 * Until then `path` is untouched; a kill leaves a leftover that the next write of `path` removes.
 *
 * @example
 * ```ts
 * const out = await createFileAtomic("outputs/ner.jsonl");
 * try {
 *   await out.file.write(new TextEncoder().encode("{}\n"));
 *   await out.commit();
 * } catch (error) {
 *   out.abort();
 *   throw error;
 * }
 * ```
 */
export async function createFileAtomic(path: string): Promise<AtomicFile> {
  await removeStaleLeftovers(path);
  const tmp = sibling(path, "tmp");
  const file = await Deno.open(tmp, { write: true, createNew: true });
  let open = true;
  let renamed = false;
  const close = () => {
    if (!open) return;
    open = false;
    file.close();
  };
  return {
    file,
    async commit() {
      await file.sync();
      close();
      await Deno.rename(tmp, path);
      renamed = true;
      await sync(dirname(path));
    },
    abort() {
      if (renamed) return;
      close();
      try {
        Deno.removeSync(tmp);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
  };
}

/**
 * Makes a scratch folder `<path>.tmp-<pid>-<random>` for this process's work, after removing those that dead
 * processes left (a SIGKILLed job's). The caller removes it when done.
 *
 * @example
 * ```ts
 * const scratch = await makeScratchDir("/tmp/ner-workers"); // /tmp/ner-workers.tmp-4242-ab12cd34
 * await Deno.remove(scratch, { recursive: true });
 * ```
 */
export async function makeScratchDir(path: string): Promise<string> {
  await removeStaleLeftovers(path);
  const dir = sibling(path, "tmp");
  await Deno.mkdir(dir);
  return dir;
}

/**
 * Removes what earlier writes of `path` by processes now gone left behind: half-built `.tmp-` files or
 * folders, and `.old-` folders already replaced (call {@link recoverDirAtomic} first where `path` may be
 * missing). A live process's leftovers are its work in progress and stay.
 *
 * @example
 * ```ts
 * await removeStaleLeftovers("outputs/ner.jsonl"); // e.g. removes outputs/ner.jsonl.tmp-4242-ab12cd34
 * ```
 */
export async function removeStaleLeftovers(path: string): Promise<void> {
  for (const leftover of await leftovers(path)) {
    if (ownerIsGone(leftover.pid, leftover.changedMs)) {
      await Deno.remove(leftover.path, { recursive: true }).catch(() => {});
    }
  }
}

/**
 * Finishes or undoes a {@link writeDirAtomic} of `path` that a killed process left: when `path` is missing
 * but a complete `.old-` sibling of a dead process exists (killed between the two renames), it is put back;
 * then the stale leftovers are removed. Returns whether `path` exists afterwards.
 *
 * @example
 * ```ts
 * declare const resumeFrom: any; // the example's inputs
 * if (await recoverDirAtomic("outputs/run/checkpoint")) await resumeFrom("outputs/run/checkpoint");
 * ```
 */
export async function recoverDirAtomic(path: string): Promise<boolean> {
  if (!await exists(dirname(path))) return false;
  if (!await exists(path)) {
    const newest = (await leftovers(path))
      .filter((l) => l.kind === "old" && !l.nested && ownerIsGone(l.pid, l.changedMs))
      .sort((a, b) => b.changedMs - a.changedMs)[0];
    if (newest) {
      await Deno.rename(newest.path, path);
      await sync(dirname(path));
    }
  }
  await removeStaleLeftovers(path);
  return await exists(path);
}

/**
 * Builds a folder through `fill(tmpDir)` and then puts it at `path`, replacing any old folder; durable once
 * it resolves. If `fill` throws, nothing changes at `path`; if the process is killed at any moment, `path`
 * (after {@link recoverDirAtomic}) is the old folder or the new one, complete.
 *
 * @example
 * ```ts
 * await writeDirAtomic("outputs/run/best", async (dir) => {
 *   await Deno.writeTextFile(`${dir}/config.json`, "{}");
 * });
 * ```
 */
export async function writeDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await recoverDirAtomic(path);
  const tmp = sibling(path, "tmp");
  await Deno.mkdir(tmp);
  try {
    await fill(tmp);
    await syncTree(tmp);
  } catch (error) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw error;
  }
  const old = sibling(path, "old");
  const hadOld = await Deno.rename(path, old).then(() => true, () => false);
  killPoint("atomic-dir-swap");
  await Deno.rename(tmp, path);
  await sync(dirname(path));
  if (hadOld) await Deno.remove(old, { recursive: true });
}
