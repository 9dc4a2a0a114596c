/**
 * Whether a path is there, for choices that only need a yes or no (a missing or unreadable path is a no; what
 * then goes wrong reading it is reported by the reader). Links are followed.
 *
 * @module
 */

/**
 * Whether `path` exists (a file, folder or anything else).
 *
 * @example
 * ```ts
 * await pathExists("deno.json"); // true in the project root
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * {@link pathExists}, synchronously: for checks made while parsing arguments.
 *
 * @example
 * ```ts
 * pathExistsSync("/usr/bin/jupyter"); // whether Debian's Jupyter is installed
 * ```
 */
export function pathExistsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `path` is a regular file (or a link to one).
 *
 * @example
 * ```ts
 * await isFile("deno.json"); // true; a folder: false
 * ```
 */
export async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((stat) => stat.isFile, () => false);
}
