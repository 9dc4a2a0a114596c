/**
 * A streaming tar extractor for the native install: it reads a stream of chunks once, writes the entries a
 * caller selects (under a new name) and skips the rest without holding them in memory. Understands ustar,
 * GNU long names and pax path records — what npm and GNU tar write. Regular files, directories and symlinks.
 *
 * @module
 */
import { dirname, isAbsolute, join, normalize, relative } from "node:path";

const BLOCK = 512;

/** One tar entry as the selector sees it. */
export interface TarEntry {
  /** Path inside the archive, e.g. `node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.1`. */
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  mode: number;
  /** Target of a symlink. */
  linkTarget: string;
}

/** Options of {@link extractTar}. */
export interface ExtractTarOptions {
  /** Folder the selected entries are written under. */
  destination: string;
  /** Where an entry goes, relative to `destination`, or undefined to skip it. */
  select(entry: TarEntry): string | undefined;
}

/** Reads exact byte counts from a stream of chunks of any size. */
class ChunkReader {
  #chunks: AsyncIterator<Uint8Array>;
  #current: Uint8Array = new Uint8Array(0);

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** Stops reading (cancels the underlying stream, closing its file). */
  async close(): Promise<void> {
    await this.#chunks.return?.();
  }

  /** Passes the next `count` bytes to `sink` as they arrive (views valid only during the call). */
  async pipe(count: number, sink: (bytes: Uint8Array) => Promise<void> | void): Promise<void> {
    while (count > 0) {
      if (this.#current.length === 0) {
        const next = await this.#chunks.next();
        if (next.done) throw new Error(`tar: archive ends ${count} bytes early (truncated download?)`);
        this.#current = next.value;
        continue;
      }
      const take = Math.min(count, this.#current.length);
      await sink(this.#current.subarray(0, take));
      this.#current = this.#current.subarray(take);
      count -= take;
    }
  }

  /** The next `count` bytes as one array. */
  async read(count: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(count);
    let filled = 0;
    await this.pipe(count, (part) => {
      bytes.set(part, filled);
      filled += part.length;
    });
    return bytes;
  }
}

const text = new TextDecoder();

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return text.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(header: Uint8Array, offset: number, length: number, what: string): number {
  if (header[offset] & 0x80) throw new Error(`tar: ${what} in base-256 (over 8 GB) is not supported`);
  const digits = field(header, offset, length).trim();
  const value = digits === "" ? 0 : parseInt(digits, 8);
  if (!Number.isFinite(value)) throw new Error(`tar: bad ${what} field ${JSON.stringify(digits)}`);
  return value;
}

/** Parses pax records `"<len> key=value\n"` into a map. */
function paxRecords(body: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  for (const line of text.decode(body).split("\n")) {
    const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (match) records.set(match[1], match[2]);
  }
  return records;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Extracts the entries `select` maps to a path, streaming file bodies to disk. Returns the paths written
 * (relative to the destination). Throws on a truncated archive or a target escaping `destination`.
 *
 * @example
 * ```ts
 * declare const file: any; // the example's inputs
 * const written = await extractTar(file.readable, {
 *   destination: "/tmp/out",
 *   select: (e) => e.path.startsWith("package/") ? e.path.slice("package/".length) : undefined,
 * });
 * ```
 */
export async function extractTar(
  chunks: AsyncIterable<Uint8Array>,
  options: ExtractTarOptions,
): Promise<string[]> {
  const reader = new ChunkReader(chunks);
  try {
    return await extractEntries(reader, options);
  } finally {
    await reader.close();
  }
}

async function extractEntries(reader: ChunkReader, options: ExtractTarOptions): Promise<string[]> {
  const written: string[] = [];
  let longPath: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const typeFlag = String.fromCharCode(header[156] || 48);
    const size = octal(header, 124, 12, "size");
    if (typeFlag === "L" || typeFlag === "K" || typeFlag === "x" || typeFlag === "g") {
      const body = await reader.read(size);
      await reader.read(padding(size));
      if (typeFlag === "L") longPath = field(body, 0, body.length);
      if (typeFlag === "K") longLink = field(body, 0, body.length);
      if (typeFlag === "x") {
        const records = paxRecords(body);
        longPath = records.get("path") ?? longPath;
        longLink = records.get("linkpath") ?? longLink;
      }
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = field(header, 0, 100);
    const entry: TarEntry = {
      path: longPath ?? (prefix ? `${prefix}/${name}` : name),
      type: typeFlag === "0" || typeFlag === "7"
        ? "file"
        : typeFlag === "5"
        ? "directory"
        : typeFlag === "2"
        ? "symlink"
        : "other",
      size,
      mode: octal(header, 100, 8, "mode"),
      linkTarget: longLink ?? field(header, 157, 100),
    };
    longPath = longLink = undefined;
    const target = entry.type === "other" ? undefined : options.select(entry);
    if (target === undefined) {
      await reader.pipe(size + padding(size), () => {});
      continue;
    }
    const outPath = join(options.destination, target);
    const inside = relative(options.destination, outPath);
    if (inside.startsWith("..") || isAbsolute(inside)) {
      throw new Error(`tar: entry ${JSON.stringify(entry.path)} would be written outside the destination`);
    }
    await writeEntry(entry, outPath, reader);
    await reader.pipe(padding(size), () => {});
    written.push(target);
  }
  return written;
}

async function writeEntry(entry: TarEntry, outPath: string, reader: ChunkReader): Promise<void> {
  if (entry.type === "directory") {
    await Deno.mkdir(outPath, { recursive: true });
    return;
  }
  await Deno.mkdir(dirname(outPath), { recursive: true });
  await Deno.remove(outPath).catch(() => {});
  if (entry.type === "symlink") {
    if (isAbsolute(entry.linkTarget) || normalize(entry.linkTarget).startsWith("..")) {
      throw new Error(`tar: symlink ${entry.path} → ${entry.linkTarget} leaves its folder`);
    }
    await Deno.symlink(entry.linkTarget, outPath);
    return;
  }
  const file = await Deno.open(outPath, {
    write: true,
    create: true,
    truncate: true,
    mode: entry.mode || 0o644,
  });
  try {
    await reader.pipe(entry.size, async (bytes) => {
      for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
    });
  } finally {
    file.close();
  }
  await Deno.chmod(outPath, (entry.mode & 0o777) | 0o200);
}
