// Over 300 lines: both torch.save formats share the tensor rebuilding and bounds checks that make it safe.
/**
 * Reads `pytorch_model.bin` state dicts without Python and without running the pickle's code:
 * the zip format of `torch.save` (torch ≥ 1.6: `<name>/data.pkl` + one `<name>/data/<key>` entry per storage)
 * and the legacy format before it (pickles back to back, then the storages' raw bytes). The pickle may only
 * rebuild tensors, storages and (ordered) dicts; any other global is refused ({@link UnsafePickleError}).
 *
 * Every claim of the file is checked against the file before it is acted on: a storage must hold the bytes
 * its element count needs, a tensor view (offset, shape, strides) must lie inside its storage and hold no
 * more elements than it (so a stride-0 view cannot make a few bytes into gigabytes), strides are never
 * negative, and float tensors must be finite. Refusals are {@link ModelFileError}s naming the file and tensor.
 *
 * @module
 */
import { assertFinite, dtypeBytes, toFloat32 } from "./dtype.ts";
import { fileName, ModelFileError } from "../errors.ts";
import { type AllowedGlobal, unpickleAt, type UnpickleOptions, UnsafePickleError } from "./pickle.ts";
import type { StateDict } from "../types.ts";
import { isZip, readZipDirectory, zipEntryData } from "./zip.ts";
import { readFileBounded } from "../../util/bounded_file.ts";

export { UnsafePickleError };

/** Storage classes a checkpoint may name, with their element dtype (safetensors spelling). */
const STORAGE_DTYPES: Record<string, string> = {
  "torch.FloatStorage": "F32",
  "torch.HalfStorage": "F16",
  "torch.BFloat16Storage": "BF16",
  "torch.DoubleStorage": "F64",
  "torch.LongStorage": "I64",
  "torch.IntStorage": "I32",
  "torch.ShortStorage": "I16",
  "torch.CharStorage": "I8",
  "torch.ByteStorage": "U8",
  "torch.BoolStorage": "BOOL",
};

/** A storage named by a persistent id; its bytes are fetched only when a tensor needs them. */
class StorageRef {
  constructor(readonly key: string, readonly dtype: string, readonly numel: number) {}
}

/** A tensor as the pickle describes it: a strided view into a storage. */
class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

/** The globals a state-dict pickle may use, and nothing else. */
const TORCH_GLOBALS: Record<string, AllowedGlobal> = {
  "collections.OrderedDict": { call: (items?: unknown) => new Map(Array.isArray(items) ? items : []) },
  "torch._utils._rebuild_tensor_v2": { call: (...args) => rebuildTensor(args) },
  "torch._utils._rebuild_tensor": { call: (...args) => rebuildTensor(args) },
  // A Parameter pickles as its data plus requires_grad: keep the data.
  "torch._utils._rebuild_parameter": { call: (data) => data },
  "torch._utils._rebuild_parameter_with_state": { call: (data) => data },
  ...Object.fromEntries(Object.keys(STORAGE_DTYPES).map((name) => [name, {}])),
};

/**
 * The largest `data.pkl` accepted (8 MiB): the pickle of a state dict holds only names, shapes and storage
 * keys, about 110 bytes per tensor (~22 KB for BERT-base); the tensors are separate entries.
 */
export const MAX_PICKLE_BYTES = 8 * 1024 * 1024;

/** The most dimensions a tensor may have (PyTorch's own limit is 64). */
const MAX_DIMENSIONS = 64;

function rebuildTensor([storage, offset, shape, stride]: unknown[]): TensorRef {
  if (
    !(storage instanceof StorageRef) || !Number.isSafeInteger(offset) || !isIntegerList(shape) ||
    !isIntegerList(stride) || shape.length !== stride.length || shape.length > MAX_DIMENSIONS
  ) {
    throw new Error("torch._utils._rebuild_tensor_v2 with unexpected arguments");
  }
  return new TensorRef(storage, offset as number, shape, stride);
}

function isIntegerList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(Number.isSafeInteger);
}

/**
 * What a pickled value is, in a few words, without recursing into it (a hostile pickle can nest a list
 * 100 000 deep, and `String(value)` would overflow the stack).
 */
function describe(value: unknown): string {
  if (typeof value === "string") return fileName(value);
  if (Array.isArray(value)) return `a tuple/list of ${value.length}`;
  if (value instanceof Map) return `a dict of ${value.size}`;
  if (value instanceof TensorRef) return "a tensor";
  if (value instanceof StorageRef) return "a storage";
  if (value === null) return "None";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** A persistent id `('storage', storage_type, key, location, numel[, view_metadata])` → a {@link StorageRef}. */
function storageFromPid(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== "storage") throw new Error(`unknown persistent id ${describe(pid)}`);
  const [, type, key, , numel, view] = pid;
  const typeName = (type as { name?: unknown })?.name;
  const dtype = typeof typeName === "string" && Object.hasOwn(STORAGE_DTYPES, typeName)
    ? STORAGE_DTYPES[typeName]
    : undefined;
  if (!dtype || typeof key !== "string" || !Number.isSafeInteger(numel) || numel < 0) {
    throw new Error(
      `unsupported storage (type ${describe(type)}, key ${describe(key)}, numel ${describe(numel)})`,
    );
  }
  if (view != null) throw new Error("storage views (legacy view_metadata) are not supported");
  return new StorageRef(key, dtype, numel);
}

/**
 * Reads a PyTorch checkpoint (zip or legacy format) into a state dict in PyTorch layout, every float tensor
 * converted to float32. `source` names the file in errors.
 *
 * @example
 * ```ts
 * const stateDict = await parsePytorchCheckpoint(await Deno.readFile("pytorch_model.bin"));
 * ```
 */
export async function parsePytorchCheckpoint(
  bytes: Uint8Array,
  source = "pytorch_model.bin",
): Promise<StateDict> {
  const options = {
    globals: TORCH_GLOBALS,
    persistentLoad: storageFromPid,
    source,
  };
  if (!isZip(bytes)) return legacyCheckpoint(bytes, options);

  const entries = readZipDirectory(bytes, source);
  const pickleEntry = [...entries.values()].find((entry) => /^[^/]+\/data\.pkl$/.test(entry.name));
  if (!pickleEntry) {
    throw new ModelFileError(source, "a zip file without <name>/data.pkl is not a PyTorch checkpoint");
  }
  if (pickleEntry.size > MAX_PICKLE_BYTES) {
    // Refused before inflating: only the bytes up to STOP matter, and a state dict's pickle is small.
    throw new ModelFileError(
      source,
      `${pickleEntry.name} declares ${pickleEntry.size} bytes, over the ${MAX_PICKLE_BYTES} a state dict's ` +
        `pickle may take (about 110 bytes per tensor: ~22 KB for BERT-base)`,
    );
  }
  const prefix = pickleEntry.name.slice(0, -"data.pkl".length);
  const byteOrder = entries.get(`${prefix}byteorder`);
  if (
    byteOrder && new TextDecoder().decode(await zipEntryData(bytes, byteOrder, source)).trim() !== "little"
  ) {
    throw new ModelFileError(source, "big-endian checkpoints are not supported");
  }
  const root = unpickleAt(await zipEntryData(bytes, pickleEntry, source), 0, options).value;
  return await materialize(root, source, async (storage) => {
    const entry = entries.get(`${prefix}data/${storage.key}`);
    if (!entry) {
      throw new ModelFileError(source, `storage ${fileName(storage.key)} is missing from the archive`);
    }
    // Compared before inflating: the entry's declared size must be what the pickle says the storage holds.
    checkStorageSize(storage, entry.size, source);
    return await zipEntryData(bytes, entry, source);
  });
}

/** Refuses a storage whose element count does not match the bytes the file holds for it. */
function checkStorageSize(storage: StorageRef, byteLength: number, source: string): void {
  const elementSize = dtypeBytes(storage.dtype)!;
  if (storage.numel * elementSize !== byteLength) {
    throw new ModelFileError(
      source,
      `storage ${fileName(storage.key)} declares ${storage.numel} elements of ${storage.dtype} ` +
        `(${storage.numel * elementSize} bytes), the file holds ${byteLength} for it`,
    );
  }
}

/**
 * Reads `pytorch_model.bin` (or any `torch.save`d state dict).
 *
 * @example
 * ```ts
 * const stateDict = await readPytorchCheckpoint("data/fixtures/model/tiny-bert/pytorch_model.bin");
 * ```
 */
export async function readPytorchCheckpoint(path: string): Promise<StateDict> {
  return await parsePytorchCheckpoint(await readFileBounded(path, { kind: "weights file" }), path);
}

/** Legacy layout: magic number, protocol version, system info, the state dict, the storage keys, then storages. */
function legacyCheckpoint(
  bytes: Uint8Array,
  options: UnpickleOptions & { source: string },
): Promise<StateDict> {
  const { source } = options;
  const magic = unpickleAt(bytes, 0, { globals: {}, source });
  if (magic.value !== 0x1950a86a20f9469cfc6cn) {
    throw new ModelFileError(source, "neither a zip archive nor a legacy torch.save file (bad magic number)");
  }
  const protocol = unpickleAt(bytes, magic.end, { globals: {}, source });
  const systemInfo = unpickleAt(bytes, protocol.end, { globals: {}, source });
  const littleEndian = systemInfo.value instanceof Map ? systemInfo.value.get("little_endian") : undefined;
  if (protocol.value !== 1001 || littleEndian === false) {
    throw new ModelFileError(
      source,
      `unsupported legacy format (protocol ${describe(protocol.value)}, little_endian ${
        describe(littleEndian)
      })`,
    );
  }
  const root = unpickleAt(bytes, systemInfo.end, options);
  const keys = unpickleAt(bytes, root.end, { globals: {}, source });
  if (!Array.isArray(keys.value)) throw new ModelFileError(source, "legacy storage key list missing");
  // Each storage: its element count (int64), then its bytes, in the order of the key list.
  const storageBytes = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = keys.end;
  const storages = new Map<string, StorageRef>();
  collectStorages(root.value, storages);
  for (const key of keys.value) {
    const storage = typeof key === "string" ? storages.get(key) : undefined;
    if (!storage) throw new ModelFileError(source, `legacy storage ${describe(key)} is not in the pickle`);
    if (offset + 8 > bytes.length) {
      throw new ModelFileError(source, `legacy storage ${fileName(key)}: file truncated`);
    }
    const numel = Number(view.getBigInt64(offset, true));
    if (numel !== storage.numel) {
      throw new ModelFileError(
        source,
        `legacy storage ${fileName(key)} holds ${numel} elements, the pickle says ${storage.numel}`,
      );
    }
    const byteLength = numel * dtypeBytes(storage.dtype)!;
    checkStorageSize(storage, Math.min(byteLength, bytes.length - offset - 8), source);
    storageBytes.set(key, bytes.subarray(offset + 8, offset + 8 + byteLength));
    offset += 8 + byteLength;
  }
  return materialize(root.value, source, (storage) => {
    const data = storageBytes.get(storage.key);
    if (!data) {
      throw new ModelFileError(
        source,
        `legacy storage ${fileName(storage.key)} is missing from the key list`,
      );
    }
    return Promise.resolve(data);
  });
}

function collectStorages(value: unknown, into: Map<string, StorageRef>): void {
  if (!(value instanceof Map)) return;
  for (const tensor of value.values()) {
    if (tensor instanceof TensorRef) into.set(tensor.storage.key, tensor.storage);
  }
}

/** The pickled dict of tensors → a StateDict, decoding each storage once and honouring strides and offsets. */
async function materialize(
  root: unknown,
  source: string,
  storageData: (storage: StorageRef) => Promise<Uint8Array>,
): Promise<StateDict> {
  if (!(root instanceof Map)) {
    throw new ModelFileError(source, "the pickle holds no dict of tensors (not a state dict)");
  }
  const decoded = new Map<string, Float32Array>();
  // Tensors may share a storage (tied weights), but a small file must not view the same bytes thousands
  // of times: all views together may hold at most MAX_VIEW_FACTOR × the storages' elements.
  let viewed = 0;
  let stored = 0;
  const stateDict: StateDict = new Map();
  for (const [name, tensor] of root) {
    if (typeof name !== "string" || !(tensor instanceof TensorRef)) {
      throw new ModelFileError(
        source,
        `entry ${describe(name)} holds ${describe(tensor)}, which is not a tensor (not a plain state dict)`,
      );
    }
    const { storage } = tensor;
    // Checked before the storage is read: the view must fit in it.
    checkView(tensor, source, fileName(name));
    let values = decoded.get(storage.key);
    if (!values) {
      values = toFloat32(
        await storageData(storage),
        storage.dtype,
        storage.numel,
        `${source}: storage ${fileName(storage.key)}`,
      );
      decoded.set(storage.key, values);
      stored += storage.numel;
    } else if (values.length !== storage.numel) {
      throw new ModelFileError(
        source,
        `storage ${fileName(storage.key)} is named with ${values.length} and with ${storage.numel} elements`,
      );
    }
    viewed += tensor.shape.reduce((a, b) => a * b, 1);
    if (viewed > MAX_VIEW_FACTOR * stored + MAX_VIEW_SLACK) {
      throw new ModelFileError(
        source,
        `its tensors view ${viewed} elements of storages that hold ${stored}: the same bytes viewed over and over`,
      );
    }
    const data = gatherStrided(values, tensor);
    if (FLOAT_DTYPES.has(storage.dtype)) assertFinite(data, source, fileName(name));
    stateDict.set(name, { shape: tensor.shape, data, storedAs: storage.dtype });
  }
  return stateDict;
}

const FLOAT_DTYPES = new Set(["F64", "F32", "F16", "BF16"]);
/** How many times over, at most, the tensors of a checkpoint may view its storages' elements. */
const MAX_VIEW_FACTOR = 4;
/** Elements any checkpoint may view regardless (small storages viewed by several small tensors). */
const MAX_VIEW_SLACK = 1 << 16;

/**
 * Refuses a view that reads outside its storage: a negative offset, size or stride, more elements than the
 * storage holds (a stride-0 broadcast, refused before anything that size is allocated), or a last element
 * past the storage's end.
 */
function checkView(tensor: TensorRef, source: string, name: string): void {
  const { shape, stride, offset, storage } = tensor;
  const fail = (problem: string): never => {
    throw new ModelFileError(
      source,
      `${name}: ${problem} (storage ${fileName(storage.key)} of ${storage.numel} elements)`,
    );
  };
  if (offset < 0) fail(`negative storage offset ${offset}`);
  const negativeSize = shape.find((size) => size < 0);
  if (negativeSize !== undefined) fail(`negative size ${negativeSize} in shape [${shape}]`);
  const negativeStride = stride.find((step) => step < 0);
  if (negativeStride !== undefined) fail(`negative stride ${negativeStride} in strides [${stride}]`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count === 0) return;
  if (count > storage.numel) {
    fail(`a view of ${count} elements (shape [${shape}], strides [${stride}]) is larger than its storage`);
  }
  const last = offset + shape.reduce((sum, size, axis) => sum + (size - 1) * stride[axis], 0);
  if (last >= storage.numel) fail(`the view (offset ${offset}, strides [${stride}]) exceeds its storage`);
}

/** The elements of a strided view (checked by {@link checkView}), in row-major order of its shape. */
function gatherStrided(storage: Float32Array, tensor: TensorRef): Float32Array {
  const { shape, stride, offset } = tensor;
  const count = shape.reduce((a, b) => a * b, 1);
  const contiguous = shape.every((_, axis) =>
    stride[axis] === shape.slice(axis + 1).reduce((a, b) => a * b, 1)
  );
  if (contiguous) {
    return offset === 0 && count === storage.length ? storage : storage.slice(offset, offset + count);
  }
  const out = new Float32Array(count);
  const index = new Array(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let position = offset;
    for (let axis = 0; axis < shape.length; axis++) position += index[axis] * stride[axis];
    out[i] = storage[position];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}
