/**
 * Mutated checkpoints for the loader fuzz test: the committed tiny model's weight files (safetensors, the
 * zip and legacy forms of pytorch_model.bin, a deflated zip) with bit flips, overwritten integers,
 * truncations and spliced headers. Case `i` of seed `s` is always the same bytes, so a failure names a case
 * that can be replayed alone.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ModelFileError } from "../../lib/model/errors.ts";
import { parsePytorchCheckpoint } from "../../lib/model/formats/pytorch.ts";
import { parseSafetensors } from "../../lib/model/formats/safetensors.ts";
import { SeededRandom } from "../../lib/util/random.ts";

const FIXTURES = fileURLToPath(new URL("../../data/fixtures/model/", import.meta.url));

/** The files mutated, and the parser each is read with. */
export const BASES: readonly { path: string; format: "safetensors" | "pytorch" }[] = [
  { path: "tiny-bert/model.safetensors", format: "safetensors" },
  { path: "variants/fp16/model.safetensors", format: "safetensors" },
  { path: "tiny-bert/pytorch_model.bin", format: "pytorch" },
  { path: "variants/legacy/pytorch_model.bin", format: "pytorch" },
  { path: "variants/deflated/pytorch_model.bin", format: "pytorch" },
];

/** Loads the base files' bytes. */
export async function loadBases(): Promise<Uint8Array[]> {
  return await Promise.all(BASES.map(({ path }) => Deno.readFile(`${FIXTURES}${path}`)));
}

/** Values that make lengths, counts and offsets hostile when written over an integer field. */
const HOSTILE_INT32 = [-1, -5, 0, 1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 300_000, 1 << 30];

/** A position biased towards the structure (headers, pickles, directories) at the start and the end. */
function position(rng: SeededRandom, length: number): number {
  const region = rng.nextInt(4);
  if (region === 0) return rng.nextInt(Math.min(length, 4096));
  if (region === 1) return length - 1 - rng.nextInt(Math.min(length, 4096));
  return rng.nextInt(length);
}

/** Case `index` of `seed`: which base, what was done to it, and the resulting bytes. */
export function fuzzCase(
  bases: Uint8Array[],
  seed: number,
  index: number,
): { base: number; mutation: string; bytes: Uint8Array } {
  const rng = new SeededRandom((seed * 1_000_003 + index) >>> 0);
  const base = rng.nextInt(bases.length);
  const original = bases[base];
  let bytes = original.slice();
  const kind = rng.nextInt(5);
  let mutation: string;
  if (kind === 0) {
    const flips = 1 + rng.nextInt(8);
    for (let i = 0; i < flips; i++) bytes[position(rng, bytes.length)] ^= 1 << rng.nextInt(8);
    mutation = `${flips} bit flips`;
  } else if (kind === 1) {
    const at = Math.min(position(rng, bytes.length), bytes.length - 4);
    const value = HOSTILE_INT32[rng.nextInt(HOSTILE_INT32.length)];
    new DataView(bytes.buffer).setInt32(at, value, true);
    mutation = `int32 ${value} at ${at}`;
  } else if (kind === 2) {
    const length = rng.nextInt(bytes.length);
    bytes = bytes.slice(0, length);
    mutation = `truncated to ${length}`;
  } else if (kind === 3) {
    // Another file's head spliced onto this file's tail (headers that describe other data).
    const donor = bases[rng.nextInt(bases.length)];
    const cut = rng.nextInt(Math.min(donor.length, 8192));
    const rest = position(rng, original.length);
    bytes = new Uint8Array(cut + original.length - rest);
    bytes.set(donor.subarray(0, cut));
    bytes.set(original.subarray(rest), cut);
    mutation = `head ${cut} of base ${bases.indexOf(donor)} + tail from ${rest}`;
  } else {
    // A run of the file copied over another place (duplicated records, shifted offsets).
    const from = position(rng, bytes.length), to = position(rng, bytes.length);
    const length = 1 + rng.nextInt(256);
    bytes.set(
      original.subarray(from, Math.min(from + length, original.length, from + bytes.length - to)),
      to,
    );
    mutation = `copied ${length} bytes from ${from} to ${to}`;
  }
  return { base, mutation, bytes };
}

/** What reading one case gave: loaded (with its tensor count) or refused (with the problem's shape). */
export type FuzzOutcome =
  | { kind: "loaded"; tensors: number }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; error: string };

/**
 * Reads `bytes` with the base's parser. Loaded tensors must be well-formed and finite; a refusal must be a
 * ModelFileError. Anything else is a failure of the loader.
 */
export async function readCase(bytes: Uint8Array, base: number): Promise<FuzzOutcome> {
  const source = `fuzz/${BASES[base].path}`;
  try {
    const stateDict = BASES[base].format === "safetensors"
      ? parseSafetensors(bytes, source)
      : await parsePytorchCheckpoint(bytes, source);
    for (const [name, { shape, data }] of stateDict) {
      if (!(data instanceof Float32Array) || data.length !== shape.reduce((a, b) => a * b, 1)) {
        return { kind: "failed", error: `${name}: data does not match shape [${shape}]` };
      }
      const bad = data.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) return { kind: "failed", error: `${name}: loaded ${data[bad]} at ${bad}` };
    }
    return { kind: "loaded", tensors: stateDict.size };
  } catch (error) {
    if (!(error instanceof ModelFileError)) {
      return { kind: "failed", error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) };
    }
    if (error.message.includes("\n")) return { kind: "failed", error: `multi-line: ${error.message}` };
    return { kind: "refused", reason: reasonOf(error) };
  }
}

/** The problem without its numbers and names: "integer of N bytes", "negative length N", … */
function reasonOf(error: ModelFileError): string {
  return error.problem
    .replace(/\(at byte \d+\)/, "")
    .replace(/"(?:[^"\\]|\\.)*"|\[[^\]]*\]/g, "…")
    .replace(/(global|opcode|dtype) \S+/g, "$1 …")
    .replace(/(entry|storage|tensor|entries) \S+( and \S+)?/g, "$1 …")
    .replace(/^[\w.]+: /, "")
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, "N")
    .split(/[:(]/)[0]
    .trim()
    .slice(0, 70);
}
