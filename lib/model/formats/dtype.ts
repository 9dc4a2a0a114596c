/**
 * Raw little-endian tensor bytes of any stored dtype → float32, shared by the safetensors and PyTorch readers.
 *
 * @module
 */
import { ModelFileError } from "../errors.ts";

/** Whether typed arrays on this machine are little-endian (as every file format here is). */
export const HOST_IS_LITTLE_ENDIAN: boolean = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Bytes per element of each dtype, in safetensors spelling. */
export const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/**
 * Bytes per element of `dtype` (safetensors spelling), or undefined for an unknown one (a name from a file is
 * never looked up on the object's prototype).
 *
 * @example
 * ```ts
 * dtypeBytes("BF16"); // 2
 * dtypeBytes("toString"); // undefined
 * ```
 */
export function dtypeBytes(dtype: unknown): number | undefined {
  return typeof dtype === "string" && Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
}

/**
 * Refuses a tensor holding NaN or ±Infinity: weights like these only make every logit NaN later, far from
 * the file at fault. Throws a {@link ModelFileError} naming `file`, the tensor and the first such element.
 *
 * @example
 * ```ts
 * assertFinite(Float32Array.of(1, NaN), "model.safetensors", "w"); // throws "model.safetensors: tensor w holds NaN at element 1"
 * ```
 */
export function assertFinite(values: Float32Array, file: string, tensor: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ModelFileError(
        file,
        `tensor ${tensor} holds ${values[i]} at element ${i} (refusing non-finite weights)`,
      );
    }
  }
}

/**
 * Decodes `count` elements of `dtype` from `bytes` (little-endian) as float32. `where` names the tensor in errors.
 *
 * @example
 * ```ts
 * toFloat32(new Uint8Array([0x00, 0x3c]), "F16", 1, "x"); // Float32Array [1]
 * ```
 */
export function toFloat32(bytes: Uint8Array, dtype: string, count: number, where: string): Float32Array {
  const size = dtypeBytes(dtype);
  if (size === undefined) throw new Error(`${where}: unsupported dtype ${dtype}`);
  if (bytes.length < count * size) {
    throw new Error(`${where}: ${bytes.length} bytes hold fewer than ${count} ${dtype} values`);
  }
  if (dtype === "F32" && HOST_IS_LITTLE_ENDIAN) {
    // Fast path (most checkpoints): one copy, into a fresh aligned buffer.
    return new Float32Array(bytes.slice(0, count * 4).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const out = new Float32Array(count);
  switch (dtype) {
    case "F32":
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case "BF16": {
      // bfloat16 is the upper half of a float32.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = word.getFloat32(0);
      }
      break;
    }
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case "I64":
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case "I32":
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case "I16":
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case "I8":
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    default: // U8, BOOL
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
  }
  return out;
}

/** IEEE 754 half (as its 16 bits) → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (or zero)
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
