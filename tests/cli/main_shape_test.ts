/**
 * Every command in lib/cli/ has one shape: `export async function main(args): Promise<number>` (the exit code),
 * run only under `import.meta.main` — so importing one runs nothing, and a test can call it — and its body
 * runs through `runCommand`, the one error printer.
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";

const CLI_DIR = new URL("../../lib/cli/", import.meta.url).pathname;
const commands = [...Deno.readDirSync(CLI_DIR)].map((e) => e.name).filter((n) => n.endsWith(".ts")).sort();

Deno.test("every lib/cli command exports main(args) and does nothing on import", async () => {
  for (const name of commands) {
    const source = await Deno.readTextFile(join(CLI_DIR, name));
    assertEquals(
      source.includes("\nif (import.meta.main) Deno.exit(await main(Deno.args));\n"),
      true,
      `${name}: ends with \`if (import.meta.main) Deno.exit(await main(Deno.args));\``,
    );
    // One error printer: every command's errors become one line `command: what` (lib/util/exit_error.ts).
    assertEquals(
      source.includes("return runCommand("),
      true,
      `${name}: main runs its body through runCommand`,
    );
    const module = await import(join(CLI_DIR, name));
    assertEquals(typeof module.main, "function", `${name}: exports main`);
    assertEquals(module.main.length, 1, `${name}: main takes the arguments`);
  }
});

Deno.test("main(args) returns the exit code: --help is 0, a bad argument is not", async () => {
  const { main: convert } = await import(join(CLI_DIR, "convert.ts"));
  assertEquals(await convert(["--help"]), 0);
  const { main: ner } = await import(join(CLI_DIR, "ner.ts"));
  assertEquals(await ner(["--help"]), 0);
  assertEquals(await ner(["--batch-size", "0"]), 2);
  const { main: serve } = await import(join(CLI_DIR, "serve.ts"));
  assertEquals(await serve(["--port=abc"]), 2);
});
