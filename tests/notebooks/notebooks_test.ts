/**
 * Every notebook in notebooks/ runs headless both ways: extracted (deno check + deno run, always) and in the
 * Deno Jupyter kernel (when /usr/bin/jupyter exists). The extracted run records the outputs each cell must
 * produce; every kernel execution must produce exactly those (nothing lost, no stray `Out[n]`), and runs
 * twice (04, the slow one, once) — `deno task notebooks --kernel --check-outputs --repeat 20` measures more.
 * A notebook whose metadata lists `requiresEnv` (e.g. `["BC5CDR_DIR"]`) is skipped while one of those
 * variables is unset. The runner's own error reporting is tested on small notebooks written to a temp folder.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { basename, join } from "node:path";
import { projectPath } from "../../lib/util/paths.ts";
import { withTempDir } from "../util/temp_dir.ts";
import { readNotebook } from "../../lib/notebook/extract.ts";
import { compareOutputs, executedOutputs } from "../../lib/notebook/outputs.ts";
import type { CellOutputs } from "../../lib/notebook/outputs.ts";
import {
  findNotebooks,
  JUPYTER,
  NotebookError,
  runNotebookExtracted,
  runNotebookInKernel,
} from "../../lib/notebook/run.ts";

const hasJupyter = await Deno.stat(JUPYTER).then(() => true, () => false);

/** The outputs each notebook's cells must produce, recorded by its extracted run. */
const expectedByNotebook = new Map<string, CellOutputs>();

for (const path of await findNotebooks()) {
  const { metadata } = await readNotebook(path);
  const missing = ((metadata?.requiresEnv ?? []) as string[]).filter((name) => !Deno.env.get(name));
  const name = basename(path);
  Deno.test({
    name: `notebook ${name} runs extracted (deno check + deno run)`,
    ignore: missing.length > 0,
    fn: async () => {
      const run = await runNotebookExtracted(path, { recordOutputs: true });
      expectedByNotebook.set(name, run.expectedOutputs!);
    },
  });
  const executions = name.startsWith("04") ? 1 : 2;
  Deno.test({
    name:
      `notebook ${name} runs in the Deno Jupyter kernel ${executions}× and every cell shows all its outputs`,
    ignore: missing.length > 0 || !hasJupyter,
    fn: async () => {
      const expected = expectedByNotebook.get(name) ??
        (await runNotebookExtracted(path, { recordOutputs: true })).expectedOutputs!;
      for (let execution = 1; execution <= executions; execution++) {
        const run = await runNotebookInKernel(path, { outputDir: projectPath("outputs", "notebooks") });
        assertEquals(run.executedPath, projectPath("outputs", "notebooks", name));
        const actual = executedOutputs(await readNotebook(run.executedPath!));
        assertEquals(compareOutputs(expected, actual), [], `${name}, execution ${execution}: outputs differ`);
      }
    },
  });
}

/** Writes a notebook with these code cells (after one markdown cell, so code cell k is cell k + 1). */
async function writeNotebook(dir: string, name: string, code: string[]): Promise<string> {
  const cells = [
    { cell_type: "markdown", source: "# test", metadata: {} },
    ...code.map((source) => ({
      cell_type: "code",
      source,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
  ];
  const notebook = {
    cells,
    metadata: { kernelspec: { name: "deno", display_name: "Deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const path = join(dir, name);
  await Deno.writeTextFile(path, JSON.stringify(notebook));
  return path;
}

const good = [
  `import { displayTable } from "${
    projectPath("lib", "notebook", "display.ts")
  }";\nconst answer: number = 42;`,
  `await displayTable([{ answer }]);\nawait Deno.jupyter.display({ "text/plain": "raw bundle" }, { raw: true });`,
];

Deno.test("an extracted notebook runs its cells in order, displays falling back to text", () =>
  withTempDir(async (dir) => {
    const run = await runNotebookExtracted(await writeNotebook(dir, "good.ipynb", good));
    assertEquals(run.output.trim().split("\n"), ["answer", "------", "    42", "raw bundle"]);
  }));

Deno.test("a type error fails the extracted run and names the cell", () =>
  withTempDir(async (dir) => {
    const path = await writeNotebook(dir, "typo.ipynb", ["const a = 1;", `const b: string = a;`]);
    const error = await assertRejects(() => runNotebookExtracted(path), NotebookError);
    assertEquals(error.cell, 2);
    assertStringIncludes(error.message, `${path}, cell 2: deno check failed`);
  }));

Deno.test("an uncaught exception fails the extracted run and names the cell", () =>
  withTempDir(async (dir) => {
    const path = await writeNotebook(dir, "throws.ipynb", [
      "console.log(1);",
      "",
      `throw new Error("boom");`,
    ]);
    const error = await assertRejects(() => runNotebookExtracted(path), NotebookError);
    assertEquals(error.cell, 3);
    assertStringIncludes(error.message, "boom");
  }));

Deno.test({
  name: "the kernel run saves the executed copy; a throwing cell fails it and is named",
  ignore: !hasJupyter,
  fn: () =>
    withTempDir(async (dir) => {
      const run = await runNotebookInKernel(await writeNotebook(dir, "good.ipynb", good), {
        outputDir: join(dir, "out"),
      });
      const executed = await readNotebook(run.executedPath!);
      assertEquals(executed.cells[1].execution_count, 1);

      const path = await writeNotebook(dir, "throws.ipynb", ["console.log(1);", `throw new Error("boom");`]);
      const error = await assertRejects(
        () => runNotebookInKernel(path, { outputDir: join(dir, "out") }),
        NotebookError,
      );
      assertEquals(error.cell, 2);
      assertStringIncludes(error.message, "boom");
    }),
});

Deno.test("findNotebooks selects by number prefix, stem or file name and rejects unknown names", () =>
  withTempDir(async (dir) => {
    for (const name of ["01_a.ipynb", "02_b.ipynb", "notes.txt"]) {
      await Deno.writeTextFile(join(dir, name), "{}");
    }
    assertEquals((await findNotebooks({ dir })).map((p) => basename(p)), ["01_a.ipynb", "02_b.ipynb"]);
    assertEquals((await findNotebooks({ dir, names: ["02"] })).map((p) => basename(p)), ["02_b.ipynb"]);
    assertEquals((await findNotebooks({ dir, names: ["01_a", "02_b.ipynb"] })).length, 2);
    await assertRejects(() => findNotebooks({ dir, names: ["03"] }), Error, `no notebook named "03"`);
  }));

Deno.test({
  name: "the kernel loses no display: 20 cells of a small and a 200 KB display each, all 40 arrive",
  ignore: !hasJupyter,
  fn: () =>
    withTempDir(async (dir) => {
      // Without the flush in displayBundle the Deno kernel published some of these after the cell's idle,
      // and nbconvert dropped them (3–6 of 40 per execution here).
      const display = projectPath("lib", "notebook", "display.ts");
      const cells = [
        `import { displayBundle } from "${display}";\nconst big = "x".repeat(200_000);`,
        ...Array.from({ length: 20 }, (_, i) =>
          `await displayBundle({ "text/plain": "small ${i}" });\n` +
          `await displayBundle({ "text/html": big, "text/plain": "big ${i}" });`),
      ];
      const run = await runNotebookInKernel(await writeNotebook(dir, "many.ipynb", cells), {
        outputDir: join(dir, "out"),
      });
      const counts = (await readNotebook(run.executedPath!)).cells.slice(2).map((c) => c.outputs?.length);
      assertEquals(counts, Array(20).fill(2));
    }),
});
