/**
 * The input check a command does before its work: each input path names something readable that is not a
 * folder (reading a folder fails only at its first read, deep in a stream, as "Is a directory").
 *
 * @module
 */

/**
 * Throws `cannot open <path>: <why>` unless `path` can be opened for reading as a file (a regular file, a pipe or a
 * device such as /dev/stdin).
 *
 * @example
 * ```ts
 * await checkInputFile(await Deno.makeTempFile()); // fine
 * await checkInputFile("/").catch((error) => error.message); // "cannot open /: it is a folder, not a file"
 * ```
 */
export async function checkInputFile(path: string): Promise<void> {
  const info = await Deno.stat(path).catch((error: Error) => {
    throw new Error(
      `cannot open ${path}: ${error instanceof Deno.errors.NotFound ? "no such file" : error.message}`,
    );
  });
  if (info.isDirectory) throw new Error(`cannot open ${path}: it is a folder, not a file`);
  // Permission: opening tells, without reading anything (a FIFO would block until a writer comes: not opened).
  if (info.isFile) {
    try {
      (await Deno.open(path)).close();
    } catch (error) {
      throw new Error(`cannot open ${path}: ${(error as Error).message}`);
    }
  }
}
