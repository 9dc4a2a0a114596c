/**
 * Writes that never leave a half-written file or folder behind: write next to the target, then rename.
 *
 * @module
 */
import { dirname } from "node:path";

function temporarySibling(path: string): string {
  return `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Writes `data` to `path` atomically (a reader sees the old file or the new one, never a part).
 *
 * @example
 * ```ts
 * await writeFileAtomic("outputs/metrics.json", new TextEncoder().encode("{}"));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = temporarySibling(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Builds a folder through `fill(tmpDir)` and then puts it at `path` in one rename, replacing any old folder.
 * If `fill` throws, nothing changes at `path`.
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
  const tmp = temporarySibling(path);
  await Deno.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (error) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw error;
  }
  // A folder cannot replace a non-empty folder in one rename: move the old one aside first.
  const old = temporarySibling(path);
  const hadOld = await Deno.rename(path, old).then(() => true, () => false);
  await Deno.rename(tmp, path);
  if (hadOld) await Deno.remove(old, { recursive: true });
}
