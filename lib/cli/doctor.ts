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
import { BACKEND_ENV, type BackendChoice, initBackend, probeBackends } from "../backend/mod.ts";

/** How a backend relates to the choice. */
type Role = "chosen" | "skipped" | "works, lower priority" | "works, not forced";

function environment() {
  return {
    deno: Deno.version.deno,
    tfjs: tf.version_core,
    os: `${Deno.build.os}-${Deno.build.arch}`,
    cpus: navigator.hardwareConcurrency,
    memoryGiB: Number((Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1)),
    [BACKEND_ENV]: Deno.env.get(BACKEND_ENV) ?? null,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: "boolean", short: "h" } } });
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
  const { name, tfjsName, detail, forced } = chosen;
  console.log(
    JSON.stringify({ chosen: { name, tfjsName, detail, forced }, backends, environment: environment() }),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
