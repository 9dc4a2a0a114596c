/**
 * Runs code in a child process with a time limit: a damaged file that makes a reader spin forever then fails
 * its test (exit code 143) instead of hanging the test run, which only a process (or a worker) can show; and
 * a child's peak memory is its own, not the test run's.
 */
import { projectPath } from "../../lib/util/paths.ts";

/** What a child printed and how it ended. */
export interface ChildResult {
  code: number;
  /** Its stdout, trimmed (its stderr goes to the test's). */
  stdout: string;
}

/** Runs `script` (module code, `Deno.args` = `args`) with the project's deno.json, killed after `timeoutMs`. */
export async function evalInChild(script: string, args: string[], timeoutMs: number): Promise<ChildResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", projectPath("deno.json"), script, ...args],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout).trim() };
}

/**
 * Calls `reader` (an exported async function of the lib module at `module`, a path relative to the project)
 * on `path` in a child process; stdout is "loaded" or the error's message.
 */
export async function readInChild(module: string, reader: string, path: string): Promise<ChildResult> {
  const script = `import { ${reader} } from ${JSON.stringify(projectPath(module))};
    try { await ${reader}(Deno.args[0]); console.log("loaded"); } catch (e) { console.log(e.message); }`;
  return await evalInChild(script, [path], 60_000);
}
