/**
 * `deno task doctor`: which tfjs backend this machine uses and why each other one is not used.
 *
 * stderr: a readable report. stdout: one JSON line
 * `{"chosen":{name,tfjsName,detail,forced},"backends":[{name,works,detail,role}],"environment":{…}}`.
 * Exit status 1 when the backend forced by `NER_BACKEND` cannot work (the JSON then has `error`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_ENV,
  type BackendChoice,
  checkCudaLibraries,
  type CudaLibraryStatus,
  initBackend,
  probeBackends,
} from "../backend/mod.ts";
import { readEnv } from "../util/config.ts";
import { runCommand } from "../util/exit_error.ts";

/** How a backend relates to the choice. */
type Role = "chosen" | "skipped" | "works, lower priority" | "works, not forced";

function environment() {
  return {
    deno: Deno.version.deno,
    tfjs: tf.version_core,
    os: `${Deno.build.os}-${Deno.build.arch}`,
    cpus: navigator.hardwareConcurrency,
    memoryGiB: Number((Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1)),
    [BACKEND_ENV]: readEnv(BACKEND_ENV) ?? null,
  };
}

/**
 * The libraries tfjs-node-gpu's libtensorflow 2.9.1 opens, each found or named as missing / of the wrong
 * version (Linux only). WebGPU needs none of them.
 */
async function reportCudaLibraries(): Promise<CudaLibraryStatus[] | null> {
  if (Deno.build.os !== "linux") return null;
  const statuses = await checkCudaLibraries();
  const wrong = statuses.filter((s) => s.status !== "ok");
  console.error(
    `CUDA libraries for tfjs-node-gpu (libtensorflow 2.9.1: CUDA 11.2, cuDNN 8.1): ` +
      (wrong.length === 0 ? "all found" : `${wrong.length} of ${statuses.length} missing or wrong`),
  );
  for (const s of statuses) console.error(`  ${s.status.padEnd(13)} ${s.message}`);
  if (wrong.length > 0) console.error("  (the webgpu backend needs none of these: see docs/gpu.md)");
  return statuses;
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("doctor", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.error(`usage: deno task doctor   (${BACKEND_ENV}=gpu|webgpu|native|wasm|cpu forces a backend)`);
    return 0;
  }
  let chosen: BackendChoice;
  try {
    chosen = await initBackend();
  } catch (error) {
    const message = (error as Error).message;
    console.error(`doctor: ${message}`);
    console.log(JSON.stringify({ error: message, environment: environment() }));
    return 1;
  }
  const statuses = await probeBackends();
  const chosenIndex = statuses.findIndex((s) => s.name === chosen.name);
  const backends = statuses.map((status, i) => {
    const role: Role = status.name === chosen.name
      ? "chosen"
      : !status.works
      ? "skipped"
      : chosen.forced
      ? "works, not forced"
      : i > chosenIndex
      ? "works, lower priority"
      : "skipped";
    return {
      ...status,
      role,
      detail: status.name === chosen.name ? chosen.detail ?? status.detail : status.detail,
    };
  });
  console.error(
    `tfjs backend: ${chosen.name}${chosen.forced ? ` (forced by ${BACKEND_ENV})` : ""} — ${chosen.detail}`,
  );
  for (const b of backends) console.error(`  ${b.name.padEnd(7)} ${b.role.padEnd(22)} ${b.detail}`);
  const cudaLibraries = await reportCudaLibraries();
  const { name, tfjsName, detail, forced } = chosen;
  console.log(
    JSON.stringify({
      chosen: { name, tfjsName, detail, forced },
      backends,
      cudaLibraries,
      environment: environment(),
    }),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
