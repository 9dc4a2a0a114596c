/**
 * Runs a file reader in a child process with a time limit: a damaged file that makes a reader spin forever
 * then fails its test (exit code 143) instead of hanging the test run, which only a process (or a worker)
 * can show.
 */
import { projectPath } from "../../lib/util/paths.ts";

/**
 * Calls `reader` (an exported async function of the lib module at `module`, a path relative to the project)
 * on `path` in a child process; stdout is "loaded" or the error's message.
 */
export async function readInChild(
  module: string,
  reader: string,
  path: string,
): Promise<{ code: number; stdout: string }> {
  const script = `import { ${reader} } from ${JSON.stringify(projectPath(module))};
    try { await ${reader}(Deno.args[0]); console.log("loaded"); } catch (e) { console.log(e.message); }`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", projectPath("deno.json"), script, path],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout).trim() };
}
