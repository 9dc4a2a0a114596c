/**
 * The output-destination check every command does before its work, so that a job never runs for minutes and
 * then throws its results away: the target is of the right kind (a file is not a folder, a folder not a
 * file), its folder exists (a file's) or can be made (a folder's), and a probe file can be written and removed
 * there — which catches read-only folders and file systems, missing permissions and a full disk.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { removeStaleLeftovers } from "./atomic.ts";

/** An output that cannot be written: `cannot write <path>: <why>`. */
export class DestinationError extends Error {
  constructor(readonly path: string, why: string) {
    super(`cannot write ${path}: ${why}`);
    this.name = "DestinationError";
  }
}

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Writes and removes a small probe file in `folder`; an OS error's message otherwise. */
async function probe(folder: string): Promise<string | undefined> {
  // Named as lib/util/atomic.ts names its temporary files, so that what a kill right here leaves is removed.
  const target = join(folder, ".write-probe");
  await removeStaleLeftovers(target).catch(() => {});
  const path = `${target}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    // A byte, not an empty file: an empty file needs no block, so a full disk would pass.
    await Deno.writeFile(path, new Uint8Array(1), { createNew: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

/**
 * Checks that `path` can be written as a file (replaced atomically when it exists): it is not a folder or a
 * device, its folder exists and is writable. Throws a {@link DestinationError} otherwise.
 *
 * @example
 * ```ts
 * await checkOutputFile(await Deno.makeTempFile()); // fine
 * await checkOutputFile("/").catch((error) => error.message); // "cannot write /: it is a folder"
 * ```
 */
export async function checkOutputFile(path: string): Promise<void> {
  const info = await lstatOrNull(path);
  if (info?.isDirectory) throw new DestinationError(path, "it is a folder (give a file name)");
  if (info && !info.isFile && !info.isSymlink) throw new DestinationError(path, "it is not a regular file");
  const folder = dirname(resolve(path));
  const folderInfo = await Deno.stat(folder).catch(() => null);
  if (!folderInfo) throw new DestinationError(path, `its folder ${folder} does not exist`);
  if (!folderInfo.isDirectory) throw new DestinationError(path, `${folder} is not a folder`);
  const failure = await probe(folder);
  if (failure) throw new DestinationError(path, failure);
}

/**
 * Checks that `path` can be written as a folder (replaced as a whole when it exists): it is not a file, and
 * its nearest existing ancestor is a writable folder (the missing ones are made by the writer). Throws a
 * {@link DestinationError} otherwise.
 *
 * @example
 * ```ts
 * await checkOutputDir(`${await Deno.makeTempDir()}/new/out`); // fine
 * ```
 */
export async function checkOutputDir(path: string): Promise<void> {
  const info = await Deno.stat(path).catch(() => null);
  if (info && !info.isDirectory) throw new DestinationError(path, "it exists and is not a folder");
  // The folder is written next to itself (a sibling renamed into place): its parent must take new entries.
  let ancestor = dirname(resolve(path));
  for (;;) {
    const ancestorInfo = await Deno.stat(ancestor).catch(() => null);
    if (ancestorInfo) {
      if (!ancestorInfo.isDirectory) throw new DestinationError(path, `${ancestor} is not a folder`);
      break;
    }
    ancestor = dirname(ancestor);
  }
  const failure = await probe(ancestor);
  if (failure) throw new DestinationError(path, failure);
}
