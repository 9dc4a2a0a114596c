/**
 * `deno task page` end to end with a real export, as docs/onnx.md prints it: a word-level model trained here
 * (bilstm-crf-smoke on the synthetic fixtures, seconds; document consistency rules switched on in its config),
 * exported and written as a page folder by the page's printed commands (`deno task export-onnx`, `deno task
 * page`), served by its printed static server (Python's, on a free port, from 127.0.0.1) and driven in Debian
 * Chromium: typed texts (with astral characters: 😀, 𝛼) must come out with the
 * entities, types and code-point offsets of `deno task ner` on the same folder, scores within the table's
 * rounding (and, read from the page's own modules, within 1e-5). Bad folders (no export, a BERT export, a
 * tampered graph or CRF file) are one message on the page, nothing tagged; `deno task page` refuses them and
 * writes nothing. A screenshot goes to outputs/browser/static_page.png for a person to look at.
 */
import { assert, assertEquals, assertGreater, assertLess, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { readSafetensors, serializeSafetensors } from "../../lib/model/formats/safetensors.ts";
import { trainProfile } from "../../lib/train/mod.ts";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { fixtureModel, NER_CLI, runCli } from "../onnx/fixture_model.ts";
import { serveStatic } from "./helpers.ts";

const PAGE_CLI = projectPath("lib", "cli", "page.ts");

interface Entity {
  start: number;
  end: number;
  text: string;
  type: string;
  score: number;
}

/** The fixture's test sentences as texts with astral characters, line breaks and an abbreviation. */
async function typedTexts(): Promise<string[]> {
  const lines = (await Deno.readTextFile(projectPath("data", "fixtures", "train", "test.jsonl"))).trim()
    .split("\n");
  const sentences = lines.map((line) =>
    JSON.parse(line).words.map((w: { text: string }) => w.text).join(" ")
  );
  const decorated = sentences.map((s, i) => i % 3 === 0 ? `😀 ${s}` : i % 4 === 1 ? `𝛼 ${s}` : s);
  return [
    decorated.slice(0, 16).join(" "),
    `We describe a case of chronic kidney disease (CKD) . CKD was reported after cocaine .\n` +
    decorated.slice(16, 32).join("\n"),
    decorated.slice(32).join(" "),
  ];
}

/** The sh block of docs/onnx.md's section on the page: export, page, serve. */
async function printedCommands(): Promise<{ exportLine: string; pageLine: string; serveLine: string }> {
  const text = await Deno.readTextFile(projectPath("docs", "onnx.md"));
  const section = text.slice(text.indexOf("## In a browser, without a server"));
  const [exportLine, pageLine, serveLine, ...rest] =
    /```sh\n([\s\S]*?)```/.exec(section)?.[1].trim().split("\n") ??
      [];
  assert(exportLine?.startsWith("deno task export-onnx --model outputs/bilstm-crf/best"), exportLine);
  assert(pageLine?.startsWith("deno task page --model outputs/bilstm-crf/best --out outputs/page"), pageLine);
  assert(serveLine?.startsWith("python3 -m http.server") && serveLine.endsWith(" 8000"), serveLine);
  assertEquals(rest, []);
  return { exportLine, pageLine, serveLine };
}

/** Runs a printed command line with the model and page folders of the test in place of outputs/'s. */
async function runPrinted(line: string, paths: { model: string; out: string }) {
  const command = line.replaceAll("outputs/bilstm-crf/best", paths.model).replaceAll(
    "outputs/page",
    paths.out,
  );
  const { code, stdout, stderr } = await new Deno.Command("sh", {
    args: ["-c", command],
    cwd: projectPath(),
    env: { NER_RUNTIME: "", NER_BACKEND: "" },
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/**
 * The printed server on the page folder (a free port instead of 8000), or, without python3, the test's own
 * static server.
 */
async function servePrinted(
  serveLine: string,
  out: string,
): Promise<{ url: string; close(): Promise<void> }> {
  if (!await Deno.stat("/usr/bin/python3").then(() => true, () => false)) {
    console.warn("static_page_test: no python3, the page is served by the test's own static server");
    return serveStatic(out);
  }
  const command = serveLine.replaceAll("outputs/page", out).replace(/ 8000$/, " 0");
  const child = new Deno.Command("sh", {
    args: ["-c", `exec ${command}`],
    env: { PYTHONUNBUFFERED: "1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/port \d+/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the printed server stopped: ${seen}`);
    seen += value;
  }
  return {
    url: `http://127.0.0.1:${/port (\d+)/.exec(seen)![1]}/`,
    async close() {
      child.kill();
      await reader.cancel();
      await child.status;
    },
  };
}

let prepared: ReturnType<typeof prepare> | undefined;

/** A trained, exported word-level folder and its page (made once, for every test of this file). */
function setUp(): ReturnType<typeof prepare> {
  return prepared ??= prepare();
}

/** Trains a model, then exports it and writes its page by the printed commands. */
async function prepare() {
  const commands = await printedCommands();
  const work = await Deno.makeTempDir();
  const { layout } = await trainProfile({ profile: "bilstm-crf-smoke", outputsDir: work, quiet: true });
  const configPath = join(layout.best, "config.json");
  const config = JSON.parse(await Deno.readTextFile(configPath));
  config.consistency = { abbreviations: true, propagation: true };
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  const paths = { model: layout.best, out: join(work, "page") };
  const exported = await runPrinted(commands.exportLine, paths);
  assertEquals(exported.code, 0, exported.stderr);
  const built = await runPrinted(commands.pageLine, paths);
  assertEquals(built.code, 0, built.stderr);
  return { work, ...paths, commands, summary: JSON.parse(built.stdout) };
}

/** Opens the served page and waits until it has loaded its model or said why not. */
async function openPage(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForFunction(`document.body.dataset.state !== "loading"`, null, { timeout: 120_000 });
  return await page.evaluate(`document.body.dataset.state`) as string;
}

/** Types `text`, clicks, and reads the entity table's rows back. */
async function tagInPage(page: Page, text: string): Promise<string[][]> {
  await page.evaluate(`document.getElementById("table").innerHTML = ""`);
  await page.fill("#text", text);
  await page.click("#run");
  await page.waitForFunction(
    `document.body.dataset.state === "ready" && document.querySelector("#table table")`,
    null,
    { timeout: 60_000 },
  );
  return await page.$$eval(
    "#table tbody tr",
    (rows) => rows.map((row) => [...row.children].map((c) => c.textContent!)),
  );
}

Deno.test({
  name:
    "the static page tags typed text in Chromium as deno task ner does: entities, types, code-point offsets",
  ignore: !await hasChromium(),
  async fn() {
    const { model, out, summary, commands } = await setUp();
    assertEquals(Object.keys(summary.files).sort(), [
      "index.html",
      "model/config.json",
      "model/onnx/crf.json",
      "model/onnx/export.json",
      "model/onnx/model.onnx",
      "model/vocab.json",
      "ner_page.js",
      "ort/ort-wasm-simd-threaded.wasm",
      "ort/ort.wasm.bundle.min.mjs",
    ]);
    const texts = await typedTexts();
    // One `ner` per text, as the page tags one typed text: a sentence's scores depend on the other sentences
    // of its batch (the character CNN's max runs over the batch's padding columns, in tfjs as in the export),
    // and `ner` batches the sentences of all its texts together.
    const expected: Entity[][] = [];
    for (const text of texts) {
      const ner = await runCli(NER_CLI, ["--model", model, "--workers", "1", "--text", text]);
      assertEquals(ner.code, 0, ner.stderr);
      assertStringIncludes(ner.stderr, "runtime onnx");
      expected.push(JSON.parse(ner.stdout).entities);
    }
    const total = expected.flat().length;
    assertGreater(total, 20, `${total} entities: too few to compare`);
    // Offsets in code points: some entity stands after an astral character, where UTF-16 offsets differ.
    assert(expected.some((entities, i) => entities.some((e) => texts[i].slice(e.start, e.end) !== e.text)));

    const server = await servePrinted(commands.serveLine, out);
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [], outside: string[] = [], failed: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("request", (r) => !r.url().startsWith(server.url) && outside.push(r.url()));
      page.on("response", (r) => r.status() !== 200 && failed.push(`${r.status()} ${r.url()}`));
      assertEquals(await openPage(page, server.url), "ready", await page.textContent("#error") ?? "");
      assertEquals(await page.textContent("#heading"), "Chemical and disease mentions");
      assertEquals(await page.$$eval(".legend-entry", (els) => els.map((el) => el.textContent)), [
        "Chemical",
        "Disease",
      ]);
      let largest = 0;
      for (const [i, text] of texts.entries()) {
        const rows = await tagInPage(page, text);
        assertEquals(
          rows.map(([text, type, , start, end]) => ({ text, type, start: Number(start), end: Number(end) })),
          expected[i].map(({ text, type, start, end }) => ({ text, type, start, end })),
          `text ${i}`,
        );
        rows.forEach(([, , score], j) =>
          largest = Math.max(largest, Math.abs(Number(score) - expected[i][j].score))
        );
        const marks = await page.$$eval(
          "#result mark.entity",
          (els) => els.map((el) => el.firstChild?.textContent),
        );
        assertEquals(marks, expected[i].map((e) => e.text));
        if (i === 0) await saveScreenshot(page, "static_page.png");
      }
      assertLess(largest, 0.0005 + 1e-6, `the table shows scores to 3 decimals: largest |Δ| ${largest}`);
      // The page's own modules, in the page: full-precision scores.
      const exact = await page.evaluate(async (texts) => {
        const ort = await import("./ort/ort.wasm.bundle.min.mjs" as string);
        const { loadModelAt } = await import("./ner_page.js" as string);
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.wasmPaths = { wasm: new URL("./ort/ort-wasm-simd-threaded.wasm", location.href).href };
        const tagger = await loadModelAt({ ort, modelUrl: new URL("./model/", location.href) });
        const out = [];
        for (const text of texts) out.push(await tagger.recognize(text));
        return out;
      }, texts) as Entity[][];
      const scores = (all: Entity[][]) => all.flat().map((e) => e.score);
      assertEquals(
        exact.map((es) => es.map(({ score: _, ...e }) => e)),
        expected.map((es) => es.map(({ score: _, ...e }) => e)),
      );
      const exactLargest = Math.max(...scores(exact).map((s, i) => Math.abs(s - scores(expected)[i])));
      console.log(
        `${total} entities in ${texts.length} texts; largest |Δscore| ${exactLargest} (table: ${largest})`,
      );
      assertLess(exactLargest, 1e-5);
      assertEquals(errors, []);
      assertEquals(outside, [], "requests beyond the page's server");
      assertEquals(failed, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});

/** A copy of the page folder `out` in a new temporary folder, changed by `change(copy)`. */
async function changedPage(out: string, change: (copy: string) => Promise<void>): Promise<string> {
  const copy = join(await Deno.makeTempDir(), "page");
  const cp = await new Deno.Command("cp", { args: ["-r", out, copy] }).output();
  assert(cp.success);
  await change(copy);
  return copy;
}

/** Flips one byte in the middle of a file. */
async function flipByte(path: string): Promise<void> {
  const bytes = await Deno.readFile(path);
  bytes[bytes.length >> 1] ^= 1;
  await Deno.writeFile(path, bytes);
}

Deno.test({
  name:
    "the static page refuses a folder with no export, a BERT export, a tampered graph or CRF: one message",
  ignore: !await hasChromium(),
  async fn() {
    const { out } = await setUp();
    await using bert = await fixtureModel();
    const cases: [string, (copy: string) => Promise<void>, string][] = [
      [
        "no export",
        (copy) => Deno.remove(join(copy, "model", "onnx"), { recursive: true }),
        "has no ONNX export",
      ],
      ["a BERT export", async (copy) => {
        await Deno.remove(join(copy, "model"), { recursive: true });
        await new Deno.Command("cp", { args: ["-r", bert.dir, join(copy, "model")] }).output();
      }, "/model/config.json: a BERT model, not a word-level one (word-crf)"],
      [
        "a tampered graph",
        (copy) => flipByte(join(copy, "model", "onnx", "model.onnx")),
        "/model/onnx/model.onnx is not the file the export wrote (its SHA-256 differs)",
      ],
      [
        "a tampered CRF",
        (copy) => Deno.writeTextFile(join(copy, "model", "onnx", "crf.json"), "{}"),
        "/model/onnx/crf.json is not the file the export wrote (its SHA-256 differs)",
      ],
    ];
    const browser = await launchHeadlessChromium();
    try {
      for (const [name, change, message] of cases) {
        const server = serveStatic(await changedPage(out, change));
        try {
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on("pageerror", (error) => errors.push(error.message));
          assertEquals(await openPage(page, server.url), "error", name);
          const shown = await page.textContent("#error") ?? "";
          assertStringIncludes(shown, message, name);
          assert(!shown.includes("\n"), `${name}: one line`);
          assert(await page.isDisabled("#run"), `${name}: the button stays disabled`);
          assertEquals(await page.$$eval("mark, .legend-entry, table", (els) => els.length), 0, name);
          assertEquals(errors, [], name);
          await page.close();
        } finally {
          await server.close();
        }
      }
    } finally {
      await browser.close();
    }
  },
});

Deno.test("deno task page refuses what the page would refuse, and a stale export, writing nothing", async () => {
  const { work, model } = await setUp();
  await using bert = await fixtureModel();
  const copyOf = async (change: (dir: string) => Promise<void>) => {
    const dir = join(await Deno.makeTempDir({ dir: work }), "model");
    await new Deno.Command("cp", { args: ["-r", model, dir] }).output();
    await change(dir);
    return dir;
  };
  const cases: [string, string, string][] = [
    [
      "no export",
      await copyOf((dir) => Deno.remove(join(dir, "onnx"), { recursive: true })),
      "onnx/export.json: not found: the folder has no ONNX export",
    ],
    ["a BERT export", bert.dir, "config.json: a BERT model, not a word-level one (word-crf)"],
    [
      "a tampered graph",
      await copyOf((dir) => flipByte(join(dir, "onnx", "model.onnx"))),
      "onnx/model.onnx is not the file the export wrote (its SHA-256 differs)",
    ],
    [
      "other weights since the export",
      await copyOf(async (dir) => {
        const path = join(dir, "model.safetensors");
        const weights = await readSafetensors(path);
        for (const tensor of weights.values()) tensor.data.forEach((v, i) => tensor.data[i] = v * 1.5);
        await Deno.writeFile(path, serializeSafetensors(weights));
      }),
      "made from other weights",
    ],
  ];
  for (const [name, dir, message] of cases) {
    const out = join(work, `refused-${name.replaceAll(" ", "-")}`);
    const { code, stdout, stderr } = await runCli(PAGE_CLI, ["--model", dir, "--out", out]);
    assertEquals(code, 1, `${name}: ${stderr}`);
    assertStringIncludes(stderr, message, name);
    assertEquals(stderr.trim().split("\n").length, 1, `${name}: one line: ${stderr}`);
    assertEquals(stdout, "", name);
    assertEquals(await Deno.stat(out).then(() => true, () => false), false, `${name}: ${out} written`);
  }
  // An OUT that holds other files is not replaced.
  const occupied = join(work, "occupied");
  await Deno.mkdir(occupied);
  await Deno.writeTextFile(join(occupied, "notes.txt"), "mine");
  const refused = await runCli(PAGE_CLI, ["--model", model, "--out", occupied]);
  assertEquals(refused.code, 2, refused.stderr);
  assertStringIncludes(refused.stderr, "holds other files");
  assertEquals([...Deno.readDirSync(occupied)].map((e) => e.name), ["notes.txt"]);
  assertEquals((await runCli(PAGE_CLI, ["--model", model])).code, 2);
});

async function saveScreenshot(page: Page, name: string): Promise<void> {
  const screenshots = projectPath("outputs", "browser");
  await Deno.mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}
