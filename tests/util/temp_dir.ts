/** A fresh temporary folder for a test, removed afterwards whatever happens. */

/** Runs `fn` with a fresh temp folder, removed afterwards (also when `fn` throws). */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
