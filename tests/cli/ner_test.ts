/**
 * `deno task ner` as a user runs it (a subprocess, the tiny fixture model on the pure-JS backend): inputs from
 * --text, stdin and files, JSONL and PubTator output, shards, malformed lines, --strict, --output, --logits.
 * The tiny model's predictions are random: what is checked is the command's contract, not its entities.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { parsePubTator } from "../../lib/corpus/readers/pubtator.ts";
import { wordModelFolder } from "../predict/word_model.ts";

const CLI = new URL("../../lib/cli/ner.ts", import.meta.url).pathname;
const MODEL = new URL("../../data/fixtures/model/tiny-bert", import.meta.url).pathname;

async function ner(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "--model", MODEL, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

function jsonLines(
  text: string,
): { id: string; text: string; entities: { start: number; end: number; text: string }[] }[] {
  return text.trimEnd().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1)!;

/** Python's `text[start:end]`: offsets in code points. */
const pythonSlice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");

Deno.test("--text: JSONL results on stdout, offsets in code points (as Python slices), summary last on stderr", async () => {
  const { code, stdout, stderr } = await ner([
    "--text",
    "Naloxone reverses the effect of clonidine.",
    "--text",
    "Cisplatin, cisplatin and 😀 cisplatin.",
    "--text",
    "IL-2 and α-tocopherol 😀 were given; 𝛼-tocopherol again.",
    "--aggregation",
    "none",
  ]);
  assertEquals(code, 0, stderr);
  const results = jsonLines(stdout);
  assertEquals(results.map((r) => r.id), ["text:1", "text:2", "text:3"]);
  for (const r of results) {
    for (const e of r.entities) assertEquals(pythonSlice(r.text, e.start, e.end), e.text);
  }
  // The random tiny model tags most subwords under "none": some lie after the astral characters.
  const astral = results.slice(1).flatMap((r) =>
    r.entities.filter((e) => e.start > [...r.text].indexOf("😀"))
  );
  assert(astral.length > 0, "no entity after an astral character: the check above proves nothing");
  const summary = JSON.parse(lastLine(stderr));
  assertEquals([summary.documents, summary.aggregation, summary.malformed], [3, "none", 0]);
});

Deno.test("stdin lines; --shard i/n takes contiguous runs of 32-document blocks that concatenate to the whole", async () => {
  const input = Array.from({ length: 70 }, (_, i) => `Sentence ${i} about aspirin.`).join("\n");
  const run = async (args: string[]) => {
    const { code, stdout, stderr } = await ner(args, input);
    assertEquals(code, 0, stderr);
    return stdout;
  };
  const whole = await run(["--workers", "1"]);
  const [first, second] = [await run(["--shard", "0/2"]), await run(["--shard", "1/2"])];
  // 70 documents = blocks of 32, 32 and 6: shard 0 has block 0, shard 1 blocks 1 and 2.
  assertEquals(jsonLines(first).map((r) => r.id), Array.from({ length: 32 }, (_, i) => `stdin:${i + 1}`));
  assertEquals(first + second, whole);
});

Deno.test("a PubTator file to PubTator output: a bad annotation line is reported at file:line and skipped, its document tagged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/in.PubTator.txt`;
    await Deno.writeTextFile(
      path,
      "1|t|Aspirin title.\n1|a|Abstract one.\n\n2|t|Broken.\n2|a|Doc.\n2\t0\t99\tx\tChemical\t-1\n\n" +
        "3|t|Three.\n3|a|Ok.\n\n4|t|No abstract.\n",
    );
    const { code, stdout, stderr } = await ner(["--format", "pubtator", path]);
    assertEquals(code, 0, stderr);
    assertStringIncludes(
      stderr,
      `${path}:6: mention offsets [0, 99) outside the document text (length 12) (line skipped)`,
    );
    assertStringIncludes(stderr, `${path}:11: document 4 has a title line but no abstract line`);
    assertEquals(parsePubTator(stdout).map((d) => d.id), ["1", "2", "3"]);
    assertEquals(JSON.parse(lastLine(stderr)).malformed, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--input-format pubtator on a file as NCBI's tools write it today (five-field relation lines): all 600 documents tagged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/bioRED-like.PubTator.txt`;
    const documents = Array.from({ length: 600 }, (_, i) => {
      const id = 10491763 + i;
      const title = i % 3 ? "Aspirin and ulcers." : "😀 𝛼-Tocopherol and ulcers.";
      const mention = i % 3 ? [0, 7, "Aspirin"] : [2, 14, "𝛼-Tocopherol"];
      return [
        `${id}|t|${title}`,
        `${id}|a|Ulcers after treatment.`,
        `${id}\t${mention.join("\t")}\tChemical\tD001241`,
        `${id}\tAssociation\tD001241\tD014456\tNovel`,
        `${id}\tPositive_Correlation\tD001241\tD014456\tNo`,
      ].join("\n");
    });
    await Deno.writeTextFile(path, documents.join("\n\n") + "\n");
    const { code, stdout, stderr } = await ner(["--input-format", "pubtator", "--workers", "1", path]);
    assertEquals(code, 0, stderr);
    const results = jsonLines(stdout);
    assertEquals(results.length, 600);
    assertEquals(results[0].text, "😀 𝛼-Tocopherol and ulcers. Ulcers after treatment.");
    const summary = JSON.parse(lastLine(stderr));
    assertEquals([summary.documents, summary.malformed], [600, 0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--strict stops at the first malformed line (exit 1) and leaves no --output file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/in.jsonl`, '{"text": "Aspirin."}\n{oops\n{"text": "Fever."}\n');
    const strict = await ner(["--strict", "--output", `${dir}/out.jsonl`, `${dir}/in.jsonl`]);
    assertEquals(strict.code, 1);
    assertStringIncludes(strict.stderr, `${dir}/in.jsonl:2: not valid JSON`);
    assertEquals(await Deno.stat(`${dir}/out.jsonl`).then(() => true, () => false), false);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["in.jsonl"]);

    const lenient = await ner(["--output", `${dir}/out.jsonl`, `${dir}/in.jsonl`]);
    assertEquals(lenient.code, 0, lenient.stderr);
    const summary = JSON.parse(lastLine(lenient.stdout)); // with --output the summary is on stdout
    assertEquals([summary.documents, summary.malformed, summary.output], [2, 1, `${dir}/out.jsonl`]);
    assertEquals(jsonLines(await Deno.readTextFile(`${dir}/out.jsonl`)).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad options are refused with a clear message; --logits prints one window's logits", async () => {
  const bad = await ner(["--shard", "3/2", "--text", "x"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "--shard must be i/n");
  const logits = await ner(["--logits", "Aspirin"]);
  assertEquals(logits.code, 0, logits.stderr);
  const report = JSON.parse(lastLine(logits.stdout));
  assertEquals(report.tokens[0], "[CLS]");
  assert(report.logits.every((row: number[]) => row.length === 5));
});

Deno.test("--logits on a damaged model folder: one clear line naming the file, no stack trace, exit 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const file of ["config.json", "vocab.txt"]) {
      await Deno.copyFile(`${MODEL}/${file}`, `${dir}/${file}`);
    }
    // A 6-byte pickle whose string length is negative.
    await Deno.writeFile(`${dir}/pytorch_model.bin`, Uint8Array.of(0x54, 0xfb, 0xff, 0xff, 0xff, 0x2e));
    const { code, stderr } = await ner(["--model", dir, "--logits", "Aspirin"]);
    assertEquals(code, 1);
    // (Other stderr lines, e.g. a WebGPU probe's warning where XDG_RUNTIME_DIR is unset, are not ours.)
    const ours = stderr.split("\n").filter((line) =>
      line.startsWith("ner:") || /^\s+at |Uncaught/.test(line)
    );
    assertEquals(ours, [`ner: ${dir}/pytorch_model.bin: negative length -5 (at byte 5)`], stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a word-level folder with an absurd max_word_chars: one line naming the field, exit 1, no output", async () => {
  await using folder = await wordModelFolder();
  const configPath = `${folder.dir}/config.json`;
  const config = JSON.parse(await Deno.readTextFile(configPath));
  // No weight depends on it, so the folder loaded, and a 215 KB line then took > 2.5 GB.
  await Deno.writeTextFile(configPath, JSON.stringify({ ...config, max_word_chars: 1_000_000 }));
  const output = `${folder.dir}/out.jsonl`;
  const { code, stderr } = await ner(["--model", folder.dir, "--text", "Aspirin", "-o", output]);
  assertEquals(code, 1);
  const ours = stderr.split("\n").filter((line) => line.startsWith("ner:") || /^\s+at |Uncaught/.test(line));
  // One line: the field, then which runtime tried to load it and why (lib/predict/runtime.ts).
  assertEquals(ours.length, 1, stderr);
  assertStringIncludes(
    ours[0],
    `ner: cannot load model ${folder.dir}: ${configPath}: invalid word-crf config: ` +
      "max_word_chars must be an integer in [2, 256], got 1000000 (runtime tfjs: auto: ",
  );
  assertEquals(await filesIn(folder.dir), ["config.json", "model.safetensors", "vocab.json"]);
});

/** The files in `dir`, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir), (entry) => entry.name)).sort();
}

for (
  const [signal, code, workers] of [["SIGTERM", 143, 1], ["SIGINT", 130, 1], ["SIGTERM", 143, 2]] as const
) {
  Deno.test(`-o OUT --workers ${workers}: ${signal} while the job runs leaves nothing behind`, async () => {
    const dir = await Deno.makeTempDir();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "--model", MODEL, "-o", `${dir}/out.jsonl`, "--workers", String(workers)],
      stdin: "piped", // left open: the job waits for more documents
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode("Aspirin caused renal failure.\n"));
      // The temporary output appears once the model is loaded; with workers, the parent also makes the folder of
      // their part files (it is still reading stdin into it when the signal comes).
      const expected = workers === 1 ? 1 : 2;
      for (let waited = 0; (await filesIn(dir)).length < expected; waited += 100) {
        assert(waited < 60_000, `not ${expected} temporary files after 60 s: ${await filesIn(dir)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert((await filesIn(dir)).some((name) => name.startsWith(`out.jsonl.tmp-${child.pid}-`)));
      child.kill(signal);
      const status = await child.status;
      assertEquals(status.code, code);
      assertEquals(await filesIn(dir), []);
      await writer.close().catch(() => {});
    } finally {
      await child.stderr.cancel();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("-o OUT: an unreadable or invalid UTF-8 input ends with one line and no OUT.tmp-PID", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const latin1 = `${dir}/latin1.txt`;
    await Deno.writeFile(latin1, Uint8Array.from([...new TextEncoder().encode("fine\ncaf"), 0xe9, 0x0a]));
    const invalid = await ner(["-o", `${dir}/out.jsonl`, latin1]);
    assertEquals(invalid.code, 1);
    assert(invalid.stderr.includes(`ner: ${latin1}:2: invalid UTF-8 at byte offset 8`), invalid.stderr);
    assertEquals(await filesIn(dir), ["latin1.txt"]);
    // A missing second input is found before the work: no OUT.tmp-… is made.
    await Deno.writeTextFile(`${dir}/good.txt`, "Aspirin caused renal failure.\n");
    const missing = await ner([
      "-o",
      `${dir}/out.jsonl`,
      `${dir}/good.txt`,
      `${dir}/missing.txt`,
    ]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, `cannot open ${dir}/missing.txt: no such file`);
    assertEquals(await filesIn(dir), ["good.txt", "latin1.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
