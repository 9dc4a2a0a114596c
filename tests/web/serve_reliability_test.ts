/**
 * `serve` under conditions that used to go wrong: refusals that Python's urllib (no `Expect: 100-continue`)
 * could not read, a model that cannot serve behind a healthy `/healthz`, and a crash on a normal stop.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { serveNer } from "../../lib/web/server.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { spawnServe, startKeywordApp } from "./helpers.ts";

const MODEL = projectPath("data", "fixtures", "model", "tiny-bert");

/** The statuses Python's urllib gets for an oversized body and an oversized header, as it reports them. */
const PYTHON_CLIENT = `
import sys, urllib.request, urllib.error
url = sys.argv[1]
def post(data, headers):
    request = urllib.request.Request(url + "/api/ner", data=data, method="POST",
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=20) as response: return str(response.status)
    except urllib.error.HTTPError as error: return str(error.code)
    except Exception as error: return type(error).__name__ + ": " + str(error)
print(post(b'{"text": "' + b"a" * (2 << 20) + b'"}', {}))
print(post(b'{"text": "x"}', {"x-big": "b" * (4 << 20)}))
print(post(b'{"text": "Aspirin"}', {}))
`;

Deno.test("an oversized body (413) or header (431) reaches Python's urllib as its status, not a broken pipe", async () => {
  const app = await startKeywordApp();
  try {
    const { stdout, stderr } = await new Deno.Command("python3", { args: ["-c", PYTHON_CLIENT, app.url] })
      .output();
    const lines = new TextDecoder().decode(stdout).trim().split("\n");
    assertEquals(lines, ["413", "431", "200"], new TextDecoder().decode(stderr));
  } finally {
    await app.close();
  }
});

Deno.test("/healthz is 503 'unavailable' with the reason while the model cannot serve", async () => {
  let why: string | undefined = "inference worker failed: out of memory";
  const server = await serveNer({
    recognize: () => Promise.reject(new Error(why)),
    unavailable: () => why,
    modelName: "m",
    labels: ["O", "B-Chemical", "I-Chemical"],
    port: 0,
  });
  try {
    const down = await fetch(`${server.url}/healthz`);
    assertEquals(down.status, 503);
    assertEquals(await down.json(), { status: "unavailable", model: "m", error: why });
    why = undefined;
    assertEquals((await (await fetch(`${server.url}/healthz`)).json()).status, "ok");
  } finally {
    await server.close();
  }
});

Deno.test("a vocab.txt larger than the model's embeddings: serve and ner refuse at load in one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const entry of Deno.readDirSync(MODEL)) {
      await Deno.copyFile(`${MODEL}/${entry.name}`, `${dir}/${entry.name}`);
    }
    const extra = Array.from({ length: 50 }, (_, i) => `extra${i}\n`).join("");
    await Deno.writeTextFile(`${dir}/vocab.txt`, extra, { append: true });
    // Text made of the added tokens: their ids have no embedding row.
    const text = Array.from({ length: 50 }, (_, i) => `extra${i}`).join(" ");
    for (
      const [cli, args, code] of [["serve.ts", ["--port", "0"], 1], ["ner.ts", ["--text", text], 1]] as const
    ) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", projectPath("lib", "cli", cli), "--model", dir, ...args],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000), // a serve that starts anyway is stopped: the test then fails
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.code, code, stderr);
      const ours = stderr.split("\n").filter((l) => /^(serve|ner):|^\s+at |Uncaught/.test(l));
      assertEquals(ours.length, 1, stderr);
      assertStringIncludes(ours[0], `${dir}/vocab.txt has 187 tokens but the model has 137 word embeddings`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Stops measured: the crash (exit handlers of a GL driver the inference Worker's teardown unloads) came in
 * about 1 of 20 stops, so 10 stops catch it about 40 % of the time; `/tmp/serve_loop`-style runs of 60 measure it. */
const STOPS = 10;

Deno.test(`serve stopped ${STOPS} times by SIGINT/SIGTERM: every stop exits 0 after "[serve] stopped"`, async () => {
  const failures: string[] = [];
  for (let i = 0; i < STOPS; i++) {
    const signal = i % 2 === 0 ? "SIGTERM" : "SIGINT";
    const { child, url, stderr } = await spawnServe(["--model", MODEL]);
    const response = await fetch(`${url}/api/ner`, {
      method: "POST",
      body: JSON.stringify({ text: "Aspirin." }),
    });
    assertEquals(response.status, 200);
    await response.body?.cancel();
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000); // a hung stop fails, bounded
    const status = await child.status;
    clearTimeout(timer);
    const log = await stderr;
    if (status.code !== 0 || !log.includes("[serve] stopped")) {
      failures.push(
        `stop ${i + 1} (${signal}): exit ${status.code} signal ${status.signal}; ${log.slice(-300)}`,
      );
    }
  }
  assert(failures.length === 0, failures.join("\n"));
});
