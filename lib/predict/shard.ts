/**
 * Shards of a batch job: which part of the input one process (one worker, one machine, one job-array task)
 * handles. The input is cut into blocks of consecutive documents and shard `i` of `n` takes the `i`-th of
 * `n` contiguous runs of blocks, so the shards' outputs concatenated in index order are the whole output,
 * byte for byte (`cat part.*`, `parallel -k`).
 *
 * Why blocks: windows of consecutive documents share forward passes, and a float's last bits depend on what
 * it was batched with. Every process, sharded or not, starts its batches afresh at each block boundary, so a
 * document is batched with the same neighbours whichever process scores it.
 *
 * @module
 */
import { envRecord } from "../util/config.ts";

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/** Documents per block (see the module doc): large enough that the per-block batch restart costs little. */
export const SHARD_BLOCK_DOCUMENTS = 32;

/** The variable that gives the shard count where the job runner does not (Kubernetes Indexed Jobs). */
export const SHARD_COUNT_ENV = "NER_SHARD_COUNT";

/** Every variable {@link shardFromEnvironment} reads. */
const SHARD_ENV_NAMES = [
  "SLURM_ARRAY_TASK_ID",
  "SLURM_ARRAY_TASK_MIN",
  "SLURM_ARRAY_TASK_STEP",
  "SLURM_ARRAY_TASK_COUNT",
  "JOB_COMPLETION_INDEX",
  SHARD_COUNT_ENV,
] as const;

/**
 * Parses `i/n` (0 ≤ i < n) into a {@link Shard}. `env` or `env/n` takes the index (and the count) from the
 * job runner's environment: see {@link shardFromEnvironment}.
 *
 * @example
 * ```ts
 * parseShard("2/8"); // { index: 2, count: 8 }
 * parseShard("env/8", { JOB_COMPLETION_INDEX: "3" }); // { index: 3, count: 8 }
 * ```
 */
export function parseShard(
  text: string,
  env: Record<string, string | undefined> = envRecord(SHARD_ENV_NAMES),
): Shard {
  const fromEnv = /^env(?:\/(\d+))?$/.exec(text.trim());
  if (fromEnv) return shardFromEnvironment(env, fromEnv[1] === undefined ? undefined : Number(fromEnv[1]));
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]), count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new Error(
      `--shard must be i/n with 0 ≤ i < n (e.g. 0/4), env or env/n, got ${JSON.stringify(text)}`,
    );
  }
  return { index, count };
}

/**
 * The shard of this process from the job runner's environment:
 * - Slurm array job (`sbatch --array=0-7` or `1-8` or `0-14:2`): index `(SLURM_ARRAY_TASK_ID −
 *   SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP`, count `SLURM_ARRAY_TASK_COUNT`;
 * - Kubernetes Indexed Job: index `JOB_COMPLETION_INDEX`, count `count` or `NER_SHARD_COUNT` (the Job's
 *   `completions`, which Kubernetes does not put in the environment).
 *
 * `count`, when given, overrides (Kubernetes) or must agree with (Slurm) the environment's count.
 *
 * @example
 * ```ts
 * shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" });
 * // { index: 4, count: 8 }
 * ```
 */
export function shardFromEnvironment(env: Record<string, string | undefined>, count?: number): Shard {
  const integer = (name: string, fallback?: number): number => {
    const raw = env[name];
    if (raw === undefined && fallback !== undefined) return fallback;
    const value = Number(raw);
    if (raw === undefined || raw.trim() === "" || !Number.isInteger(value) || value < 0) {
      throw new Error(`--shard env: ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  let shard: Shard;
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = integer("SLURM_ARRAY_TASK_ID"), min = integer("SLURM_ARRAY_TASK_MIN", 0);
    const step = integer("SLURM_ARRAY_TASK_STEP", 1) || 1;
    const tasks = integer("SLURM_ARRAY_TASK_COUNT");
    if (count !== undefined && count !== tasks) {
      throw new Error(`--shard env/${count}: the Slurm array has ${tasks} tasks (SLURM_ARRAY_TASK_COUNT)`);
    }
    shard = { index: (id - min) / step, count: tasks };
    if (!Number.isInteger(shard.index) || shard.index >= tasks) {
      throw new Error(
        `--shard env: array task ${id} is not in a contiguous Slurm array (min ${min}, step ${step}, ` +
          `${tasks} tasks); submit with --array=0-${tasks - 1}`,
      );
    }
  } else if (env.JOB_COMPLETION_INDEX !== undefined) {
    const total = count ?? integer(SHARD_COUNT_ENV);
    shard = { index: integer("JOB_COMPLETION_INDEX"), count: total };
  } else {
    throw new Error(
      "--shard env: no job-runner index in the environment (SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)",
    );
  }
  if (shard.count < 1 || shard.index >= shard.count) {
    throw new Error(`--shard env: index ${shard.index} is not below the shard count ${shard.count}`);
  }
  return shard;
}

/**
 * The document positions `[start, end)` of `shard` in an input of `documents` documents: whole blocks of
 * `blockSize`, the `index`-th of `count` near-equal contiguous runs.
 *
 * @example
 * ```ts
 * shardRange({ index: 1, count: 2 }, 100, 32); // { start: 64, end: 100 } (blocks 2 and 3 of 0–3)
 * ```
 */
export function shardRange(
  shard: Shard,
  documents: number,
  blockSize = SHARD_BLOCK_DOCUMENTS,
): { start: number; end: number } {
  const blocks = Math.ceil(documents / blockSize);
  const boundary = (i: number) => Math.min(documents, Math.floor((i * blocks) / shard.count) * blockSize);
  return { start: boundary(shard.index), end: boundary(shard.index + 1) };
}

/**
 * Shard `worker` of `workers` within `shard`: the shards of a `count × workers` split that tile `shard`
 * exactly, so one machine's shard can be split again between its cores.
 *
 * @example
 * ```ts
 * subShard({ index: 1, count: 2 }, 0, 4); // { index: 4, count: 8 }
 * ```
 */
export function subShard(shard: Shard, worker: number, workers: number): Shard {
  return { index: shard.index * workers + worker, count: shard.count * workers };
}
