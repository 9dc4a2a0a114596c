/**
 * The README's shell lines run under plain /bin/sh (dash on Debian), as job runners (Slurm's `--wrap`,
 * Kubernetes' `sh -c`) run them: every ```sh block parses, and the Slurm recipe's merge line, run as printed
 * in a folder of part files, writes them concatenated in index order.
 */
import { assert, assertEquals } from "@std/assert";

const README = new URL("../../README.md", import.meta.url).pathname;

/** The README's fenced blocks of `language`. */
function readmeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

async function sh(script: string, cwd?: string): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command("/bin/sh", { args: ["-c", script], cwd, stderr: "piped" })
    .output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("every sh block of the README parses under /bin/sh", async () => {
  const blocks = readmeBlocks(await Deno.readTextFile(README), "sh");
  assert(blocks.length >= 3, `${blocks.length} sh blocks`);
  for (const block of blocks) {
    const checked = await sh(`/bin/sh -n <<'EOF_README'\n${block}\nEOF_README`);
    assertEquals(checked.code, 0, `${block}\n${checked.stderr}`);
  }
});

Deno.test("the Slurm recipe's merge line concatenates part-0 … part-7 in index order under /bin/sh", async () => {
  const text = await Deno.readTextFile(README);
  const merge = readmeBlocks(text, "sh").flatMap((block) => block.split("\n"))
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
