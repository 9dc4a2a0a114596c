/**
 * Reads `pytorch_model.bin` state dicts without Python and without running the pickle's code:
 * the zip format of `torch.save` (torch ≥ 1.6: `<name>/data.pkl` + one `<name>/data/<key>` entry per storage)
 * and the legacy format before it (pickles back to back, then the storages' raw bytes). The pickle may only
 * rebuild tensors, storages and (ordered) dicts; any other global is refused ({@link UnsafePickleError}).
 *
 * @module
 */
import { DTYPE_BYTES, toFloat32 } from "./dtype.ts";
import { type AllowedGlobal, unpickleAt, type UnpickleOptions, UnsafePickleError } from "./pickle.ts";
import type { StateDict } from "./types.ts";
import { isZip, readZipDirectory, zipEntryData } from "./zip.ts";

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

function rebuildTensor([storage, offset, shape, stride]: unknown[]): TensorRef {
  if (
    !(storage instanceof StorageRef) || typeof offset !== "number" || !isIntegerList(shape) ||
    !isIntegerList(stride)
  ) {
    throw new Error("torch._utils._rebuild_tensor_v2 with unexpected arguments");
  }
  return new TensorRef(storage, offset, shape, stride);
}

function isIntegerList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(Number.isInteger);
}

/** A persistent id `('storage', storage_type, key, location, numel[, view_metadata])` → a {@link StorageRef}. */
function storageFromPid(pid: unknown, source: string): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== "storage") throw new Error(`${source}: unknown persistent id ${pid}`);
  const [, type, key, , numel, view] = pid;
  const dtype = STORAGE_DTYPES[(type as { name?: string })?.name ?? ""];
  if (!dtype || typeof key !== "string" || typeof numel !== "number") {
    throw new Error(`${source}: unsupported storage ${JSON.stringify(pid.slice(2))}`);
  }
  if (view != null) throw new Error(`${source}: storage views (legacy view_metadata) are not supported`);
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
    persistentLoad: (pid: unknown) => storageFromPid(pid, source),
    source,
  };
  if (!isZip(bytes)) return legacyCheckpoint(bytes, options);

  const entries = readZipDirectory(bytes, source);
  const pickleEntry = [...entries.values()].find((entry) => /^[^/]+\/data\.pkl$/.test(entry.name));
  if (!pickleEntry) {
    throw new Error(`${source}: a zip file without <name>/data.pkl is not a PyTorch checkpoint`);
  }
  const prefix = pickleEntry.name.slice(0, -"data.pkl".length);
  const byteOrder = entries.get(`${prefix}byteorder`);
  if (byteOrder && new TextDecoder().decode(await zipEntryData(bytes, byteOrder)).trim() !== "little") {
    throw new Error(`${source}: big-endian checkpoints are not supported`);
  }
  const root = unpickleAt(await zipEntryData(bytes, pickleEntry), 0, options).value;
  return await materialize(root, source, async (storage) => {
    const entry = entries.get(`${prefix}data/${storage.key}`);
    if (!entry) throw new Error(`${source}: storage ${storage.key} is missing from the archive`);
    return await zipEntryData(bytes, entry);
  });
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
  return await parsePytorchCheckpoint(await Deno.readFile(path), path);
}

/** Legacy layout: magic number, protocol version, system info, the state dict, the storage keys, then storages. */
function legacyCheckpoint(
  bytes: Uint8Array,
  options: UnpickleOptions & { source: string },
): Promise<StateDict> {
  const { source } = options;
  const magic = unpickleAt(bytes, 0, { globals: {}, source });
  if (magic.value !== 0x1950a86a20f9469cfc6cn) {
    throw new Error(`${source}: neither a zip archive nor a legacy torch.save file (bad magic number)`);
  }
  const protocol = unpickleAt(bytes, magic.end, { globals: {}, source });
  const systemInfo = unpickleAt(bytes, protocol.end, { globals: {}, source });
  const littleEndian = (systemInfo.value as Map<string, unknown>).get?.("little_endian");
  if (protocol.value !== 1001 || littleEndian === false) {
    throw new Error(
      `${source}: unsupported legacy format (protocol ${protocol.value}, little_endian ${littleEndian})`,
    );
  }
  const root = unpickleAt(bytes, systemInfo.end, options);
  const keys = unpickleAt(bytes, root.end, { globals: {}, source });
  if (!Array.isArray(keys.value)) throw new Error(`${source}: legacy storage key list missing`);
  // Each storage: its element count (int64), then its bytes, in the order of the key list.
  const storageBytes = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = keys.end;
  const storages = new Map<string, StorageRef>();
  collectStorages(root.value, storages);
  for (const key of keys.value as string[]) {
    const storage = storages.get(key);
    const numel = Number(view.getBigInt64(offset, true));
    const elementSize = storage ? DTYPE_BYTES[storage.dtype] : 0;
    if (!storage || numel !== storage.numel) {
      throw new Error(`${source}: legacy storage ${key} does not match the pickle`);
    }
    storageBytes.set(key, bytes.subarray(offset + 8, offset + 8 + numel * elementSize));
    offset += 8 + numel * elementSize;
  }
  return materialize(root.value, source, (storage) => Promise.resolve(storageBytes.get(storage.key)!));
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
    throw new Error(`${source}: the pickle holds no dict of tensors (not a state dict)`);
  }
  const decoded = new Map<string, Float32Array>();
  const stateDict: StateDict = new Map();
  for (const [name, tensor] of root) {
    if (typeof name !== "string" || !(tensor instanceof TensorRef)) {
      throw new Error(`${source}: entry ${String(name)} is not a tensor (not a plain state dict)`);
    }
    const { storage } = tensor;
    let values = decoded.get(storage.key);
    if (!values) {
      values = toFloat32(
        await storageData(storage),
        storage.dtype,
        storage.numel,
        `${source}: storage ${storage.key}`,
      );
      decoded.set(storage.key, values);
    }
    stateDict.set(name, {
      shape: tensor.shape,
      data: gatherStrided(values, tensor, `${source}: ${name}`),
      storedAs: storage.dtype,
    });
  }
  return stateDict;
}

/** The elements of a strided view, in row-major order of its shape. */
function gatherStrided(storage: Float32Array, tensor: TensorRef, where: string): Float32Array {
  const { shape, stride, offset } = tensor;
  const count = shape.reduce((a, b) => a * b, 1);
  const last = offset + shape.reduce((sum, size, axis) => sum + (size - 1) * stride[axis], 0);
  if (count > 0 && (offset < 0 || last >= storage.length)) {
    throw new Error(`${where}: view exceeds its storage`);
  }
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
