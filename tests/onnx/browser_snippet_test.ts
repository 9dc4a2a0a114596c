/**
 * The browser snippet of docs/onnx.md (section "In a browser, with transformers.js"), exactly as printed, in
 * Debian Chromium: its import map page and `ner.js` are extracted from docs/onnx.md (so the test breaks when the
 * page drifts) and served from 127.0.0.1 with transformers.js' web bundle and ONNX Runtime Web from node_modules
 * and a model exported here (the tiny fixture, random weights) at `outputs/cpu-small/best`. Run with
 * `dtype: "fp32"` as printed and with `"q8"` (the one word its comment names), it must label each example
 * sentence's tokens as `deno task ner --aggregation none` does with `NER_RUNTIME=onnx` / `onnx-q8`. fp32: the
 * same label on every token, scores within 1e-4. q8: at most 2 % of the tokens labelled differently (ONNX
 * Runtime Web's int8 kernels round otherwise than the native ones: a token whose two best labels are that
 * close flips — the fixture's random weights make such near-ties common), scores of the others within 3e-2. Sentence by sentence, and only sentences
 * that fit one window (the fixture has 64 positions; 4 of the 7 sentences fit): our pipeline splits texts into
 * sentences and long ones into windows, transformers.js truncates (docs/onnx.md). No request may leave 127.0.0.1.
 */
import { assert, assertEquals, assertLess } from "@std/assert";
import { dirname, extname, join } from "node:path";
import { sentencesFromText } from "../../lib/bio/convert.ts";
import { readBertConfig } from "../../lib/model/bert/config.ts";
import { EXAMPLE_SENTENCES } from "../../lib/predict/examples.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/bert.ts";
import { hasChromium, launchHeadlessChromium } from "../../lib/util/chromium.ts";
import { fixtureModel, NER_CLI, runCli } from "./fixture_model.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const ONNX_PAGE = join(ROOT, "docs", "onnx.md");

/** The snippet's two blocks: the page (```html with the import map) and ner.js (```js starting `// ner.js`). */
async function readmeSnippet(): Promise<{ html: string; script: string }> {
  const text = await Deno.readTextFile(ONNX_PAGE);
  const section = text.slice(text.indexOf("## In a browser, with transformers.js"));
  const html = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  const script = /```js\n(\/\/ ner\.js\n[\s\S]*?)```/.exec(section)?.[1];
  if (!html?.includes("importmap") || !script) {
    throw new Error("docs/onnx.md's browser section lacks the page or ner.js");
  }
  return { html, script };
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/**
 * `/node_modules/NAME/…` as npm lays it out (hoisted): the project's node_modules, else the folder that holds
 * transformers.js' own dependencies (Deno's layout nests onnxruntime-web there).
 */
async function nodeModulesFile(rest: string): Promise<string> {
  const top = join(ROOT, "node_modules", rest);
  if (await Deno.stat(top).then(() => true, () => false)) return top;
  const transformers = await Deno.realPath(join(ROOT, "node_modules/@huggingface/transformers"));
  return join(dirname(dirname(transformers)), rest);
}

/** Serves the page, ner.js (with `dtype` as asked), node_modules and the model at /outputs/cpu-small/best. */
function serveSnippet(page: string, script: string, modelDir: string) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path === "/") return new Response(page, { headers: { "content-type": "text/html" } });
    if (path === "/ner.js") return new Response(script, { headers: { "content-type": "text/javascript" } });
    const file = path.startsWith("/node_modules/")
      ? await nodeModulesFile(path.slice("/node_modules/".length))
      : path.startsWith("/outputs/cpu-small/best/")
      ? join(modelDir, path.slice("/outputs/cpu-small/best/".length))
      : undefined;
    const body = file && !file.includes("..") ? await Deno.readFile(file).catch(() => undefined) : undefined;
    if (!body) return new Response("not found", { status: 404 });
    return new Response(body, {
      headers: { "content-type": CONTENT_TYPES[extname(file!)] ?? "application/octet-stream" },
    });
  });
}

/** One row of our output with aggregation none (one per subword not labelled O). */
interface TokenRow {
  text: string;
  tag: string;
  score: number;
}

/** The longest common subsequence of two row lists by `key` (subword and label), as pairs. */
function commonSubsequence<T extends { key: string }>(a: T[], b: T[]): [T, T][] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i].key === b[j].key
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const pairs: [T, T][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i].key === b[j].key) pairs.push([a[i++], b[j++]]);
    else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

Deno.test({
  name:
    "docs/onnx.md's browser snippet runs as printed in Chromium (fp32 and q8) and labels as deno task ner does",
  ignore: !await hasChromium(),
  async fn() {
    const { html, script } = await readmeSnippet();
    await using model = await fixtureModel();
    const tokenizer = await loadBertTokenizer(join(model.dir, "vocab.txt"));
    const { max_position_embeddings } = await readBertConfig(join(model.dir, "config.json"));
    const sentences = EXAMPLE_SENTENCES.flatMap((text) =>
      sentencesFromText(text).map((s) => text.slice(s.words[0].start, s.words.at(-1)!.end))
    ).filter((sentence) => tokenizer.encodeText(sentence).ids.length <= max_position_embeddings);
    assert(sentences.length >= 4, `${sentences.length} sentences fit one window`);
    const browser = await launchHeadlessChromium();
    try {
      for (const [dtype, runtime, tolerance] of [["fp32", "onnx", 1e-4], ["q8", "onnx-q8", 3e-2]] as const) {
        const asked = script.replace(`dtype: "fp32"`, `dtype: "${dtype}"`);
        assert(asked.includes(`dtype: "${dtype}"`));
        // After the snippet, as printed, the test takes its `ner` for the sentences.
        const server = serveSnippet(html, `${asked}\nwindow.snippet = { ner, tokens };\n`, model.dir);
        try {
          const page = await browser.newPage();
          const outside: string[] = [], errors: string[] = [];
          page.on("request", (r) => {
            if (!r.url().startsWith(`http://127.0.0.1:${server.addr.port}/`)) outside.push(r.url());
          });
          page.on("pageerror", (error) => errors.push(error.message));
          await page.goto(`http://127.0.0.1:${server.addr.port}/`);
          await page.waitForFunction(() => "snippet" in globalThis, null, {
            timeout: 120_000,
          }).catch((error) => {
            throw new Error(`${dtype}: the snippet did not finish: ${errors.join("; ") || error.message}`);
          });
          assertEquals(errors, [], dtype);
          assertEquals(outside, [], `${dtype}: requests beyond 127.0.0.1`);
          const theirs = await page.evaluate(async (texts) => {
            const { ner } =
              (globalThis as unknown as { snippet: { ner: (t: string) => Promise<unknown> } }).snippet;
            const out = [];
            for (const text of texts) out.push(await ner(text));
            return out;
          }, sentences) as { entity: string; score: number; word: string }[][];
          await page.close();

          const cli = await runCli(
            NER_CLI,
            [
              "--model",
              model.dir,
              "--workers",
              "1",
              "--aggregation",
              "none",
              ...sentences.flatMap((s) => ["--text", s]),
            ],
            { NER_RUNTIME: runtime },
          );
          assertEquals(cli.code, 0, cli.stderr);
          const ours = cli.stdout.trim().split("\n").map((line) => JSON.parse(line).entities as TokenRow[]);
          let largest = 0, rows = 0, unmatched = 0, tokens = 0;
          sentences.forEach((sentence, i) => {
            const mine = ours[i].map((e) => ({ key: `${e.text}|${e.tag}`, score: e.score }));
            const yours = theirs[i].map((t) => ({
              key: `${t.word.replace(/^##/, "")}|${t.entity}`,
              score: t.score,
            }));
            const pairs = commonSubsequence(mine, yours);
            if (dtype === "fp32") assertEquals(pairs.length, Math.max(mine.length, yours.length), sentence);
            for (const [a, b] of pairs) largest = Math.max(largest, Math.abs(a.score - b.score));
            rows += mine.length;
            unmatched += mine.length + yours.length - 2 * pairs.length;
            tokens += tokenizer.encodeText(sentence).ids.length - 2;
          });
          assert(rows > 50, `${rows} labelled tokens compared`);
          console.log(
            `${dtype}: ${sentences.length} sentences, ${tokens} tokens, ${rows} labelled, ${unmatched} labelled ` +
              `differently, largest |Δscore| ${largest}`,
          );
          assertLess(largest, tolerance);
          assert(
            unmatched <= 0.02 * tokens,
            `${dtype}: ${unmatched} of ${tokens} tokens labelled differently`,
          );
        } finally {
          await server.shutdown();
        }
      }
    } finally {
      await browser.close();
    }
  },
});
