/**
 * `deno task train --profile smoke` as a child process, for tests that kill it or need a trained model folder.
 *
 * @module
 */

/** Options of {@link spawnSmokeTraining}. */
export interface SmokeTrainingOptions {
  outputs: string;
  run?: string;
  resume?: boolean;
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
 * Starts `deno run -A lib/cli/train.ts --profile smoke --quiet …` with piped output.
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
      "smoke",
      "--outputs",
      options.outputs,
      ...(options.run ? ["--run", options.run] : []),
      ...(options.resume ? ["--resume"] : []),
      "--quiet",
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
