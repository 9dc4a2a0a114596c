/**
 * How a command's `main(args)` ends early with an exit code: throw an {@link ExitError} anywhere (argument
 * checks, a model that cannot load) and `main` turns it into one line on stderr and its return value.
 *
 * @module
 */

/** An error that ends a command with `code` after its one-line message. */
export class ExitError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
    this.name = "ExitError";
  }
}

/**
 * Runs a command's body: its exit code, or an {@link ExitError}'s code after printing `<prefix> <message>`.
 *
 * @example
 * ```ts
 * const code = await exitCodeOf("[serve]", async () => {
 *   throw new ExitError("--port must be an integer", 2);
 * }); // 2, after "[serve] --port must be an integer" on stderr
 * ```
 */
export async function exitCodeOf(prefix: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof ExitError)) throw error;
    console.error(`${prefix} ${error.message}`);
    return error.code;
  }
}
