/**
 * `deno task ner` on several processes: `--workers N`, GNU parallel shards and `--shard env` all give the
 * bytes one process writes (the tiny fixture model; its entities are random, the bytes are what counts).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { BertForTokenClassification } from "../../lib/model/bert/network.ts";
import { makeBertConfig } from "../../lib/model/bert/config.ts";
import { saveTokenClassifier } from "../../lib/model/bert/pretrained.ts";

const CLI = new URL("../../lib/cli/ner.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const MODEL = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;
const BC5CDR_TEST = `${Deno.env.get("BC5CDR_DIR")}/pubtator/CDR_TestSet.PubTator.txt`;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function run(
  command: string,
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(command, {
    args,
    env: options.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin ?? ""));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

const ner = (args: string[], options?: { stdin?: string; env?: Record<string, string> }) =>
  run(Deno.execPath(), ["run", "-A", "--config", CONFIG, CLI, "--model", MODEL, ...args], options);

async function found(command: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${command}`])).code === 0;
}

function whyNot(): string | undefined {
  try {
    Deno.statSync(BC5CDR_TEST);
  } catch {
    return `no BC5CDR test set at ${BC5CDR_TEST} (set BC5CDR_DIR)`;
  }
}

const parallelMissing = await found("parallel")
  ? undefined
  : "GNU parallel is not installed (apt install parallel)";
const skipped = whyNot() ?? parallelMissing;
if (skipped) console.warn(`ner_workers_test: skipping the BC5CDR test: ${skipped}`);

Deno.test({
  name: "BC5CDR test abstracts: GNU parallel with 4 shards and --workers 2 write exactly one process's bytes",
  ignore: skipped !== undefined,
  async fn() {
    const single = await ner(["--workers", "1", BC5CDR_TEST]);
    assertEquals(single.code, 0, single.stderr);
    assertEquals(single.stdout.trimEnd().split("\n").length, 500);
    // The README's recipe: -k prints the jobs' outputs in argument order, i.e. shard order.
    const shards = await run("parallel", [
      "-k",
      "-j",
      "4",
      "--halt",
      "now,fail=1",
      Deno.execPath(),
      "run",
      "-A",
      "--config",
      CONFIG,
      CLI,
      "--model",
      MODEL,
      "--workers",
      "1",
      "--shard",
      "{}/4",
      BC5CDR_TEST,
      ":::",
      "0",
      "1",
      "2",
      "3",
    ]);
    assertEquals(shards.code, 0, shards.stderr);
    assertEquals(shards.stdout, single.stdout);
    const workers = await ner(["--workers", "2", BC5CDR_TEST]);
    assertEquals(workers.code, 0, workers.stderr);
    assertEquals(workers.stdout, single.stdout);
    const summary = JSON.parse(workers.stderr.trimEnd().split("\n").at(-1)!);
    assertEquals([summary.workers, summary.documents], [2, 500]);
  },
});

Deno.test("--workers 3 on stdin: same bytes as one process, a malformed line reported once; --strict stops all", async () => {
  const lines = Array.from({ length: 70 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `Aspirin ${i}.` }));
  lines.splice(40, 0, "{oops");
  const input = lines.join("\n") + "\n";
  const one = await ner(["--workers", "1"], { stdin: input });
  const three = await ner(["--workers", "3"], { stdin: input });
  assertEquals([one.code, three.code], [0, 0], three.stderr);
  assertEquals(three.stdout, one.stdout);
  assertEquals(three.stderr.split("stdin:41: not valid JSON").length, 2, three.stderr);
  const summary = JSON.parse(three.stderr.trimEnd().split("\n").at(-1)!);
  assertEquals([summary.workers, summary.documents, summary.malformed], [3, 70, 1]);

  const strict = await ner(["--workers", "3", "--strict"], { stdin: input });
  assertEquals([strict.code, strict.stdout], [1, ""]);
  assertStringIncludes(strict.stderr, "ner: stdin:41: not valid JSON");
  assertStringIncludes(strict.stderr, "(--strict: stopped)");
});

Deno.test("--shard env reads a Slurm array task and a Kubernetes completion index", async () => {
  const input = Array.from({ length: 70 }, (_, i) => `Sentence ${i} about aspirin.`).join("\n");
  const explicit = await ner(["--workers", "1", "--shard", "1/2"], { stdin: input });
  const slurm = await ner(["--workers", "1", "--shard", "env"], {
    stdin: input,
    env: { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "2" },
  });
  const kubernetes = await ner(["--workers", "1", "--shard", "env/2"], {
    stdin: input,
    env: { JOB_COMPLETION_INDEX: "1" },
  });
  assertEquals([explicit.code, slurm.code, kubernetes.code], [0, 0, 0], slurm.stderr + kubernetes.stderr);
  assertEquals(explicit.stdout.trimEnd().split("\n").length, 38);
  assertEquals(slurm.stdout, explicit.stdout);
  assertEquals(kubernetes.stdout, explicit.stdout);
  // A machine's shard split again between its workers: the same bytes.
  const split = await ner(["--workers", "2", "--shard", "1/2"], { stdin: input });
  assertEquals(split.stdout, explicit.stdout);
});

Deno.test({
  name:
    "a model wide enough for TensorFlow to thread its matmuls: --workers 2 still writes --workers 1's bytes",
  ignore: whyNot() !== undefined,
  async fn() {
    // Hidden 256 (cpu-small's width): at this size a 2-thread matmul sums in another order than a 1-thread one,
    // so this fails if a process's thread count depended on N. The tiny vocab keeps the folder small.
    await initBackend();
    const vocab = (await Deno.readTextFile(join(MODEL, "vocab.txt"))).trimEnd().split("\n");
    const config = makeBertConfig({
      vocab_size: vocab.length,
      hidden_size: 256,
      num_hidden_layers: 1,
      num_attention_heads: 4,
      intermediate_size: 1024,
      max_position_embeddings: 128,
    }, { labels: ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"] });
    const model = BertForTokenClassification.create(config, { seed: 3 });
    const dir = await Deno.makeTempDir();
    try {
      await saveTokenClassifier(model, join(dir, "wide"), { vocab });
      const abstracts = (await Deno.readTextFile(BC5CDR_TEST)).split("\n\n").slice(0, 64).join("\n\n") + "\n";
      const args = (
        workers: string,
      ) => ["run", "-A", "--config", CONFIG, CLI, "--model", join(dir, "wide"), "--workers", workers];
      const one = await run(Deno.execPath(), args("1"), { stdin: abstracts });
      const two = await run(Deno.execPath(), args("2"), { stdin: abstracts });
      assertEquals([one.code, two.code], [0, 0], one.stderr + two.stderr);
      assertEquals(one.stdout.trimEnd().split("\n").length, 64);
      assertEquals(two.stdout, one.stdout);
    } finally {
      model.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
