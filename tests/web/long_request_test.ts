/**
 * `serve` with a word-level model and one long "sentence" within the limits (issue 27, item 4): twenty
 * thousand `(` took the server's RSS from 290 MB to 2.0 GB, and it stayed above 2.1 GB afterwards. The
 * sentence is now read in pieces of at most 256 words: the peak and what stays afterwards are bounded.
 */
import { assert, assertEquals } from "@std/assert";
import { wordModelFolder } from "../predict/word_model.ts";
import { spawnServe } from "./helpers.ts";

/** A line of /proc/PID/status in MiB: VmRSS (now) or VmHWM (the peak so far). */
function memoryMiB(pid: number, key: "VmRSS" | "VmHWM"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Math.round(Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)![1]) / 1024);
}

Deno.test("serve: 20,000 `(` in one request tags in bounded memory, and the memory stays bounded after", async () => {
  await using folder = await wordModelFolder();
  const { child, url } = await spawnServe(["--model", folder.dir]);
  const post = async (text: string) => {
    const response = await fetch(`${url}/api/ner`, { method: "POST", body: JSON.stringify({ text }) });
    return { status: response.status, body: await response.json() };
  };
  try {
    assertEquals((await post("Cisplatin caused nephrotoxicity.")).status, 200);
    const before = memoryMiB(child.pid, "VmRSS");
    const started = performance.now();
    const first = await post("(".repeat(20_000));
    const seconds = (performance.now() - started) / 1000;
    assertEquals(first.status, 200, JSON.stringify(first.body));
    const peak = memoryMiB(child.pid, "VmHWM"), after = memoryMiB(child.pid, "VmRSS");
    assertEquals((await post("(".repeat(20_000))).status, 200);
    const again = memoryMiB(child.pid, "VmRSS");
    console.log(
      `RSS ${before} MiB → peak ${peak}, after ${after}, after a second request ${again} (${
        seconds.toFixed(1)
      } s)`,
    );
    // Read whole, the sentence took ~30 KB per word at these sizes (+580 MB; 10 s: over the time limit).
    assert(peak - before < 250, `peak ${peak} MiB, ${before} before the request`);
    assert(after - before < 200 && again - before < 200, `RSS ${before} → ${after} → ${again} MiB`);
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
});
