/**
 * Tail averaging: the model a run keeps is the element-wise mean of the models it saved after each of its last
 * epochs (Polyak & Juditsky 1992, "Acceleration of stochastic approximation by averaging", SIAM J. Control
 * Optim. 30(4); Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima and Better Generalization",
 * UAI). The models of neighbouring epochs lie in one basin; their mean sits nearer its centre than any one of
 * them, and it does not depend on where the last batch happened to leave the weights.
 *
 * It works on saved model folders, whatever the model type: every `.safetensors` file is averaged tensor by
 * tensor; every other file (config, vocabulary, corpora.json) must be the same in all of them and is copied.
 *
 * @module
 */
import { join, relative } from "node:path";
import { writeDirAtomic } from "../util/atomic.ts";
import { readSafetensors, writeSafetensors } from "../model/formats/safetensors.ts";
import type { StateDict } from "../model/types.ts";
import type { TrainProfile } from "./profile.ts";
import { epochSnapshot, type RunLayout } from "./run_layout.ts";
import { sameBytes } from "../util/same_bytes.ts";

/**
 * The epochs (1-based) whose models a profile averages into its kept model: the last `averageLastEpochs`, or
 * none (absent or 1: the last epoch's model is kept as it is).
 *
 * @example
 * ```ts
 * averagedEpochs({ epochs: 10, averageLastEpochs: 3 }); // [8, 9, 10]
 * ```
 */
export function averagedEpochs(profile: Pick<TrainProfile, "epochs" | "averageLastEpochs">): number[] {
  const count = profile.averageLastEpochs ?? 1;
  if (count <= 1) return [];
  return Array.from({ length: count }, (_, i) => profile.epochs - count + 1 + i);
}

/**
 * Replaces the run's `best/` with the mean of the models saved after its averaged epochs (those it completed:
 * a run stopped early by its time budget averages what it has). Returns the epochs averaged; none when the
 * profile does not average or fewer than two of its epochs were completed (`best/` is then the last epoch's).
 *
 * @example
 * ```ts
 * import { runLayout } from "./run_layout.ts";
 * const layout = runLayout(await Deno.makeTempDir(), "run");
 * await keepAveragedModel({ profile: { epochs: 10 }, layout, epochsCompleted: 10 }); // []: nothing averaged
 * ```
 */
export async function keepAveragedModel(options: {
  profile: Pick<TrainProfile, "epochs" | "averageLastEpochs">;
  layout: RunLayout;
  epochsCompleted: number;
}): Promise<number[]> {
  const { profile, layout, epochsCompleted } = options;
  const epochs = averagedEpochs(profile).filter((epoch) => epoch <= epochsCompleted);
  if (epochs.length < 2) return [];
  await averageModelFolders({
    folders: epochs.map((epoch) => epochSnapshot(layout, epoch)),
    into: layout.best,
  });
  return epochs;
}

/** What {@link averageModelFolders} averages and where it writes the result. */
export interface AverageOptions {
  /** Model folders saved by the same run (same files, same tensor names and shapes). */
  folders: readonly string[];
  /** The folder the mean model is written to, atomically (an existing one is replaced only once it is whole). */
  into: string;
}

/**
 * Writes the element-wise mean of the models in `folders` to `into`. Folders that differ in their files, a
 * tensor's name or shape, or any non-weights file are refused with one line naming both folders and the file
 * (and tensor); nothing is written then.
 *
 * @example
 * ```ts
 * import { writeSafetensors } from "../model/formats/safetensors.ts";
 * const dir = await Deno.makeTempDir();
 * for (const [epoch, value] of [[1, 1], [2, 3]]) {
 *   await Deno.mkdir(`${dir}/${epoch}`);
 *   const w = { shape: [1], data: Float32Array.of(value), storedAs: "F32" };
 *   await writeSafetensors(`${dir}/${epoch}/model.safetensors`, new Map([["w", w]]));
 * }
 * await averageModelFolders({ folders: [`${dir}/1`, `${dir}/2`], into: `${dir}/mean` }); // w = 2
 * ```
 */
export async function averageModelFolders(options: AverageOptions): Promise<void> {
  const { folders, into } = options;
  if (folders.length === 0) throw new Error(`no model folders to average into ${into}`);
  const [first, ...rest] = folders;
  const files = await filesUnder(first);
  for (const folder of rest) {
    const theirs = await filesUnder(folder);
    const missing = files.find((file) => !theirs.includes(file)) ??
      theirs.find((file) => !files.includes(file));
    if (missing !== undefined) {
      throw new Error(`cannot average ${first} and ${folder}: ${missing} is in only one of them`);
    }
  }
  await writeDirAtomic(into, async (tmp) => {
    for (const file of files) {
      await Deno.mkdir(join(tmp, file, ".."), { recursive: true });
      if (file.endsWith(".safetensors")) {
        const dicts = await Promise.all(folders.map((folder) => readSafetensors(join(folder, file))));
        await writeSafetensors(join(tmp, file), meanStateDict(dicts, folders.map((f) => join(f, file))));
      } else {
        const bytes = await Deno.readFile(join(first, file));
        for (const folder of rest) {
          if (!sameBytes(bytes, await Deno.readFile(join(folder, file)))) {
            throw new Error(`cannot average ${first} and ${folder}: ${file} differs`);
          }
        }
        await Deno.writeFile(join(tmp, file), bytes);
      }
    }
  });
}

/** The element-wise mean of state dicts with the same tensors; `paths` name them in errors. */
function meanStateDict(dicts: readonly StateDict[], paths: readonly string[]): StateDict {
  const [first, ...rest] = dicts;
  const mean: StateDict = new Map();
  for (const [name, tensor] of first) {
    const sum = Float64Array.from(tensor.data);
    rest.forEach((dict, i) => {
      const other = dict.get(name);
      if (!other || other.shape.join() !== tensor.shape.join()) {
        const found = other ? `shape [${other.shape}]` : "no such tensor";
        throw new Error(
          `cannot average ${paths[0]} and ${
            paths[i + 1]
          }: tensor ${name} is [${tensor.shape}] in the first, ${found} in the other`,
        );
      }
      for (let j = 0; j < sum.length; j++) sum[j] += other.data[j];
    });
    mean.set(name, {
      shape: tensor.shape,
      data: Float32Array.from(sum, (v) => v / dicts.length),
      storedAs: "F32",
    });
  }
  rest.forEach((dict, i) => {
    const extra = [...dict.keys()].find((name) => !first.has(name));
    if (extra !== undefined) {
      throw new Error(`cannot average ${paths[0]} and ${paths[i + 1]}: tensor ${extra} is only in the other`);
    }
  });
  return mean;
}

/** Every file under `dir`, as paths relative to it, sorted. */
async function filesUnder(dir: string, root = dir): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await filesUnder(path, root));
    else files.push(relative(root, path));
  }
  return files.sort();
}
