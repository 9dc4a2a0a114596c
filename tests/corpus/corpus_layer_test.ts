/**
 * Corpora are told apart only inside the corpus layer (lib/corpus): no other file of lib/ asks which kind of
 * corpus it holds, or names BC5CDR in code (its default is a declared config value), and lib/bio — below the
 * corpus layer — imports nothing of it. Comments are not scanned (prose and JSDoc examples may name any
 * corpus); strings and code are.
 */
import { assertEquals } from "@std/assert";
import { join, relative } from "node:path";

const LIB = new URL("../../lib/", import.meta.url).pathname;

/** Where BC5CDR may be named in code outside lib/corpus: config defaults, each with why. */
const CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  "util/config.ts": "the environment table documents NER_CORPUS's default (util cannot import lib/corpus)",
};

/** Code that asks which kind a corpus is. */
const KIND_QUESTIONS: readonly RegExp[] = [
  /["']kind["']\s+in\b/, // "kind" in corpus
  /\bisTokenCorpus\b/,
  /\btokenReport\b/, // the corpus layer's own question (lib/corpus/corpus.ts)
  /\.source\s*[!=]==?\s*["'`]tokens["'`]/,
];

/** The corpus name as a string of its own. */
const BC5CDR = /(["'`])bc5cdr\1/;

/** Every .ts/.js file under `dir`, as paths relative to lib/. */
async function libFiles(dir = LIB): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await libFiles(path));
    else if (/\.(ts|js)$/.test(entry.name)) files.push(relative(LIB, path));
  }
  return files.sort();
}

/**
 * `source` with its comments blanked (line structure kept), strings, template literals and regular
 * expression literals left as they are.
 */
export function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  // A `/` starts a regular expression after these (or at the start); after a value it divides.
  const regexAfter = /[(,=:[!&|?{};+\-*%<>~^]|^|\breturn|\btypeof/;
  const lastCode = () => out.replace(/\s+$/, "").slice(-6);
  while (i < source.length) {
    const c = source[i], next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (
      c === "/" && regexAfter.test(lastCode().slice(-1)) || c === "/" && /\b(return|typeof)$/.test(lastCode())
    ) {
      let j = i + 1, inClass = false;
      while (j < source.length && source[j] !== "\n" && (inClass || source[j] !== "/")) {
        if (source[j] === "\\") j++;
        else if (source[j] === "[") inClass = true;
        else if (source[j] === "]") inClass = false;
        j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Each `file:line: text` of lib/ outside lib/corpus whose code matches one of `patterns`. */
async function offenders(patterns: readonly RegExp[], allowed: Readonly<Record<string, string>> = {}) {
  const found: string[] = [];
  for (const file of await libFiles()) {
    if (file.startsWith("corpus/") || Object.hasOwn(allowed, file)) continue;
    const lines = withoutComments(await Deno.readTextFile(join(LIB, file))).split("\n");
    lines.forEach((line, i) => {
      if (patterns.some((pattern) => pattern.test(line))) found.push(`lib/${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

Deno.test("the comment scanner keeps code and strings, and blanks comments", () => {
  const code = 'const a = "x // y"; // "bc5cdr"\n/** "bc5cdr" */ const r = /["\']kind/; f("bc5cdr");';
  assertEquals(
    withoutComments(code).split("\n").map((line) => line.trimEnd()),
    ['const a = "x // y";', `${" ".repeat(16)}const r = /["']kind/; f("bc5cdr");`],
  );
});

Deno.test("nothing outside lib/corpus asks which kind of corpus it holds", async () => {
  assertEquals(await offenders(KIND_QUESTIONS), []);
});

Deno.test("nothing outside lib/corpus names BC5CDR in code, but the declared config defaults", async () => {
  assertEquals(await offenders([BC5CDR], CONFIG_DEFAULTS), []);
  for (const file of Object.keys(CONFIG_DEFAULTS)) {
    const code = withoutComments(await Deno.readTextFile(join(LIB, file)));
    assertEquals(BC5CDR.test(code), true, `${file} no longer names it: remove it from CONFIG_DEFAULTS`);
  }
});

Deno.test("lib/bio imports nothing of lib/corpus", async () => {
  const imports: string[] = [];
  for (const file of await libFiles(join(LIB, "bio"))) {
    const source = await Deno.readTextFile(join(LIB, file));
    for (const m of source.matchAll(/from\s+["']([^"']+)["']/g)) {
      if (/(^|\/)corpus\//.test(m[1])) imports.push(`lib/${file}: ${m[1]}`);
    }
  }
  assertEquals(imports, []);
});
