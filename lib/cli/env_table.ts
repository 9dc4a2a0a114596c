/**
 * `deno task env-table`: rewrites the environment table of docs/environment.md from lib/util/config.ts (the one
 * place that documents the variables), between its `<!-- env-table -->` markers, then formats that page.
 * `--check` only says whether the page is current (exit 1 when not).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { environmentTable } from "../util/config.ts";
import { projectPath } from "../util/paths.ts";
import { runCommand } from "../util/exit_error.ts";

/** The page that holds the table. */
export const ENV_TABLE_PAGE = "docs/environment.md";

/** The markers around the generated table in {@link ENV_TABLE_PAGE}. */
export const ENV_TABLE_MARKERS = ["<!-- env-table:start -->", "<!-- env-table:end -->"] as const;

/**
 * The page's text with the table between the markers replaced by `table` (an error when a marker is missing).
 *
 * @example
 * ```ts
 * replaceEnvTable("a\n<!-- env-table:start -->\nold\n<!-- env-table:end -->\nb", "| x |");
 * // "a\n<!-- env-table:start -->\n\n| x |\n\n<!-- env-table:end -->\nb"
 * ```
 */
export function replaceEnvTable(page: string, table: string): string {
  const [start, end] = ENV_TABLE_MARKERS;
  const from = page.indexOf(start), to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${ENV_TABLE_PAGE}: no "${start}" … "${end}" section`);
  return `${page.slice(0, from + start.length)}\n\n${table}\n\n${page.slice(to)}`;
}

/**
 * Runs the command with `args` (see the module doc); returns the exit code.
 *
 * @example
 * ```ts
 * await main(["--check"]); // 0 when docs/environment.md is current
 * ```
 */
export function main(args: string[]): Promise<number> {
  return runCommand("env-table", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { check: { type: "boolean", default: false } } });
  const path = projectPath(ENV_TABLE_PAGE);
  const before = await Deno.readTextFile(path);
  const format = async (text: string) => {
    const fmt = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext", "md", "-"],
      stdin: "piped",
      stdout: "piped",
      cwd: projectPath(),
    }).spawn();
    const writer = fmt.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const { success, stdout } = await fmt.output();
    if (!success) throw new Error(`deno fmt could not format ${ENV_TABLE_PAGE}`);
    return new TextDecoder().decode(stdout);
  };
  const after = await format(replaceEnvTable(before, environmentTable()));
  if (values.check) {
    if (after === before) return 0;
    console.error(
      `${ENV_TABLE_PAGE}'s environment table is not lib/util/config.ts's: run \`deno task env-table\``,
    );
    return 1;
  }
  if (after !== before) await Deno.writeTextFile(path, after);
  console.error(`${ENV_TABLE_PAGE}: environment table ${after === before ? "already current" : "rewritten"}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
