/**
 * A small PNG decoder (8-bit greyscale, RGB, grey+alpha and RGBA, non-interlaced — what browsers write) and
 * pixel statistics, to check rendered figures are not blank.
 *
 * @module
 */
import { inflateSync } from "node:zlib";

/** Decoded pixels, row-major, `channels` bytes per pixel. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Paeth predictor of the PNG spec. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG; throws on anything it does not support, naming it.
 *
 * @example
 * ```ts
 * const { width, height } = decodePng(await Deno.readFile("outputs/run/figures/prf.png"));
 * ```
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error("not a PNG file (bad signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const [bitDepth, colorType, , , interlace] = data.subarray(8, 13);
      if (bitDepth !== 8 || !(colorType in CHANNELS) || interlace !== 0) {
        throw new Error(
          `unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`,
        );
      }
      channels = CHANNELS[colorType];
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  if (channels === 0) throw new Error("PNG without IHDR chunk");
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
  const raw = inflateSync(joined);
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) {
    throw new Error(`PNG data has ${raw.length} bytes, expected ${height * (stride + 1)}`);
  }
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[out + x - channels] : 0;
      const up = y > 0 ? pixels[out - stride + x] : 0;
      const upLeft = x >= channels && y > 0 ? pixels[out - stride + x - channels] : 0;
      let value = line[x];
      if (filter === 1) value += left;
      else if (filter === 2) value += up;
      else if (filter === 3) value += (left + up) >> 1;
      else if (filter === 4) value += paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`bad PNG filter type ${filter} in row ${y}`);
      pixels[out + x] = value & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Brightness statistics of a decoded image. */
export interface PixelStats {
  /** Mean of the per-pixel grey level (0–255, alpha ignored). */
  mean: number;
  /** Variance of the grey level: 0 for a blank image. */
  variance: number;
  /** Number of distinct colours (capped at 4096). */
  colors: number;
}

/**
 * Grey-level mean and variance and the number of distinct colours of an image.
 *
 * @example
 * ```ts
 * declare const bytes: any; // the example's inputs
 * const { variance } = pixelStats(decodePng(bytes)); // > 0 when something is drawn
 * ```
 */
export function pixelStats(image: DecodedPng): PixelStats {
  const { pixels, channels } = image;
  const colourChannels = channels >= 3 ? 3 : 1;
  let sum = 0, sumSquares = 0;
  const colors = new Set<number>();
  const n = pixels.length / channels;
  for (let i = 0; i < pixels.length; i += channels) {
    const grey = colourChannels === 3 ? (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3 : pixels[i];
    sum += grey;
    sumSquares += grey * grey;
    if (colors.size < 4096) {
      colors.add(colourChannels === 3 ? (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2] : pixels[i]);
    }
  }
  const mean = sum / n;
  return { mean, variance: sumSquares / n - mean * mean, colors: colors.size };
}
