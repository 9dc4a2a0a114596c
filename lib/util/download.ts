/**
 * HTTP downloads into a cache: resume (Range requests on a `.part` file), retries with back-off,
 * size check, atomic finish (the target exists only once complete), and a clear error when offline.
 * Used for the Hugging Face hub (corpus parquet files, model weights).
 *
 * @module
 */
import { dirname } from "node:path";

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Expected byte size; a mismatch is an error (the partial file is kept for a later resume only if smaller). */
  expectedSize?: number;
  /** Attempts in all (network errors and 5xx are retried; 4xx are not). Default 4. */
  attempts?: number;
  /** First back-off delay in ms, doubled each retry. Default 500. */
  backoffMs?: number;
  /** Extra request headers (e.g. `Authorization: Bearer …` for gated repositories). */
  headers?: Record<string, string>;
  /** Called as bytes arrive. */
  onProgress?: (received: number, total: number | undefined) => void;
}

/** The download could not be completed; `url` and `dest` say what and where. */
export class DownloadError extends Error {
  constructor(message: string, readonly url: string, readonly dest: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DownloadError";
  }
}

async function fileSize(path: string): Promise<number> {
  return await Deno.stat(path).then((s) => s.size, () => 0);
}

/**
 * Downloads `url` to `dest` unless `dest` already exists (with the expected size, when given).
 * Returns the path. Bytes land in `dest + ".part"` first, so an interrupted download resumes where it stopped.
 *
 * @example
 * ```ts
 * await downloadFile("https://huggingface.co/dmis-lab/biobert-base-cased-v1.1/resolve/main/vocab.txt",
 *   "data/models/biobert/vocab.txt");
 * ```
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<string> {
  const { expectedSize, attempts = 4, backoffMs = 500, headers = {}, onProgress } = options;
  const existing = await Deno.stat(dest).catch(() => null);
  if (existing?.isFile && (expectedSize === undefined || existing.size === expectedSize)) return dest;

  await Deno.mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await fetchInto(url, part, { headers, expectedSize, onProgress });
      const size = await fileSize(part);
      if (expectedSize !== undefined && size !== expectedSize) {
        await Deno.remove(part);
        throw new DownloadError(`size mismatch: got ${size} bytes, expected ${expectedSize}`, url, dest);
      }
      await Deno.rename(part, dest);
      return dest;
    } catch (error) {
      lastError = error;
      if (error instanceof DownloadError && !error.message.startsWith("HTTP 5")) throw error;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
    }
  }
  if (lastError instanceof DownloadError) throw lastError;
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new DownloadError(
    `cannot download ${url} (${reason}) after ${attempts} attempts. ` +
      `Are you offline? Put the file at ${dest} yourself, or point the loader at a local copy.`,
    url,
    dest,
    { cause: lastError },
  );
}

async function fetchInto(
  url: string,
  part: string,
  options: Pick<DownloadOptions, "headers" | "expectedSize" | "onProgress">,
): Promise<void> {
  const have = await fileSize(part);
  if (options.expectedSize !== undefined && have === options.expectedSize) return;
  const headers = new Headers(options.headers);
  if (have > 0) headers.set("Range", `bytes=${have}-`);
  const response = await fetch(url, { headers, redirect: "follow" });
  if (response.status === 416 && have > 0) {
    // The server has nothing past what we hold: the part file is complete (the size check decides).
    await response.body?.cancel();
    return;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadError(`HTTP ${response.status} ${response.statusText} for ${url}`, url, part);
  }
  const resumed = response.status === 206;
  const length = Number(response.headers.get("content-length") ?? NaN);
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : options.expectedSize;
  const file = await Deno.open(part, { write: true, create: true, append: resumed, truncate: !resumed });
  let received = resumed ? have : 0;
  try {
    for await (const chunk of response.body!) {
      await file.write(chunk).then(async (n) => {
        // Deno's write may be partial: finish the chunk.
        let written = n;
        while (written < chunk.length) written += await file.write(chunk.subarray(written));
      });
      received += chunk.length;
      options.onProgress?.(received, total);
    }
  } finally {
    file.close();
  }
}
