/** lib/util/exists.ts: a file, a folder, a link and a missing path, asked every way. */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { isFile, pathExists, pathExistsSync } from "../../lib/util/exists.ts";

Deno.test("pathExists, pathExistsSync and isFile tell a file, a folder, a link to a file and nothing apart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "a.txt");
    await Deno.writeTextFile(file, "a");
    await Deno.symlink(file, join(dir, "link"));
    await Deno.symlink(join(dir, "gone"), join(dir, "dangling"));
    const answers = [];
    for (const name of ["a.txt", ".", "link", "dangling", "missing"]) {
      const path = join(dir, name);
      answers.push([name, await pathExists(path), pathExistsSync(path), await isFile(path)]);
    }
    assertEquals(answers, [
      ["a.txt", true, true, true],
      [".", true, true, false],
      ["link", true, true, true],
      ["dangling", false, false, false],
      ["missing", false, false, false],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
