/**
 * Bounded file reads: every file the tools read whole is first `stat`ed — it must be a regular file (a FIFO
 * would hang the read, a link to /dev/zero would never end) no larger than the limit of its kind — and then
 * read with that limit enforced on the bytes actually read (a file that grows, or a /proc file that reports
 * size 0, cannot slip past it). The limits are generous for real files and stated in docs/reliability.md.
 *
 * @module
 */
import { decodeUtf8, MAX_STRING_LENGTH, Utf8Error } from "./utf8.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The largest file of each kind the tools read. */
export const FILE_LIMITS = {
  /** config.json, tokenizer_config.json, profile.json, trainer state and other small JSON files. */
  "JSON settings file": 4 * MiB,
  /** vocab.txt (BioBERT's is 213 KB; the largest multilingual vocabs are ~5 MB). */
  "vocab file": 16 * MiB,
  /** model.safetensors, pytorch_model.bin (BERT-large in float32 is 1.3 GB). */
  "weights file": 8 * GiB,
  /** Corpus and input files read whole: PubTator, JSONL, IOB/CoNLL, parquet. */
  "corpus file": 4 * GiB,
} as const;

/** A kind of file, with its limit in {@link FILE_LIMITS}. */
export type FileKind = keyof typeof FILE_LIMITS;

/** A file refused before (or while) reading it: not a regular file, or over its kind's limit. */
export class FileLimitError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = "FileLimitError";
  }
}

/**
 * A byte count for messages: "512 B", "3.8 KiB", "16 MiB", "1.5 GiB".
 *
 * @example
 * ```ts
 * formatBytes(16 * 1024 * 1024); // "16 MiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) value /= 1024, unit++;
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

/** What a non-regular file is, for the refusal. */
function describeSpecial(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a directory";
  if (info.isFifo) return "a FIFO (named pipe)";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  if (info.isSocket) return "a socket";
  return "not a regular file";
}

/**
 * Stats `path` (following links) and refuses, at once, anything that is not a regular file of at most
 * `maxBytes` (default: the limit of `kind`). Returns the file's info.
 *
 * @example
 * ```ts
 * await checkRegularFile("data/fixtures/model/tiny-bert/config.json", { kind: "JSON settings file" });
 * ```
 */
export async function checkRegularFile(
  path: string,
  options: { kind: FileKind; maxBytes?: number },
): Promise<Deno.FileInfo> {
  const { kind, maxBytes = FILE_LIMITS[options.kind] } = options;
  const info = await Deno.stat(path);
  if (!info.isFile) {
    throw new FileLimitError(path, `${describeSpecial(info)}, not a regular ${kind}; refused`);
  }
  if (info.size > maxBytes) {
    throw new FileLimitError(
      path,
      `${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit for a ${kind}; refused`,
    );
  }
  return info;
}

/**
 * Opens a regular file of at most its kind's limit for reading (see {@link checkRegularFile}).
 *
 * @example
 * ```ts
 * using file = await openRegularFile("abstracts.jsonl", { kind: "corpus file" });
 * ```
 */
export async function openRegularFile(
  path: string,
  options: { kind: FileKind; maxBytes?: number },
): Promise<Deno.FsFile> {
  await checkRegularFile(path, options);
  return await Deno.open(path, { read: true });
}

/**
 * Reads a whole regular file of at most `maxBytes` (default: the limit of `kind`) into one exactly sized
 * buffer: its `.buffer` is the file's bytes and nothing else, so it can be handed on without a copy.
 *
 * @example
 * ```ts
 * const bytes = await readFileBounded("data/fixtures/model/tiny-bert/model.safetensors", { kind: "weights file" });
 * ```
 */
export async function readFileBounded(
  path: string,
  options: { kind: FileKind; maxBytes?: number },
): Promise<Uint8Array<ArrayBuffer>> {
  const { kind, maxBytes = FILE_LIMITS[options.kind] } = options;
  const info = await checkRegularFile(path, options);
  using file = await Deno.open(path, { read: true });
  let bytes = new Uint8Array(info.size);
  let filled = 0;
  while (true) {
    if (filled === bytes.length) {
      // The file is longer than its size said (growing, or a /proc file): grow, within the limit.
      const probe = new Uint8Array(1);
      if ((await file.read(probe)) === null) break;
      if (filled + 1 > maxBytes) {
        throw new FileLimitError(path, `over the ${formatBytes(maxBytes)} limit for a ${kind}; refused`);
      }
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * bytes.length, 4096)));
      grown.set(bytes.subarray(0, filled));
      grown[filled++] = probe[0];
      bytes = grown;
      continue;
    }
    const read = await file.read(bytes.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return filled === bytes.length ? bytes : bytes.slice(0, filled);
}

/**
 * {@link readFileBounded}, decoded as strict UTF-8 (a BOM dropped); invalid bytes are refused with the file,
 * line and byte offset. The text is one string, so a file over {@link MAX_STRING_LENGTH} bytes (512 MiB) is
 * refused before it is read, whatever its kind's limit (decoding 600 MB took 1.7 GB and then failed).
 *
 * @example
 * ```ts
 * const text = await readTextFileBounded("data/fixtures/model/tiny-bert/config.json", { kind: "JSON settings file" });
 * ```
 */
export async function readTextFileBounded(
  path: string,
  options: { kind: FileKind; maxBytes?: number },
): Promise<string> {
  const { size } = await checkRegularFile(path, options);
  if (size > MAX_STRING_LENGTH) {
    throw new FileLimitError(
      path,
      `${formatBytes(size)}, too long to read as one text (at most ${MAX_STRING_LENGTH} bytes, the longest ` +
        `string); refused`,
    );
  }
  const maxBytes = Math.min(options.maxBytes ?? FILE_LIMITS[options.kind], MAX_STRING_LENGTH);
  const bytes = await readFileBounded(path, { ...options, maxBytes });
  try {
    return decodeUtf8(bytes);
  } catch (error) {
    if (!(error instanceof Utf8Error)) throw error;
    throw new FileLimitError(path, `line ${error.line}: invalid UTF-8 at byte offset ${error.offset}`);
  }
}
