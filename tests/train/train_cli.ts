/**
 * `deno task train --profile smoke` as a child process, for tests that kill it or need a trained model folder.
 *
 * @module
 */

import type { TrainLogLine } from "../../lib/train/mod.ts";

/** What must not depend on interruptions: a training log without timings. */
export function deterministic(lines: TrainLogLine[]): unknown[] {
  return lines.map((line) =>
    line.kind === "step"
      ? { kind: line.kind, step: line.step, epoch: line.epoch, loss: line.loss, lr: line.lr }
      : { kind: line.kind, step: line.step, epoch: line.epoch, loss: line.loss, dev: line.dev }
  );
}

/** What must not depend on interruptions: the metrics a session printed last, without timings. */
export function metricsOf(session: TrainingSession): Record<string, unknown> {
  const metrics = JSON.parse(session.stdout.trim().split("\n").at(-1)!);
  const { steps, epochsCompleted, stopReason, trainTokens, parameters, best, averagedEpochs, test } = metrics;
  return { steps, epochsCompleted, stopReason, trainTokens, parameters, best, averagedEpochs, test };
}

/** Options of {@link spawnSmokeTraining}. */
export interface SmokeTrainingOptions {
  outputs: string;
  /** Default "smoke". */
  profile?: string;
  run?: string;
  resume?: boolean;
  /** `--quiet` (no progress bar, no messages). Default true. */
  quiet?: boolean;
  /** `--set` values, e.g. `["epochs=1"]`. */
  overrides?: readonly string[];
  env?: Record<string, string>;
}

/** How a training child ended. */
export interface TrainingSession {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `deno run -A lib/cli/train.ts --profile smoke --quiet …` (or another profile) with piped output.
 *
 * @example
 * ```ts
 * const session = await finishTraining(spawnSmokeTraining({ outputs: "/tmp/o", overrides: ["epochs=1"] }));
 * ```
 */
export function spawnSmokeTraining(options: SmokeTrainingOptions): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "lib/cli/train.ts",
      "--profile",
      options.profile ?? "smoke",
      "--outputs",
      options.outputs,
      ...(options.run ? ["--run", options.run] : []),
      ...(options.resume ? ["--resume"] : []),
      ...(options.quiet === false ? [] : ["--quiet"]),
      ...(options.overrides ?? []).flatMap((o) => ["--set", o]),
    ],
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Waits for a training child and collects its output. */
export async function finishTraining(child: Deno.ChildProcess): Promise<TrainingSession> {
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    signal: output.signal,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * `deno task ner --model <dir>` on one line of text, as a child process: its exit code, stderr and first
 * output line (JSON: text and entities).
 *
 * @example
 * ```ts
 * const { code, line } = await nerOnText("outputs/bilstm-crf/best", "Cisplatin induced nephrotoxicity.");
 * ```
 */
export async function nerOnText(
  model: string,
  text: string,
): Promise<{ code: number; stderr: string; line: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/ner.ts", "--model", model, "--workers", "1"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`${text}\n`));
  await writer.close();
  const output = await child.output();
  const [line] = new TextDecoder().decode(output.stdout).trim().split("\n");
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr), line };
}
