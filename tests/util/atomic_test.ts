import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { recoverDirAtomic, writeDirAtomic, writeFileAtomic } from "../../lib/util/atomic.ts";
import { KILL_AT_ENV } from "../../lib/util/kill_point.ts";

/** A pid no process has (Linux pids stay below 2^22). */
const DEAD_PID = 999_999_999;

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

/** Runs `code` (a module body importing lib/util/atomic.ts as `atomic`) in a child Deno. */
async function child(code: string, options: { env?: Record<string, string>; wrapper?: string[] } = {}) {
  const module = `import * as atomic from "${new URL(
    "../../lib/util/atomic.ts",
    import.meta.url,
  )}";\n${code}`;
  const [command, ...prefix] = [...options.wrapper ?? [], Deno.execPath()];
  return await new Deno.Command(command, {
    args: [...prefix, "eval", "--ext=ts", module],
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("a kill between the two renames of a folder swap leaves a folder that recovery puts back", async () => {
  const root = await Deno.makeTempDir();
  const target = join(root, "checkpoint");
  await writeDirAtomic(target, (dir) => Deno.writeTextFile(join(dir, "state.json"), '"old"'));
  const killed = await child(
    `await atomic.writeDirAtomic(${
      JSON.stringify(target)
    }, (d) => Deno.writeTextFile(d + "/state.json", '"new"'));`,
    { env: { [KILL_AT_ENV]: "atomic-dir-swap:1" } },
  );
  assertEquals(killed.signal, "SIGKILL");
  assertEquals(await Deno.stat(target).then(() => true, () => false), false, "killed between the renames");
  assert(await recoverDirAtomic(target));
  assertEquals(await Deno.readTextFile(join(target, "state.json")), '"old"');
  assertEquals(
    await names(root),
    ["checkpoint"],
    "the complete new folder of the dead process is removed too",
  );
});

Deno.test("stale .tmp-/.old- leftovers of dead processes are removed on the next write; a live one's stay", async () => {
  const root = await Deno.makeTempDir();
  const stale = [
    "out.json.tmp-" + DEAD_PID + "-0123abcd",
    "best.tmp-" + DEAD_PID + "-0123abcd",
    "best.old-" + DEAD_PID + "-89abcdef",
  ];
  const live = [`out.json.tmp-${Deno.pid}-fedcba98`, `best.tmp-${Deno.pid}-fedcba98`];
  for (const name of [...stale, ...live]) {
    if (name.startsWith("best")) await Deno.mkdir(join(root, name));
    else await Deno.writeTextFile(join(root, name), "partial");
  }
  await Deno.mkdir(join(root, "best"));
  await writeFileAtomic(join(root, "out.json"), "{}");
  await writeDirAtomic(join(root, "best"), (dir) => Deno.writeTextFile(join(dir, "config.json"), "{}"));
  assertEquals(await names(root), ["best", ...live, "out.json"].sort());
});

Deno.test("atomic writes fsync the data before the rename and the folder after it", async (t) => {
  const strace = await new Deno.Command("strace", { args: ["-V"], stdout: "null", stderr: "null" }).output()
    .then((o) => o.success, () => false);
  if (!strace) {
    // lib/cli/setup.ts installs strace on CI; a developer machine without it skips this check.
    console.log("strace not installed: skipped");
    return;
  }
  const root = await Deno.makeTempDir();
  for (
    const [name, code] of [
      ["writeFileAtomic", `await atomic.writeFileAtomic("${root}/metrics.json", "{}");`],
      [
        "writeDirAtomic",
        `await atomic.writeDirAtomic("${root}/best", (d) => Deno.writeTextFile(d + "/a", "x"));`,
      ],
    ]
  ) {
    await t.step(name, async () => {
      const log = join(root, `${name}.strace`);
      const output = await child(code, {
        wrapper: [
          "strace",
          "-f",
          "-qq",
          "-o",
          log,
          "-e",
          "trace=openat,fsync,fdatasync,rename,renameat,renameat2",
        ],
      });
      assert(output.success, new TextDecoder().decode(output.stderr));
      const calls = (await Deno.readTextFile(log)).split("\n").filter((l) =>
        l.includes(root) || /fsync|fdatasync/.test(l)
      );
      const renameAt = calls.findLastIndex((l) => /rename/.test(l) && l.includes(".tmp-"));
      assert(renameAt > 0, `no rename of the temporary:\n${calls.join("\n")}`);
      assert(
        calls.slice(0, renameAt).some((l) => /fsync|fdatasync/.test(l)),
        `no fsync before the rename:\n${calls.join("\n")}`,
      );
      // After the rename: the parent folder is opened and fsynced.
      const after = calls.slice(renameAt + 1);
      const dirOpen = after.findIndex((l) => new RegExp(`openat\\(.*"${root}", O_RDONLY`).test(l));
      assert(
        dirOpen >= 0 && after.slice(dirOpen).some((l) => /fsync/.test(l)),
        `folder not fsynced after the rename:\n${calls.join("\n")}`,
      );
    });
  }
});
