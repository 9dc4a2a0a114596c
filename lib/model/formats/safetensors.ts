/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`, then the raw bytes.
 * Reading accepts every float and integer dtype (converted to float32); writing stores float32.
 *
 * @module
 */
import { writeFileAtomic } from "../../util/atomic.ts";
import { readFileBounded } from "../../util/bounded_file.ts";
import { HOST_IS_LITTLE_ENDIAN } from "./dtype.ts";
import { parseSafetensors } from "./safetensors_bytes.ts";
import type { StateDict } from "../types.ts";
import { TENSORS_DIGEST_KEY, tensorsDigest } from "./weights_digest.ts";

export { parseSafetensors } from "./safetensors_bytes.ts";

/**
 * Reads a `model.safetensors` file.
 *
 * @example
 * ```ts
 * const stateDict = await readSafetensors("data/fixtures/model/tiny-bert/model.safetensors");
 * ```
 */
export async function readSafetensors(path: string): Promise<StateDict> {
  return parseSafetensors(await readFileBounded(path, { kind: "weights file" }), path);
}

/**
 * Serialises a state dict as float32 safetensors, tensors in map order. The metadata `{"format": "pt"}` is
 * what transformers requires to load the file; the digest of the tensors ({@link TENSORS_DIGEST_KEY}) is added
 * to it, so that an ONNX export can be matched to these weights without hashing them again
 * (lib/model/formats/weights_digest.ts).
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
  const entriesJson = JSON.stringify(header);
  const tensorBytes = [...stateDict.values()].map(({ data }) => littleEndianBytes(data));
  header.__metadata__ = { ...metadata, [TENSORS_DIGEST_KEY]: tensorsDigest(entriesJson, tensorBytes) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20); // space-padded: data 8-aligned
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const bytes of tensorBytes) {
    out.set(bytes, position);
    position += bytes.byteLength;
  }
  return out;
}

/** float32 values as the file stores them (little-endian): a view on a little-endian host, else a copy. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  data.forEach((value, i) => view.setFloat32(4 * i, value, true));
  return bytes;
}

/**
 * Writes a state dict to `path` as float32 safetensors, atomically.
 *
 * @example
 * ```ts
 * import { stateDictFromModel } from "../bert/state_dict.ts";
 * declare const model: any; // the example's inputs
 * await writeSafetensors("outputs/run/model.safetensors", await stateDictFromModel(model));
 * ```
 */
export async function writeSafetensors(path: string, stateDict: StateDict): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(stateDict));
}
