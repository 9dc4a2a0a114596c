/**
 * A small reader of zip archives held in memory, enough for PyTorch checkpoints (`torch.save` stores its
 * entries uncompressed; deflated entries are inflated too). Zip64 sizes and offsets are understood.
 *
 * @module
 */

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

/**
 * Lists the entries of a zip archive by name. `source` names the archive in errors.
 *
 * @example
 * ```ts
 * const entries = readZipDirectory(bytes, "pytorch_model.bin");
 * const pickle = zipEntryData(bytes, [...entries.values()].find((e) => e.name.endsWith("/data.pkl"))!);
 * ```
 */
export function readZipDirectory(bytes: Uint8Array, source = "zip archive"): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(view, source);
  let count = view.getUint16(end + 10, true);
  let offset: number = view.getUint32(end + 16, true);
  if (offset === 0xffffffff || count === 0xffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_END_LOCATOR) {
      throw new Error(`${source}: zip64 archive without a zip64 end-of-directory locator`);
    }
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (view.getUint32(zip64End, true) !== ZIP64_END) {
      throw new Error(`${source}: bad zip64 end of directory`);
    }
    count = Number(view.getBigUint64(zip64End + 32, true));
    offset = Number(view.getBigUint64(zip64End + 48, true));
  }

  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(offset, true) !== CENTRAL_HEADER) {
      throw new Error(`${source}: corrupt central directory`);
    }
    const method = view.getUint16(offset + 10, true);
    let compressedSize: number = view.getUint32(offset + 20, true);
    let size: number = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let localOffset: number = view.getUint32(offset + 42, true);
    const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    // Zip64 extra field: the 64-bit values, in this order, of the fields that are 0xFFFFFFFF.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true), length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = () => {
          const value = Number(view.getBigUint64(field, true));
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      extra += 4 + length;
    }
    if (view.getUint32(localOffset, true) !== LOCAL_HEADER) {
      throw new Error(`${source}: entry ${name} has no local header at ${localOffset}`);
    }
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) +
      view.getUint16(localOffset + 28, true);
    if (dataOffset + compressedSize > bytes.length) throw new Error(`${source}: entry ${name} is truncated`);
    entries.set(name, { name, method, compressedSize, size, dataOffset });
    offset = extraEnd + commentLength;
  }
  return entries;
}

/**
 * The uncompressed bytes of one entry (a view into `bytes` when it is stored).
 *
 * @example
 * ```ts
 * const version = new TextDecoder().decode(await zipEntryData(bytes, entries.get("archive/version")!));
 * ```
 */
export async function zipEntryData(bytes: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method !== 8) {
    throw new Error(`zip entry ${entry.name}: unsupported compression method ${entry.method}`);
  }
  const stream = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("deflate-raw"),
  );
  const inflated = new Uint8Array(await new Response(stream).arrayBuffer());
  if (inflated.length !== entry.size) {
    throw new Error(`zip entry ${entry.name}: inflated to ${inflated.length} bytes, expected ${entry.size}`);
  }
  return inflated;
}

function findEndOfCentralDirectory(view: DataView, source: string): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error(`${source}: not a zip archive (no end-of-central-directory record)`);
}
