/**
 * What weights a file holds, by content: a SHA-256 digest that an ONNX export records (lib/onnx) and runtime
 * "auto" compares (lib/predict/runtime.ts), so an export is only used with the weights it was made from.
 * File times, sizes and inodes prove nothing: `cp -p`, `rsync -a` or an archive put other weights in place
 * with all three plausible.
 *
 * Hashing costs: SHA-256 of a BERT-base file (~440 MB) took 0.9–1.4 s here (docs/onnx.md, "Which runtime"),
 * a start-up cost on every `deno task ner`. So the safetensors writer stores the digest of the tensors it
 * writes in the file's own `__metadata__` ({@link TENSORS_DIGEST_KEY}), and only files that carry none (a hub
 * download, pytorch_model.bin) are hashed, when asked.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** The `__metadata__` key of a safetensors file that holds {@link tensorsDigest} of its tensors. */
export const TENSORS_DIGEST_KEY = "bc5cdr_tensors_sha256";

/**
 * The digest of a safetensors file's tensors: SHA-256 over its header's tensor entries (names, dtypes, shapes,
 * offsets: the JSON of the header without `__metadata__`) and then its data bytes. Not over the whole file,
 * whose header holds the digest itself.
 *
 * @example
 * ```ts
 * tensorsDigest('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [new Uint8Array(4)]); // 64 hex digits
 * ```
 */
export function tensorsDigest(entriesJson: string, data: Iterable<Uint8Array>): string {
  const hash = createHash("sha256").update(entriesJson);
  for (const chunk of data) hash.update(chunk);
  return hash.digest("hex");
}

/** A weights file's digest, and whether it was read from the file's metadata or computed now. */
export interface WeightsDigest {
  sha256: string;
  from: "metadata" | "hashed";
}

/**
 * The digest of weights file `path`: a safetensors file's {@link tensorsDigest} (its metadata's when the
 * writer stored one, else computed), any other file's SHA-256 of all its bytes.
 *
 * @example
 * ```ts
 * const { sha256, from } = await weightsDigest("data/fixtures/model/tiny-bert/model.safetensors");
 * ```
 */
export async function weightsDigest(path: string): Promise<WeightsDigest> {
  using file = await Deno.open(path);
  if (!path.endsWith(".safetensors")) {
    return { sha256: await streamDigest(file, createHash("sha256")), from: "hashed" };
  }
  const lengthBytes = await readExactly(file, 8, path);
  const headerLength = Number(new DataView(lengthBytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(await readExactly(file, headerLength, path)));
  const claimed = header?.__metadata__?.[TENSORS_DIGEST_KEY];
  if (typeof claimed === "string" && /^[0-9a-f]{64}$/.test(claimed)) {
    return { sha256: claimed, from: "metadata" };
  }
  delete header.__metadata__;
  return {
    sha256: await streamDigest(file, createHash("sha256").update(JSON.stringify(header))),
    from: "hashed",
  };
}

/**
 * The SHA-256 of all of a file's bytes (hex).
 *
 * @example
 * ```ts
 * const sha256 = await fileSha256("data/fixtures/model/tiny-bert/config.json"); // 64 hex digits
 * ```
 */
export async function fileSha256(path: string): Promise<string> {
  using file = await Deno.open(path);
  return await streamDigest(file, createHash("sha256"));
}

async function streamDigest(file: Deno.FsFile, hash: ReturnType<typeof createHash>): Promise<string> {
  const buffer = new Uint8Array(1 << 20);
  for (let n; (n = await file.read(buffer)) !== null;) hash.update(buffer.subarray(0, n));
  return hash.digest("hex");
}

async function readExactly(file: Deno.FsFile, length: number, path: string): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let at = 0; at < length;) {
    const n = await file.read(out.subarray(at));
    if (n === null) throw new Error(`${path}: ends inside its safetensors header`);
    at += n;
  }
  return out;
}
