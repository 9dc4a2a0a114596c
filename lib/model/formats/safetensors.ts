/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`, then the raw bytes.
 * Reading accepts every float and integer dtype (converted to float32); writing stores float32.
 *
 * @module
 */
import { writeFileAtomic } from "../../util/atomic.ts";
import { readFileBounded } from "../../util/bounded_file.ts";
import { assertFinite, dtypeBytes, HOST_IS_LITTLE_ENDIAN, toFloat32 } from "./dtype.ts";
import { fileName, ModelFileError } from "../errors.ts";
import type { StateDict } from "../types.ts";
import { TENSORS_DIGEST_KEY, tensorsDigest } from "./weights_digest.ts";

interface HeaderEntry {
  data_offsets: [number, number];
}

/**
 * Parses safetensors bytes into a state dict. `source` names the file in errors. Every header claim is checked
 * against the file before anything is decoded: the header length, each tensor's dtype, shape (non-negative
 * integers) and data_offsets (integers inside the data, exactly the shape's bytes); float tensors must be
 * finite. A refusal is a {@link ModelFileError} naming the file and the tensor.
 *
 * @example
 * ```ts
 * const stateDict = parseSafetensors(await Deno.readFile("model.safetensors"));
 * ```
 */
export function parseSafetensors(bytes: Uint8Array, source = "safetensors"): StateDict {
  if (bytes.length < 8) throw new ModelFileError(source, "too short to be a safetensors file");
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (8n + headerLength > BigInt(bytes.length)) {
    throw new ModelFileError(source, `header length ${headerLength} exceeds the file size ${bytes.length}`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw new ModelFileError(source, "the header is not JSON (not a safetensors file?)", { cause: error });
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new ModelFileError(source, "the header is not a JSON object (not a safetensors file?)");
  }
  const data = bytes.subarray(dataStart);
  const stateDict: StateDict = new Map();
  const entries = Object.entries(header).filter(([name]) => name !== "__metadata__")
    .map(([name, value]) => ({ name, value, ...checkHeaderEntry(value, data.length, source, name) }));
  // As the format requires, no two tensors share bytes: else a small file could decode one region into
  // thousands of tensors.
  const byOffset = entries.map(({ name, value }) => ({ name, offsets: (value as HeaderEntry).data_offsets }))
    .sort((a, b) => a.offsets[0] - b.offsets[0]);
  for (let i = 1; i < byOffset.length; i++) {
    const [previous, next] = [byOffset[i - 1], byOffset[i]];
    if (next.offsets[0] < previous.offsets[1]) {
      throw new ModelFileError(
        source,
        `tensors ${fileName(previous.name)} and ${fileName(next.name)} share bytes (data_offsets overlap)`,
      );
    }
  }
  for (const { name, value, dtype, shape, count } of entries) {
    const [begin, end] = (value as HeaderEntry).data_offsets;
    const values = toFloat32(data.subarray(begin, end), dtype, count, `${source}: tensor ${fileName(name)}`);
    if (dtype.startsWith("F") || dtype === "BF16") assertFinite(values, source, fileName(name));
    stateDict.set(name, { shape, data: values, storedAs: dtype });
  }
  return stateDict;
}

/** The dtype, shape and element count of one header entry, once they fit the `dataLength` bytes of data. */
function checkHeaderEntry(
  entry: unknown,
  dataLength: number,
  source: string,
  name: string,
): { dtype: string; shape: number[]; count: number } {
  const fail = (problem: string): never => {
    throw new ModelFileError(source, `tensor ${fileName(name)}: ${problem}`);
  };
  if (typeof entry !== "object" || entry === null) return fail("not a {dtype, shape, data_offsets} object");
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  const size = dtypeBytes(dtype);
  if (size === undefined) return fail(`unsupported dtype ${fileName(String(dtype))}`);
  const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    return fail(`shape ${JSON.stringify(shape)?.slice(0, 80)} is not a list of non-negative integers`);
  }
  // Capped by the data's size while multiplying, so a huge shape cannot overflow into a plausible count.
  let count = 1;
  for (const dimension of shape) {
    count *= dimension;
    if (count * size > dataLength) fail(`shape [${shape}] needs more bytes than the file holds`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`data_offsets ${JSON.stringify(offsets)?.slice(0, 80)} are not two non-negative integers`);
  }
  const [begin, end] = offsets;
  if (end - begin !== count * size || end > dataLength) {
    fail(`data_offsets [${begin}, ${end}] do not fit ${dtype}[${shape}] in the ${dataLength} bytes of data`);
  }
  return { dtype: dtype as string, shape, count };
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
