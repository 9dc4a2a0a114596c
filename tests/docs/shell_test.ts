/**
 * The shell lines of README.md and docs/*.md run under plain /bin/sh (dash on Debian), as job runners (Slurm's
 * `--wrap`, Kubernetes' `sh -c`) run them: every ```sh block parses, and the Slurm recipe's merge line
 * (docs/corpus-scale.md), run as printed in a folder of part files, writes them concatenated in index order.
 */
import { assert, assertEquals } from "@std/assert";
import { fencedBlocks, readPages } from "./pages.ts";

async function sh(script: string, cwd?: string): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command("/bin/sh", { args: ["-c", script], cwd, stderr: "piped" })
    .output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

const pages = await readPages();

Deno.test("every sh block of README.md and docs/*.md parses under /bin/sh", async () => {
  const blocks = pages.flatMap((page) => fencedBlocks(page.text, "sh").map((block) => ({ page, block })));
  assert(blocks.length >= 8, `${blocks.length} sh blocks`);
  assert(pages.some((page) => page.path.startsWith("docs/") && fencedBlocks(page.text, "sh").length > 0));
  for (const { page, block } of blocks) {
    const checked = await sh(`/bin/sh -n <<'EOF_README'\n${block}\nEOF_README`);
    assertEquals(checked.code, 0, `${page.path}:\n${block}\n${checked.stderr}`);
  }
});

Deno.test("the Slurm recipe's merge line concatenates part-0 … part-7 in index order under /bin/sh", async () => {
  const merge = pages.flatMap((page) => fencedBlocks(page.text, "sh")).flatMap((block) => block.split("\n"))
    .filter((line) => line.includes("> tagged.jsonl") && line.startsWith("cat "));
  assertEquals(merge.length, 1, `the merge line: ${merge}`);
  const dir = await Deno.makeTempDir();
  try {
    for (let i = 0; i < 8; i++) await Deno.writeTextFile(`${dir}/part-${i}.jsonl`, `{"part":${i}}\n`);
    const { code, stderr } = await sh(merge[0], dir);
    assertEquals(code, 0, stderr);
    const expected = Array.from({ length: 8 }, (_, i) => `{"part":${i}}\n`).join("");
    assertEquals(await Deno.readTextFile(`${dir}/tagged.jsonl`), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
