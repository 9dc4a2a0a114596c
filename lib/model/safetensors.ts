/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`, then the raw bytes.
 * Reading accepts every float and integer dtype (converted to float32); writing stores float32.
 *
 * @module
 */
import { writeFileAtomic } from "../util/atomic.ts";
import { DTYPE_BYTES, HOST_IS_LITTLE_ENDIAN, toFloat32 } from "./dtype.ts";
import type { StateDict } from "./types.ts";

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Parses safetensors bytes into a state dict. `source` names the file in errors.
 *
 * @example
 * ```ts
 * const stateDict = parseSafetensors(await Deno.readFile("model.safetensors"));
 * ```
 */
export function parseSafetensors(bytes: Uint8Array, source = "safetensors"): StateDict {
  if (bytes.length < 8) throw new Error(`${source}: too short to be a safetensors file`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.length) {
    throw new Error(`${source}: header length ${headerLength} exceeds the file size ${bytes.length}`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new Error(`${source}: the header is not JSON (not a safetensors file?)`, { cause: error });
  }
  const data = bytes.subarray(8 + headerLength);
  const stateDict: StateDict = new Map();
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: [begin, end] } = value as HeaderEntry;
    const where = `${source}: tensor ${name}`;
    const count = shape.reduce((a, b) => a * b, 1);
    if (DTYPE_BYTES[dtype] === undefined) throw new Error(`${where}: unsupported dtype ${dtype}`);
    if (end - begin !== count * DTYPE_BYTES[dtype] || end > data.length || begin < 0) {
      throw new Error(`${where}: data_offsets [${begin}, ${end}] do not fit ${dtype}[${shape}] in the file`);
    }
    stateDict.set(name, {
      shape,
      data: toFloat32(data.subarray(begin, end), dtype, count, where),
      storedAs: dtype,
    });
  }
  return stateDict;
}

/**
 * Reads a `model.safetensors` file.
 *
 * @example
 * ```ts
 * const stateDict = await readSafetensors("data/fixtures/model/tiny-bert/model.safetensors");
 * ```
 */
export async function readSafetensors(path: string): Promise<StateDict> {
  return parseSafetensors(await Deno.readFile(path), path);
}

/**
 * Serialises a state dict as float32 safetensors, tensors in map order. The metadata `{"format": "pt"}` is
 * what transformers requires to load the file.
 *
 * @example
 * ```ts
 * const bytes = serializeSafetensors(new Map([["w", { shape: [2], data: new Float32Array([1, 2]), storedAs: "F32" }]]));
 * ```
 */
export function serializeSafetensors(
  stateDict: StateDict,
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, tensor] of stateDict) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) {
      throw new Error(
        `tensor ${name}: shape [${tensor.shape}] holds ${count} values, data has ${tensor.data.length}`,
      );
    }
    header[name] = { dtype: "F32", shape: tensor.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  header.__metadata__ = metadata;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20); // space-padded: data 8-aligned
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const { data } of stateDict.values()) {
    if (HOST_IS_LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    } else data.forEach((value, i) => view.setFloat32(position + 4 * i, value, true));
    position += data.byteLength;
  }
  return out;
}

/**
 * Writes a state dict to `path` as float32 safetensors, atomically.
 *
 * @example
 * ```ts
 * await writeSafetensors("outputs/run/model.safetensors", await stateDictFromModel(model));
 * ```
 */
export async function writeSafetensors(path: string, stateDict: StateDict): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(stateDict));
}
