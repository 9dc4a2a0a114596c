/**
 * What README.md and docs/*.md print is true of the code: every `deno task NAME` is a task of deno.json; every
 * environment variable they set, read (`$NAME`) or name in code is one lib/util/config.ts documents (or one of
 * the few other programs' variables listed here); every relative link reaches a file, and an anchor a heading
 * of it; every path of the project they name exists; the TypeScript blocks type-check.
 */
import { assert, assertEquals } from "@std/assert";
import { dirname, join, normalize } from "node:path";
import { ENVIRONMENT } from "../../lib/util/config.ts";
import { fencedBlocks, inlineCode, type Page, prose, readPages, ROOT } from "./pages.ts";

const pages = await readPages();
const tasks = Object.keys(JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks);

/** Variables of other programs that the pages name: not read by this project, so not in its table. */
const OTHER_PROGRAMS: Record<string, string> = {
  OMP_WAIT_POLICY: "GNU OpenMP's; set to PASSIVE for the PyTorch references (bench/pytorch/reference.ts)",
  OPENBLAS_CORETYPE: "OpenBLAS's; removed for the PyTorch references",
  OPENBLAS_L2_SIZE: "OpenBLAS's; removed for the PyTorch references",
  PWD: "the shell's own",
};

/** Every shell text of a page: its sh blocks and its inline code. */
function shellTexts(page: Page): string[] {
  return [...fencedBlocks(page.text, "sh"), ...inlineCode(page.text)];
}

/** `deno task NAME` of a text. */
function taskNames(text: string): string[] {
  return [...text.matchAll(/\bdeno(?:@[\d.]+)? task ([a-z][a-z0-9-]*)/g)].map((m) => m[1]);
}

/** Variables a shell text sets (`NAME=…` as a command's prefix) or reads (`$NAME`, `${NAME}`). */
function shellVariables(text: string): string[] {
  const set = [...text.matchAll(/(?:^|[\s;(])([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  const read = [...text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
  return [...set, ...read];
}

/** The names of the constants declared in lib/ and bench/ (`const NAME`), which pages may name in code. */
async function declaredConstants(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const dir of ["lib", "bench"]) {
    const output = await new Deno.Command("grep", {
      args: ["-rhoE", "const [A-Z][A-Z0-9_]+", join(ROOT, dir)],
      stdout: "piped",
    }).output();
    for (const line of new TextDecoder().decode(output.stdout).split("\n")) names.add(line.slice(6));
  }
  return names;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

Deno.test("every `deno task NAME` of README.md and docs/*.md is a task of deno.json", () => {
  const unknown = pages.flatMap((page) => taskNames(page.text).filter((name) => !tasks.includes(name)))
    .map((name) => `deno task ${name}`);
  assertEquals(unknown, []);
  assert(
    pages.filter((page) => taskNames(page.text).length > 0).length >= 10,
    "the pages name their commands",
  );
});

Deno.test("every environment variable README.md and docs/*.md set, read or name is documented", async () => {
  const constants = await declaredConstants();
  const known = (name: string) => name in ENVIRONMENT || name in OTHER_PROGRAMS;
  const undocumented = pages.flatMap((page) => {
    const inShell = shellTexts(page).flatMap(shellVariables).filter((name) => !known(name));
    // A name alone in code (`NER_CORPUS`): a variable, or a constant of the code (`CONFIG_LIMITS`).
    const named = inlineCode(page.text).filter((code) => /^[A-Z][A-Z0-9_]+$/.test(code))
      .filter((name) => !known(name) && !constants.has(name));
    return [...new Set([...inShell, ...named])].map((name) => `${page.path}: ${name}`);
  });
  assertEquals(undocumented, []);
});

Deno.test("every relative link of README.md and docs/*.md reaches a file, and its anchor a heading there", () => {
  const byPath = new Map(pages.map((page) => [page.path, page]));
  const broken = pages.flatMap((page) =>
    [...prose(page.text).replace(/`[^`\n]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .flatMap((target) => {
        const [file, anchor] = target.split("#");
        const path = file ? normalize(join(dirname(page.path), file)) : page.path;
        let exists = true;
        try {
          Deno.statSync(join(ROOT, path));
        } catch {
          exists = false;
        }
        if (!exists) return [`${page.path}: ${target} (no such file)`];
        const linked = byPath.get(path);
        if (anchor === undefined || !linked) return [];
        const anchors = [...prose(linked.text).matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1]));
        return anchors.includes(anchor) ? [] : [`${page.path}: ${target} (no such heading)`];
      })
  );
  assertEquals(broken, []);
});

/** Whether `path` (relative to the root) exists, or names files by their stem (`notebooks/01_load_data`). */
function pathExistsInTree(path: string): boolean {
  try {
    Deno.statSync(join(ROOT, path));
    return true;
  } catch {
    const folder = join(ROOT, dirname(path));
    const stem = path.slice(path.lastIndexOf("/") + 1) + ".";
    try {
      return [...Deno.readDirSync(folder)].some((entry) => entry.name.startsWith(stem));
    } catch {
      return false;
    }
  }
}

Deno.test("every path under lib/, bench/, tests/, notebooks/ or data/fixtures/ that the pages name exists", () => {
  // Not part of a longer path or a URL; up to a glob's `*` or `{` (its folder must exist) or the path's end.
  const named = /(?<![\w/.-])(?:lib|bench|tests|notebooks|data\/fixtures)\/[\w./-]*[\w/]/g;
  const missing = pages.flatMap((page) =>
    [...new Set(page.text.match(named) ?? [])].filter((path) => !pathExistsInTree(path))
      .map((path) => `${page.path}: ${path}`)
  );
  assertEquals(missing, []);
});

Deno.test("the ts blocks of README.md and docs/*.md type-check (deno check --doc-only)", async () => {
  // Pages with a js block are left out: theirs is browser code, resolved against a CDN-less page.
  const checked = pages.filter((page) => fencedBlocks(page.text, "ts").length > 0)
    .filter((page) => fencedBlocks(page.text, "js").length === 0).map((page) => page.path);
  assert(checked.includes("README.md"), checked.join());
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--doc-only", ...checked],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(success, new TextDecoder().decode(stderr));
});
