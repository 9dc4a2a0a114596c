/**
 * Copies of the tiny fixture model (random weights) in temporary folders, exported or not, and a model of the
 * same shapes with other weights — what `cp -p` could put in place of the first one's.
 *
 * @module
 */
import { join } from "node:path";
import { readSafetensors, serializeSafetensors } from "../../lib/model/formats/safetensors.ts";
import { exportOnnx } from "../../lib/model/bert/onnx_export.ts";

export const FIXTURE = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;
export const NER_CLI = new URL("../../lib/cli/ner.ts", import.meta.url).pathname;
export const EXPORT_CLI = new URL("../../lib/cli/export_onnx.ts", import.meta.url).pathname;
export const SENTENCE = "Naloxone reverses the antihypertensive effect of clonidine in rats.";

/**
 * A temporary copy of the fixture model, exported unless `exported: false`; removed on dispose. With
 * `labels`, its head is replaced by one of that many labels (config.json's label maps, and a classifier of
 * fixed pseudo-random weights large enough that the random encoder's tokens take many different labels).
 */
export async function fixtureModel(
  options: { exported?: boolean; labels?: readonly string[] } = {},
): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const root = await Deno.makeTempDir();
  const dir = join(root, "tiny-bert");
  await Deno.mkdir(dir);
  for (const name of ["config.json", "model.safetensors", "vocab.txt"]) {
    await Deno.copyFile(join(FIXTURE, name), join(dir, name));
  }
  if (options.labels) await replaceHead(dir, options.labels);
  if (options.exported ?? true) await exportOnnx(dir);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

/** Gives the model folder a classifier head over `labels` (see {@link fixtureModel}). */
async function replaceHead(dir: string, labels: readonly string[]): Promise<void> {
  const configPath = join(dir, "config.json");
  const config = JSON.parse(await Deno.readTextFile(configPath));
  config.id2label = Object.fromEntries(labels.map((label, i) => [String(i), label]));
  config.label2id = Object.fromEntries(labels.map((label, i) => [label, i]));
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  const weightsPath = join(dir, "model.safetensors");
  const stateDict = await readSafetensors(weightsPath);
  const hidden = stateDict.get("classifier.weight")!.shape[1];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 8;
  const weight = Float32Array.from({ length: labels.length * hidden }, next);
  stateDict.set("classifier.weight", { shape: [labels.length, hidden], data: weight, storedAs: "F32" });
  stateDict.set("classifier.bias", {
    shape: [labels.length],
    data: new Float32Array(labels.length),
    storedAs: "F32",
  });
  await Deno.writeFile(weightsPath, serializeSafetensors(stateDict));
}

/**
 * A safetensors file of the fixture's shapes with other weights (each value scaled by `factor`), with the
 * writer's digest in its metadata or (`withDigest: false`) without, as a hub download has none.
 */
export async function otherWeights(path: string, options: { factor?: number; withDigest?: boolean } = {}) {
  const stateDict = await readSafetensors(join(FIXTURE, "model.safetensors"));
  for (const tensor of stateDict.values()) {
    tensor.data.forEach((v, i) => (tensor.data[i] = v * (options.factor ?? 1.5)));
  }
  const bytes = serializeSafetensors(stateDict);
  await Deno.writeFile(path, options.withDigest ?? true ? bytes : withoutMetadata(bytes));
}

/** Safetensors bytes with their `__metadata__` reduced to `{"format": "pt"}` (what a hub file carries). */
export function withoutMetadata(bytes: Uint8Array): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  header.__metadata__ = { format: "pt" };
  const json = new TextEncoder().encode(JSON.stringify(header).padEnd(Math.ceil(length / 8) * 8 + 8, " "));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

/** Runs a CLI; its exit code, stdout and stderr. */
export async function runCli(
  cli: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    env: { NER_RUNTIME: "", NER_BACKEND: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
