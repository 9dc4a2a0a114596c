/**
 * `deno task train [--profile P] [--run NAME] [--resume] [--set key=value …]`: trains a profile (see
 * lib/train/profiles/) into outputs/<run>/. Progress goes to stderr; the last stdout line is the run's
 * metrics as JSON.
 *
 *     deno task train --profile cpu-small
 *     deno task train --profile biobert --set model.source=/models/biobert-base-cased-v1.1
 *     deno task train --profile cpu-small --resume          # after an interruption
 *
 * @module
 */
import { parseArgs } from "node:util";
import { PROFILE_NAMES, trainProfile } from "../train/mod.ts";

const USAGE = `usage: deno task train [--profile ${
  PROFILE_NAMES.join("|")
}|FILE.json] [--run NAME] [--outputs DIR]
                       [--resume] [--quiet] [--set key=value]…
  --set key=value   override a profile value (dotted keys; value parsed as JSON when it is JSON),
                    e.g. --set epochs=2 --set model.source=/models/biobert`;

/**
 * Parses `--set key=value` pairs into an overrides object; values are JSON when they parse as JSON.
 *
 * @example
 * ```ts
 * parseOverrides(["epochs=2", "model.source=/m"]); // { epochs: 2, "model.source": "/m" }
 * ```
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--set ${pair}: expected key=value`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: a plain string such as a path.
    }
    overrides[pair.slice(0, eq)] = value;
  }
  return overrides;
}

/** Runs the command with `args`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        profile: { type: "string", default: "cpu-small" },
        run: { type: "string" },
        outputs: { type: "string" },
        resume: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        set: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const { metrics } = await trainProfile({
      profile: args.profile,
      overrides: parseOverrides(args.set),
      run: args.run,
      outputsDir: args.outputs,
      resume: args.resume,
      quiet: args.quiet,
    });
    console.log(JSON.stringify(metrics));
    return 0;
  } catch (error) {
    console.error(`train: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
