/**
 * The one way every command in lib/cli ends on an error: its `main(args)` runs its body through
 * {@link runCommand}, which prints any error as one line `<command>: <what> (<where>)` on stderr — never a stack
 * trace — and returns the exit code:
 *
 * | code | meaning                                                                    |
 * | ---- | -------------------------------------------------------------------------- |
 * | 0    | done                                                                       |
 * | 1    | the work failed: bad input, a model that cannot load, an unwritable output |
 * | 2    | bad arguments                                                              |
 * | 130  | stopped by SIGINT (143: SIGTERM)                                           |
 * | 141  | its output was closed by the reader (broken pipe, e.g. `… \| head`)        |
 *
 * While the body runs, a command started by a `deno task` wrapper stops as if SIGTERMed when that wrapper dies
 * (lib/util/parent_watch.ts): the wrapper forwards every signal but SIGKILL.
 *
 * @module
 */
import { watchTaskWrapper } from "./parent_watch.ts";

/** The exit codes of every command (see the module's table). */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  sigint: 130,
  brokenPipe: 141,
  sigterm: 143,
} as const;

/** The longest error line printed: a message quoting hostile input is cut there. */
const MAX_MESSAGE_CHARS = 1000;

/** An error that ends a command with `code` after its one-line message. */
export class ExitError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
    this.name = "ExitError";
  }
}

/** The exit code and the one line (without the command) for `error`. */
function describe(error: unknown): { code: number; message: string } {
  if (error instanceof ExitError) return { code: error.code, message: error.message };
  if (error instanceof Deno.errors.BrokenPipe) {
    return { code: EXIT_CODES.brokenPipe, message: "output closed by its reader (broken pipe)" };
  }
  const message = error instanceof Error ? error.message : String(error);
  // node:util's parseArgs: an unknown option or a missing value is a usage error.
  const isUsage = typeof (error as { code?: unknown })?.code === "string" &&
    (error as { code: string }).code.startsWith("ERR_PARSE_ARGS_");
  // A message is one line: a multi-line one (a list of problems) is joined.
  const joined = message.split("\n").map((line) => line.trim().replace(/^- /, "")).filter((line) =>
    line !== ""
  )
    .reduce((text, line) => text === "" ? line : `${text}${text.endsWith(":") ? " " : "; "}${line}`, "");
  const first = joined === "" ? "failed" : joined;
  const line = first.length > MAX_MESSAGE_CHARS ? `${first.slice(0, MAX_MESSAGE_CHARS)}…` : first;
  return { code: isUsage ? EXIT_CODES.usage : EXIT_CODES.failed, message: line };
}

/**
 * Runs a command's body: its exit code, or, when it throws, the exit code of the error after printing
 * `<command>: <message>` (one line) on stderr.
 *
 * @example
 * ```ts
 * const code = await runCommand("serve", async () => {
 *   throw new ExitError("--port must be an integer", 2);
 * }); // 2, after "serve: --port must be an integer" on stderr
 * ```
 */
export async function runCommand(command: string, body: () => Promise<number>): Promise<number> {
  using _watch = watchTaskWrapper();
  try {
    return await body();
  } catch (error) {
    const { code, message } = describe(error);
    console.error(`${command}: ${message}`);
    return code;
  }
}
