/**
 * Every JSDoc example in lib/ and bench/ type-checks (`deno check --doc lib/ bench/`), so an example cannot go
 * stale when the API it shows changes. An example's own inputs (a model, sentences, …) are declared at its top.
 */
import { assert } from "@std/assert";

Deno.test("deno check --doc lib/ bench/: every JSDoc example type-checks", async () => {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--doc", "lib/", "bench/"],
    cwd: new URL("../..", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const errors = new TextDecoder().decode(stderr).split("\n").filter((line) => !line.startsWith("Check "));
  assert(success, `stale JSDoc examples:\n${errors.join("\n")}`);
});
