/**
 * Builders of small (and deliberately hostile) weight files for the loader tests: pickles opcode by opcode,
 * a `torch.save`-style state-dict pickle, zip archives with chosen headers, and a deflate bomb.
 *
 * @module
 */

/** Concatenates byte parts (numbers are single bytes, strings are latin-1). */
export function bytes(...parts: (number | string | Uint8Array | number[])[]): Uint8Array {
  const chunks = parts.map((part) =>
    typeof part === "number"
      ? Uint8Array.of(part)
      : typeof part === "string"
      ? Uint8Array.from(part, (c) => c.charCodeAt(0))
      : Array.isArray(part)
      ? Uint8Array.from(part)
      : part
  );
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  chunks.reduce((offset, chunk) => (out.set(chunk, offset), offset + chunk.length), 0);
  return out;
}

/** Little-endian int32 (signed). */
export function int32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return out;
}

/** Pickle opcodes the builders use. */
export const OP = {
  PROTO: 0x80,
  STOP: 0x2e,
  MARK: 0x28,
  TUPLE: 0x74,
  EMPTY_DICT: 0x7d,
  EMPTY_LIST: 0x5d,
  SETITEM: 0x73,
  APPENDS: 0x65,
  APPEND: 0x61,
  BININT: 0x4a,
  BINSTRING: 0x54,
  BINUNICODE: 0x58,
  LONG4: 0x8b,
  NEWFALSE: 0x89,
  BINPERSID: 0x51,
  REDUCE: 0x52,
} as const;

/** SHORT_BINUNICODE of `text` (ASCII, < 256 bytes). */
function shortString(text: string): Uint8Array {
  return bytes(0x8c, text.length, text);
}

/** A tuple of BININTs. */
function intTuple(values: number[]): Uint8Array {
  return bytes(OP.MARK, ...values.map((value) => bytes(OP.BININT, int32(value))), OP.TUPLE);
}

/** One tensor of a state-dict pickle: a strided view into storage `key` of `numel` elements. */
export interface PickledTensor {
  name: string;
  key: string;
  numel: number;
  offset: number;
  shape: number[];
  stride: number[];
  /** Storage class, default "FloatStorage". */
  storage?: string;
}

/** The `data.pkl` of a `torch.save`d state dict (protocol 2): `{name: _rebuild_tensor_v2(...)}`. */
export function stateDictPickle(tensors: PickledTensor[]): Uint8Array {
  return bytes(
    OP.PROTO,
    2,
    OP.EMPTY_DICT,
    ...tensors.map((t) =>
      bytes(
        shortString(t.name),
        "ctorch._utils\n_rebuild_tensor_v2\n",
        OP.MARK,
        bytes(
          OP.MARK,
          shortString("storage"),
          `ctorch\n${t.storage ?? "FloatStorage"}\n`,
          shortString(t.key),
          shortString("cpu"),
          OP.BININT,
          int32(t.numel),
          OP.TUPLE,
          OP.BINPERSID,
        ),
        OP.BININT,
        int32(t.offset),
        intTuple(t.shape),
        intTuple(t.stride),
        OP.NEWFALSE,
        OP.TUPLE,
        OP.REDUCE,
        OP.SETITEM,
      )
    ),
    OP.STOP,
  );
}

/** One entry of {@link zipArchive}. */
export interface ZipFileSpec {
  name: string;
  /** The stored bytes (already deflated when `method` is 8). */
  data: Uint8Array;
  /** 0 = stored (default), 8 = deflate. */
  method?: number;
  /** Uncompressed size to declare (default: the data length). */
  size?: number;
  /** Local header offset the central directory declares (default: where the entry was written). */
  localOffset?: number;
}

/** A zip archive of `files` (no CRCs: the readers here do not check them). */
export function zipArchive(files: ZipFileSpec[]): Uint8Array {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = encoder.encode(file.name);
    const size = file.size ?? file.data.length;
    const local = new DataView(new ArrayBuffer(30 + name.length));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, file.method ?? 0, true);
    local.setUint32(18, file.data.length, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    new Uint8Array(local.buffer).set(name, 30);
    const central = new DataView(new ArrayBuffer(46 + name.length));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint16(10, file.method ?? 0, true);
    central.setUint32(20, file.data.length, true);
    central.setUint32(24, size, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, file.localOffset ?? offset, true);
    new Uint8Array(central.buffer).set(name, 46);
    locals.push(new Uint8Array(local.buffer), file.data);
    centrals.push(new Uint8Array(central.buffer));
    offset += local.byteLength + file.data.length;
  }
  const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return bytes(...locals, ...centrals, new Uint8Array(end.buffer));
}

/** A PyTorch zip checkpoint: `archive/data.pkl` plus one stored `archive/data/<key>` entry per storage. */
export function pytorchZip(pickle: Uint8Array, storages: Record<string, Uint8Array>): Uint8Array {
  return zipArchive([
    { name: "archive/data.pkl", data: pickle },
    ...Object.entries(storages).map(([key, data]) => ({ name: `archive/data/${key}`, data })),
  ]);
}

/** Float32 values as little-endian bytes. */
export function float32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** `size` zero bytes, raw-deflated (about 1000:1). */
export async function deflatedZeros(size: number): Promise<Uint8Array> {
  const chunk = new Uint8Array(1 << 20);
  const stream = new ReadableStream<BufferSource>({
    pull(controller) {
      if (size <= 0) return controller.close();
      controller.enqueue(chunk.subarray(0, Math.min(size, chunk.length)));
      size -= chunk.length;
    },
  }).pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
