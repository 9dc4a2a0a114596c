/**
 * A small reader of zip archives held in memory, enough for PyTorch checkpoints (`torch.save` stores its
 * entries uncompressed; deflated entries are inflated too). Zip64 sizes and offsets are understood.
 *
 * A damaged or hostile archive is refused with a {@link ModelFileError} before anything the size of its claims
 * is allocated: every header must lie inside the file, each entry's local header must agree with the central
 * directory, entries may not share bytes (the overlapping-entries zip bomb), a declared size may not exceed
 * what deflate can produce from the compressed bytes, and inflating stops as soon as it passes the declared
 * size.
 *
 * @module
 */
import { fileName, ModelFileError } from "../errors.ts";
import { sameBytes } from "../../util/same_bytes.ts";

/** One file of an archive. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  /** Where the entry's data starts in the archive. */
  dataOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
/** Deflate's best case: one 258-byte match per ~2 bits, about 1032:1 (zlib's documented limit). */
const MAX_DEFLATE_RATIO = 1032;
/** General-purpose flag bit 3: sizes follow the data in a descriptor (the local header holds zeros). */
const HAS_DATA_DESCRIPTOR = 0x08;
/** Compressed bytes given to the inflater at a time (at most ~4 MB of output each). */
const INFLATE_SLICE = 4096;

/**
 * Whether `bytes` start like a zip archive (a local file header).
 *
 * @example
 * ```ts
 * isZip(await Deno.readFile("pytorch_model.bin")); // true for torch >= 1.6 checkpoints
 * ```
 */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 &&
    new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === LOCAL_HEADER;
}

/** Little-endian reads that refuse to leave the archive, naming what was being read. */
class BoundedView {
  readonly #view: DataView;
  constructor(readonly bytes: Uint8Array, readonly source: string) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws unless `[at, at + length)` lies inside the archive. */
  check(at: number, length: number, what: string): void {
    if (!(Number.isSafeInteger(at) && at >= 0 && length >= 0 && at + length <= this.bytes.length)) {
      throw this.error(`${what} at ${at} (${length} bytes) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  u16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.#view.getUint16(at, true);
  }

  u32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.#view.getUint32(at, true);
  }

  /** A 64-bit field; beyond 2^53 it cannot be an offset or size inside an in-memory file anyway. */
  u64(at: number, what: string): number {
    this.check(at, 8, what);
    const value = this.#view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`${what} ${value} is impossibly large`);
    return Number(value);
  }

  error(problem: string): ModelFileError {
    return new ModelFileError(this.source, problem);
  }
}

/**
 * Lists the entries of a zip archive by name, checked as the module doc says. `source` names the archive in
 * errors.
 *
 * @example
 * ```ts
 * declare const bytes: any; // the example's inputs
 * const entries = readZipDirectory(bytes, "pytorch_model.bin");
 * const pickle = zipEntryData(bytes, [...entries.values()].find((e) => e.name.endsWith("/data.pkl"))!);
 * ```
 */
export function readZipDirectory(bytes: Uint8Array, source = "zip archive"): Map<string, ZipEntry> {
  const view = new BoundedView(bytes, source);
  const end = findEndOfCentralDirectory(view);
  let count = view.u16(end + 10, "entry count");
  let offset = view.u32(end + 16, "central directory offset");
  if (offset === 0xffffffff || count === 0xffff) {
    const locator = end - 20;
    if (locator < 0 || view.u32(locator, "zip64 locator") !== ZIP64_END_LOCATOR) {
      throw view.error("zip64 archive without a zip64 end-of-directory locator");
    }
    const zip64End = view.u64(locator + 8, "zip64 end-of-directory offset");
    if (view.u32(zip64End, "zip64 end of directory") !== ZIP64_END) {
      throw view.error("bad zip64 end of directory");
    }
    count = view.u64(zip64End + 32, "zip64 entry count");
    offset = view.u64(zip64End + 48, "zip64 central directory offset");
  }
  if (count * CENTRAL_HEADER_SIZE > bytes.length) {
    throw view.error(`the directory claims ${count} entries, more than the file can hold`);
  }

  const entries = new Map<string, ZipEntry>();
  const spans: { start: number; end: number; name: string }[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.u32(offset, "central directory") !== CENTRAL_HEADER) {
      throw view.error("corrupt central directory");
    }
    view.check(offset, CENTRAL_HEADER_SIZE, "central directory entry");
    const method = view.u16(offset + 10, "compression method");
    let compressedSize = view.u32(offset + 20, "compressed size");
    let size = view.u32(offset + 24, "size");
    const nameLength = view.u16(offset + 28, "name length");
    const extraLength = view.u16(offset + 30, "extra length");
    const commentLength = view.u16(offset + 32, "comment length");
    let localOffset = view.u32(offset + 42, "local header offset");
    view.check(
      offset + CENTRAL_HEADER_SIZE,
      nameLength + extraLength + commentLength,
      "central directory entry",
    );
    const nameBytes = bytes.subarray(offset + CENTRAL_HEADER_SIZE, offset + CENTRAL_HEADER_SIZE + nameLength);
    const name = decoder.decode(nameBytes);
    // Zip64 extra field: the 64-bit values, in this order, of the fields that are 0xFFFFFFFF.
    let extra = offset + CENTRAL_HEADER_SIZE + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.u16(extra, "extra field"), length = view.u16(extra + 2, "extra field");
      if (id === 0x0001) {
        let field = extra + 4;
        const next = () => {
          if (field + 8 > extra + 4 + length) {
            throw view.error(`entry ${fileName(name)}: zip64 extra field too short`);
          }
          const value = view.u64(field, `entry ${fileName(name)}: zip64 field`);
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      extra += 4 + length;
    }
    const entry = checkLocalHeader(view, { name, nameBytes, method, compressedSize, size, localOffset });
    if (entries.has(name)) throw view.error(`entry ${fileName(name)} appears twice`);
    entries.set(name, entry);
    spans.push({ start: localOffset, end: entry.dataOffset + compressedSize, name });
    offset = extraEnd + commentLength;
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw view.error(
        `entries ${fileName(spans[i - 1].name)} and ${fileName(spans[i].name)} overlap (a zip bomb?)`,
      );
    }
  }
  return entries;
}

/** The entry of a central-directory record, once its local header agrees and its sizes are plausible. */
function checkLocalHeader(
  view: BoundedView,
  central: {
    name: string;
    nameBytes: Uint8Array;
    method: number;
    compressedSize: number;
    size: number;
    localOffset: number;
  },
): ZipEntry {
  const { name, nameBytes, method, compressedSize, size, localOffset } = central;
  const where = `entry ${fileName(name)}`;
  if (view.u32(localOffset, `${where}: local header`) !== LOCAL_HEADER) {
    throw view.error(`${where} has no local header at ${localOffset}`);
  }
  view.check(localOffset, LOCAL_HEADER_SIZE, `${where}: local header`);
  const flags = view.u16(localOffset + 6, `${where}: flags`);
  const localMethod = view.u16(localOffset + 8, `${where}: method`);
  const localCompressed = view.u32(localOffset + 18, `${where}: compressed size`);
  const localSize = view.u32(localOffset + 22, `${where}: size`);
  const localNameLength = view.u16(localOffset + 26, `${where}: name length`);
  const dataOffset = localOffset + LOCAL_HEADER_SIZE + localNameLength + view.u16(localOffset + 28, where);
  view.check(localOffset + LOCAL_HEADER_SIZE, localNameLength, `${where}: local name`);
  const localName = view.bytes.subarray(
    localOffset + LOCAL_HEADER_SIZE,
    localOffset + LOCAL_HEADER_SIZE + localNameLength,
  );
  const sizesDiffer = !(flags & HAS_DATA_DESCRIPTOR) &&
    ((localCompressed !== 0xffffffff && localCompressed !== compressedSize) ||
      (localSize !== 0xffffffff && localSize !== size));
  if (localMethod !== method || sizesDiffer || !sameBytes(localName, nameBytes)) {
    throw view.error(
      `${where}: the local header disagrees with the central directory (name, method or sizes)`,
    );
  }
  view.check(dataOffset, compressedSize, `${where}: data (truncated file?)`);
  if (method === 0 && size !== compressedSize) {
    throw view.error(`${where} is stored, yet declares ${size} bytes in ${compressedSize}`);
  }
  if (method === 8 && size > compressedSize * MAX_DEFLATE_RATIO + 64) {
    throw view.error(
      `${where} declares ${size} bytes, more than deflate can produce from ${compressedSize} (a zip bomb?)`,
    );
  }
  if (method !== 0 && method !== 8) throw view.error(`${where}: unsupported compression method ${method}`);
  return { name, method, compressedSize, size, dataOffset };
}

/**
 * The uncompressed bytes of one entry (a view into `bytes` when it is stored). A deflated entry is inflated
 * as a stream that stops as soon as it passes the entry's declared size.
 *
 * @example
 * ```ts
 * declare const bytes: any, entries: any; // the example's inputs
 * const version = new TextDecoder().decode(await zipEntryData(bytes, entries.get("archive/version")!));
 * ```
 */
export async function zipEntryData(
  bytes: Uint8Array,
  entry: ZipEntry,
  source = "zip archive",
): Promise<Uint8Array> {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return raw;
  const fail = (problem: string) => new ModelFileError(source, `entry ${fileName(entry.name)} ${problem}`);
  if (entry.method !== 8) throw fail(`uses the unsupported compression method ${entry.method}`);
  // Fed in small slices: one slice inflates to at most ~1000× its size, so the check below comes before a
  // bomb's output does (a single chunk of the whole entry would be inflated in one go).
  let position = 0;
  const slices = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (position >= raw.length) return controller.close();
      controller.enqueue(raw.slice(position, position + INFLATE_SLICE));
      position += INFLATE_SLICE;
    },
  }, { highWaterMark: 0 });
  const reader = slices.pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > entry.size) {
        throw fail(`inflates to more than the ${entry.size} bytes it declares (a zip bomb?)`);
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof ModelFileError) throw error;
    throw fail(`holds corrupt deflate data (${(error as Error).message})`);
  }
  if (total !== entry.size) throw fail(`inflates to ${total} bytes, not the ${entry.size} it declares`);
  const inflated = new Uint8Array(total);
  chunks.reduce((offset, chunk) => (inflated.set(chunk, offset), offset + chunk.length), 0);
  return inflated;
}

function findEndOfCentralDirectory(view: BoundedView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, view.bytes.length - 22 - 0xffff);
  for (let at = view.bytes.length - 22; at >= lowest; at--) {
    if (view.u32(at, "end of central directory") === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw view.error("not a zip archive (no end-of-central-directory record)");
}
