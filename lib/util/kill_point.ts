/**
 * Deterministic crash points for crash-safety tests. With `BC5CDR_KILL_AT=<name>:<n>` in the environment,
 * the process SIGKILLs itself the n-th time it passes {@link killPoint}`(name)` — exactly as `kill -9` at that
 * moment would, with no cleanup run. Without the variable (or with another name) a kill point does nothing.
 *
 * Named points: `train-step` (after an optimizer step, before its bookkeeping), `log-append` (half of a log
 * line written), `evaluate` (after a dev evaluation, before its results are saved), `checkpoint-fill` (a
 * checkpoint folder half written), `atomic-dir-swap` (between the two renames that replace a folder),
 * `onnx-export-check` (an ONNX export written, not yet checked nor renamed into place).
 *
 * @module
 */
import { envValue } from "./config.ts";

/** The environment variable read by {@link killPoint}. */
export const KILL_AT_ENV = "BC5CDR_KILL_AT";

function parseKillAt(): { name: string; at: number } | null {
  let value: string | undefined;
  try {
    value = envValue(KILL_AT_ENV);
  } catch {
    return null; // no --allow-env: no kill points
  }
  const match = value ? /^([\w-]+):(\d+)$/.exec(value) : null;
  if (value && !match) {
    throw new Error(`${KILL_AT_ENV}=${value}: expected <point name>:<count>, e.g. log-append:3`);
  }
  return match ? { name: match[1], at: Number(match[2]) } : null;
}

let target: { name: string; at: number } | null | undefined;
let passes = 0;

/**
 * Marks a moment where a crash must be survivable. `beforeKill` runs just before the kill (e.g. to leave a
 * half-written line, as a kill inside a write would).
 *
 * @example
 * ```ts
 * killPoint("atomic-dir-swap");
 * ```
 */
export function killPoint(name: string, beforeKill?: () => void): void {
  target ??= parseKillAt();
  if (target?.name !== name || ++passes !== target.at) return;
  beforeKill?.();
  Deno.kill(Deno.pid, "SIGKILL");
}
