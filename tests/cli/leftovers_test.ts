/**
 * What a SIGKILL leaves is cleaned by the next run, and a job whose `deno task` wrapper (or `--workers`
 * coordinator) is SIGKILLed stops instead of running on and writing its output.
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { projectPath } from "../../lib/util/paths.ts";

const CLI = projectPath("lib", "cli", "ner.ts");
const MODEL = projectPath("data", "fixtures", "model", "tiny-bert");

/** A text input long enough that tagging it takes tens of seconds on the fixture model. */
async function longInput(dir: string): Promise<string> {
  const path = join(dir, "in.txt");
  const line = "Naloxone reverses the antihypertensive effect of clonidine in rats treated with cisplatin.\n";
  await Deno.writeTextFile(path, line.repeat(20_000));
  return path;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < timeoutMs;) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const alive = (pid: number) => {
  try {
    return !Deno.readTextFileSync(`/proc/${pid}/stat`).includes(") Z ");
  } catch {
    return false;
  }
};
/** The pids of processes whose command line mentions `text`. */
function processesWith(text: string): number[] {
  return [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).flatMap((e) => {
    try {
      return Deno.readTextFileSync(`/proc/${e.name}/cmdline`).includes(text) ? [Number(e.name)] : [];
    } catch {
      return [];
    }
  });
}

Deno.test("a SIGKILLed `ner -o` leaves OUT.tmp-…; the next run removes it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = await longInput(dir);
    const out = join(dir, "out.jsonl");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "--model", MODEL, "--workers", "1", "-o", out, input],
      stdout: "null",
      stderr: "null",
    }).spawn();
    assert(await waitFor(() => names(dir).some((n) => n.startsWith("out.jsonl.tmp-")), 60_000));
    child.kill("SIGKILL");
    await child.status;
    assertEquals(names(dir).filter((n) => n.startsWith("out.jsonl.tmp-")).length, 1, "the kill's leftover");
    await Deno.writeTextFile(input, "Aspirin.\n");
    const again = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "--model", MODEL, "--workers", "1", "-o", out, input],
      stdout: "null",
      stderr: "null",
    }).output();
    assertEquals(again.code, 0);
    assertEquals(names(dir), ["in.txt", "out.jsonl"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a SIGKILLed --workers coordinator: its workers stop, its scratch folder goes with the next run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = await longInput(dir);
    const out = join(dir, "out.jsonl");
    const args = ["run", "-A", CLI, "--model", MODEL, "--workers", "2", "-o", out, input];
    const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
    const scratch = () => names(dir).filter((n) => n.startsWith("ner-workers"));
    assert(await waitFor(() => scratch().length === 1, 60_000), names(dir).join(" "));
    const workers = () => processesWith(join(dir, scratch()[0] ?? "none"));
    assert(await waitFor(() => workers().length === 2, 60_000), "two workers started");
    const started = workers();
    child.kill("SIGKILL");
    await child.status;
    // Within seconds: a signal (or the parent poll) is handled when the event loop turns between batches.
    assert(await waitFor(() => started.every((pid) => !alive(pid)), 30_000), "orphaned workers stopped");
    await Deno.writeTextFile(input, "Aspirin.\n");
    const again = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).output();
    assertEquals(again.code, 0);
    assertEquals(names(dir), ["in.txt", "out.jsonl"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGKILLing the `deno task ner` wrapper stops the job: no output is written after", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = await longInput(dir);
    const out = join(dir, "out.jsonl");
    const wrapper = new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--config",
        projectPath("deno.json"),
        "ner",
        "--model",
        MODEL,
        "--workers",
        "1",
        "-o",
        out,
        input,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    assert(await waitFor(() => names(dir).some((n) => n.startsWith("out.jsonl.tmp-")), 60_000));
    const [job] = processesWith(out).filter((pid) => pid !== wrapper.pid);
    assert(job !== undefined, "the job under the wrapper");
    wrapper.kill("SIGKILL");
    await wrapper.status;
    assert(await waitFor(() => !alive(job), 30_000), "the job stopped within seconds of its wrapper");
    assertEquals(names(dir).includes("out.jsonl"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
