/**
 * `deno task seqeval [--mode default|strict] [--scheme IOB2|IOBES] [--suffix] [--zero-division warn|0|1]
 * [--digits N]` (`--scheme` is strict mode's, default IOB2: seqeval's `mode="strict", scheme=…`)
 *
 * Reads `{"y_true": [[…]], "y_pred": [[…]]}` from stdin and prints seqeval's report as JSON on stdout
 * (`{"Chemical": {"precision", "recall", "f1-score", "support"}, …, "micro avg": {…}, "macro avg": {…},
 * "weighted avg": {…}, "accuracy": …}`); the same report in seqeval's text layout goes to stderr.
 * Bad input: a message naming what is wrong and where, exit code 1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  checkSequences,
  evaluateTags,
  type Mode,
  seqevalJson,
  type StrictScheme,
  type TagSequences,
  type ZeroDivision,
} from "../metrics/mod.ts";
import { runCommand } from "../util/exit_error.ts";

const USAGE = "usage: deno task seqeval [--mode default|strict] [--scheme IOB2|IOBES] [--suffix] " +
  "[--zero-division warn|0|1] [--digits N] < input.json";

/** Parses the command line; throws a usage error on anything unknown. */
function parseOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      mode: { type: "string", default: "default" },
      scheme: { type: "string", default: "IOB2" },
      suffix: { type: "boolean", default: false },
      "zero-division": { type: "string", default: "warn" },
      digits: { type: "string", default: "2" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.mode !== "default" && values.mode !== "strict") {
    throw new Error(`--mode must be "default" or "strict", got ${JSON.stringify(values.mode)}`);
  }
  if (values.scheme !== "IOB2" && values.scheme !== "IOBES") {
    throw new Error(`--scheme must be IOB2 or IOBES, got ${JSON.stringify(values.scheme)}`);
  }
  const zeroDivisions: Record<string, ZeroDivision> = { warn: "warn", "0": 0, "1": 1 };
  const zeroDivision = zeroDivisions[values["zero-division"]];
  if (zeroDivision === undefined) throw new Error(`--zero-division must be warn, 0 or 1`);
  const digits = Number(values.digits);
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`--digits must be an integer 0..20`);
  }
  const scheme = values.scheme as StrictScheme;
  return {
    mode: values.mode as Mode,
    scheme,
    suffix: values.suffix,
    zeroDivision,
    digits,
    help: values.help,
  };
}

/** Reads and checks the stdin document. */
function parseInput(text: string): { yTrue: TagSequences; yPred: TagSequences } {
  if (text.trim() === "") throw new Error(`no input on stdin (see --help)`);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new Error(`stdin is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error(`stdin must be a JSON object {"y_true": [[…]], "y_pred": [[…]]}`);
  }
  const { y_true: yTrue, y_pred: yPred } = input as Record<string, unknown>;
  if (yTrue === undefined || yPred === undefined) {
    throw new Error(`stdin JSON needs both "y_true" and "y_pred"`);
  }
  checkSequences(yTrue, yPred);
  return { yTrue: yTrue as TagSequences, yPred: yPred as TagSequences };
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("seqeval", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    console.error(`seqeval: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.error(USAGE);
    return 0;
  }
  try {
    const { yTrue, yPred } = parseInput(await new Response(Deno.stdin.readable).text());
    const evaluation = evaluateTags(yTrue, yPred, options);
    console.error(evaluation.text);
    console.log(JSON.stringify(seqevalJson(evaluation)));
    return 0;
  } catch (error) {
    console.error(`seqeval: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
