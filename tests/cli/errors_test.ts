/**
 * The commands' one error printer (lib/util/exit_error.ts) and their output-destination check
 * (lib/util/destination.ts), as a user meets them: one line `command: what (where)`, the documented exit code,
 * no stack trace, and a bad destination found before the work, not after it.
 */
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { EXIT_CODES, ExitError, runCommand } from "../../lib/util/exit_error.ts";
import { checkOutputDir, checkOutputFile, DestinationError } from "../../lib/util/destination.ts";
import { projectPath } from "../../lib/util/paths.ts";

const MODEL = projectPath("data", "fixtures", "model", "tiny-bert");
const CORPUS = projectPath("data", "fixtures", "corpus");

async function run(
  cli: string,
  args: string[],
  options: { stdout?: "piped" | "null"; shell?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = options.shell
    ? new Deno.Command("bash", {
      args: ["-c", `"${Deno.execPath()}" run -A ${projectPath("lib", "cli", cli)} ${options.shell}`],
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", projectPath("lib", "cli", cli), ...args],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: options.stdout ?? "piped",
      stderr: "piped",
    });
  const output = await command.output();
  const decode = (bytes: Uint8Array | null) => bytes ? new TextDecoder().decode(bytes) : "";
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** The stderr lines that are the command's own error line or a stack trace. */
function errorLines(stderr: string, command: string): string[] {
  return stderr.split("\n").filter((line) =>
    line.startsWith(`${command}:`) || /^\s+at |Uncaught|error: /.test(line)
  );
}

/** Mounts a tmpfs of `size` (root only); undefined where mounting is not allowed. */
async function tmpfs(size: string, readOnly = false): Promise<string | undefined> {
  const dir = await Deno.makeTempDir();
  const options = `size=${size}${readOnly ? ",ro" : ""}`;
  const { success } = await new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", options, "tmpfs", dir] })
    .output().catch(() => ({ success: false }));
  return success ? dir : undefined;
}

async function unmount(dir: string | undefined): Promise<void> {
  if (!dir) return;
  await new Deno.Command("umount", { args: [dir] }).output();
  await Deno.remove(dir);
}

Deno.test("runCommand: every error is one line `command: what`, with the documented exit code", async () => {
  const printed: string[] = [];
  const original = console.error;
  console.error = (line: string) => printed.push(line);
  try {
    assertEquals(await runCommand("x", () => Promise.resolve(0)), 0);
    assertEquals(await runCommand("x", () => Promise.reject(new ExitError("--n must be positive", 2))), 2);
    assertEquals(await runCommand("x", () => Promise.reject(new Error("a.txt:3: bad\nmore detail"))), 1);
    assertEquals(await runCommand("x", () => Promise.reject(new Deno.errors.BrokenPipe("pipe"))), 141);
    const parseError = Object.assign(new TypeError("Unknown option '--nope'"), {
      code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
    });
    assertEquals(await runCommand("x", () => Promise.reject(parseError)), EXIT_CODES.usage);
    assertEquals(await runCommand("x", () => Promise.reject(new Error("y".repeat(5000)))), 1);
  } finally {
    console.error = original;
  }
  assertEquals(printed.slice(0, 4), [
    "x: --n must be positive",
    "x: a.txt:3: bad; more detail",
    "x: output closed by its reader (broken pipe)",
    "x: Unknown option '--nope'",
  ]);
  assert(printed[4].length < 1100, "a message quoting hostile input is cut");
});

Deno.test("checkOutputFile/checkOutputDir: kind, missing folder, read-only and full file systems", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await checkOutputFile(join(dir, "out.jsonl"));
    await checkOutputDir(join(dir, "new", "deeper", "bio"));
    assertEquals([...Deno.readDirSync(dir)], [], "the probes leave nothing behind");
    const isDir = await assertRejects(() => checkOutputFile(dir), DestinationError);
    assertStringIncludes(isDir.message, "it is a folder");
    await assertRejects(
      () => checkOutputFile(join(dir, "missing", "out.jsonl")),
      DestinationError,
      "does not exist",
    );
    await Deno.writeTextFile(join(dir, "file"), "");
    await assertRejects(() => checkOutputDir(join(dir, "file")), DestinationError, "not a folder");
    await assertRejects(() => checkOutputFile("/dev/null"), DestinationError, "not a regular file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const readOnly = await tmpfs("64k", true);
  const full = await tmpfs("64k");
  try {
    if (readOnly) {
      await assertRejects(() => checkOutputFile(join(readOnly, "out.jsonl")), DestinationError, "Read-only");
    }
    if (full) {
      await Deno.writeFile(join(full, "fill"), new Uint8Array(64 * 1024)).catch(() => {});
      await assertRejects(() => checkOutputDir(join(full, "bio")), DestinationError, "No space left");
    }
  } finally {
    await unmount(readOnly);
    await unmount(full);
  }
});

Deno.test("ner: -o onto a folder, into a missing or read-only folder, an input folder: one line before the work", async () => {
  const dir = await Deno.makeTempDir();
  const readOnly = await tmpfs("64k", true);
  try {
    await Deno.writeTextFile(join(dir, "in.txt"), "Aspirin.\n");
    const cases: [string[], string][] = [
      [["-o", dir, join(dir, "in.txt")], `ner: cannot write ${dir}: it is a folder (give a file name)`],
      [
        ["-o", join(dir, "no", "out.jsonl"), join(dir, "in.txt")],
        `its folder ${join(dir, "no")} does not exist`,
      ],
      [["-o", join(dir, "out.jsonl"), dir], `ner: cannot open ${dir}: it is a folder, not a file`],
    ];
    if (readOnly) {
      cases.push([["-o", join(readOnly, "out.jsonl"), join(dir, "in.txt")], "Read-only file system"]);
    }
    for (const [args, expected] of cases) {
      const { code, stderr } = await run("ner.ts", ["--model", MODEL, "--workers", "1", ...args]);
      assert(code === 1 || code === 2, `${args}: exit ${code}`);
      const ours = errorLines(stderr, "ner");
      assertEquals(ours.length, 1, stderr);
      assertStringIncludes(ours[0], expected);
      // Checked before the model was loaded: no runtime or progress line came first.
      assert(!stderr.includes("[ner] runtime") && !stderr.includes("docs"), stderr);
    }
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["in.txt"]);
  } finally {
    await unmount(readOnly);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ner: stdout closed early or full is one line with its exit code; no stack trace", async () => {
  const texts = Array.from({ length: 200 }, (_, i) => `--text "Aspirin ${i} caused nausea."`).join(" ");
  const closed = await run("ner.ts", [], {
    shell: `--model ${MODEL} ${texts} 2>/tmp/ner_pipe_$$.err | head -c 10 >/dev/null; ` +
      `echo "exit \${PIPESTATUS[0]}"; cat /tmp/ner_pipe_$$.err; rm -f /tmp/ner_pipe_$$.err`,
  });
  assertStringIncludes(closed.stdout, `exit ${EXIT_CODES.brokenPipe}`);
  assertEquals(errorLines(closed.stdout, "ner"), ["ner: output closed by its reader (broken pipe)"]);
  const full = await run("ner.ts", [], { shell: `--model ${MODEL} --text Aspirin >/dev/full` });
  assertEquals(full.code, 1);
  assertEquals(errorLines(full.stderr, "ner").length, 1, full.stderr);
  assertMatch(errorLines(full.stderr, "ner")[0], /^ner: No space left on device/);
});

Deno.test("convert: an empty split is refused in one line, and nothing is written", async () => {
  const corpus = await Deno.makeTempDir();
  const out = join(await Deno.makeTempDir(), "bio");
  try {
    for (const entry of Deno.readDirSync(join(CORPUS, "pubtator"))) {
      await Deno.copyFile(join(CORPUS, "pubtator", entry.name), join(corpus, entry.name));
    }
    const test = [...Deno.readDirSync(corpus)].find((e) => /test/i.test(e.name))!.name;
    await Deno.writeTextFile(join(corpus, test), "");
    const { code, stderr } = await run("convert.ts", ["--dir", corpus, "--out", out]);
    assertEquals(code, 1);
    assertEquals(errorLines(stderr, "convert"), [
      `convert: ${join(corpus, test)}:1: the test split has no documents`,
    ]);
    assertEquals(await Deno.stat(out).then(() => true, () => false), false);
    // An output folder that is a file: found before the corpus is read.
    await Deno.writeTextFile(out, "");
    const onFile = await run("convert.ts", ["--dir", CORPUS, "--out", out]);
    assertEquals(errorLines(onFile.stderr, "convert"), [
      `convert: cannot write ${out}: it exists and is not a folder`,
    ]);
    assert(!onFile.stderr.includes("loaded"), onFile.stderr);
  } finally {
    await Deno.remove(corpus, { recursive: true });
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
});

Deno.test("serve: a port in use, an out-of-range port, an address not of this machine: one line each", async () => {
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const cases: [string[], number, string][] = [
    [["--port", "99999"], 2, "serve: --port must be at most 65535"],
    [["--port", String(busy.addr.port)], 1, "the port is in use"],
    [["--host", "192.0.2.1", "--port", "0"], 1, "the address is not one of this machine's"],
  ];
  for (const [args, expectedCode, expected] of cases) {
    const { code, stderr } = await run("serve.ts", ["--model", MODEL, ...args]);
    assertEquals(code, expectedCode, stderr);
    const ours = errorLines(stderr, "serve");
    assertEquals(ours.length, 1, stderr);
    assertStringIncludes(ours[0], expected);
  }
});
