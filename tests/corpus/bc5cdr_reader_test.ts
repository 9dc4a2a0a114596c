import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { type DocumentSource, PUBTATOR_FILES, readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { HF_PARQUET_FILES } from "../../lib/corpus/readers/bc5cdr_hub.ts";
import { type Document, SPLITS } from "../../lib/corpus/types.ts";
import { projectPath } from "../../lib/util/paths.ts";

const FIXTURES = projectPath("data", "fixtures", "corpus");
const BC5CDR_DIR = Deno.env.get("BC5CDR_DIR");

const mentionKeys = (docs: Document[]) =>
  docs.flatMap((d) => d.mentions.map((m) => `${d.id}:${m.start}-${m.end}`));

Deno.test("a folder with pubtator/ loads as PubTator; a folder of parquet files as parquet, same mentions", async () => {
  const pubtator = await readBc5cdr({ dir: FIXTURES });
  assertEquals([pubtator.source, pubtator.location], ["pubtator", join(FIXTURES, "pubtator")]);
  const parquet = await readBc5cdr({ dir: join(FIXTURES, "parquet") });
  assertEquals([parquet.source, parquet.location], ["parquet", join(FIXTURES, "parquet")]);
  for (const split of SPLITS) {
    assertEquals(mentionKeys(parquet.splits[split]), mentionKeys(pubtator.splits[split]));
  }
});

Deno.test("source restricts the search to one kind; splits limits what is read", async () => {
  const corpus = await readBc5cdr({ dir: FIXTURES, source: "parquet", splits: ["dev"] });
  assertEquals([corpus.source, corpus.location], ["parquet", join(FIXTURES, "parquet")]);
  assertEquals(SPLITS.map((s) => corpus.splits[s].length), [0, 1, 0]);
});

Deno.test("nothing found: the error names every place it looked", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const error = await assertRejects(
      () => readBc5cdr({ dir }),
      Error,
      "BC5CDR corpus not found (the dir option)",
    );
    assertStringIncludes(error.message, `${dir}/pubtator/{${PUBTATOR_FILES.train},`);
    assertStringIncludes(error.message, `${dir}/bc5cdr_source/{${HF_PARQUET_FILES.train},`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown source name (e.g. from BC5CDR_SOURCE) is an error", async () => {
  const source = "csv" as unknown as DocumentSource;
  await assertRejects(() => readBc5cdr({ dir: FIXTURES, source }), Error, `unknown corpus source "csv"`);
});

Deno.test({
  name: "BC5CDR_DIR (the shared data folder) loads the original PubTator release",
  ignore: !BC5CDR_DIR,
  fn: async () => {
    const corpus = await readBc5cdr();
    assertEquals([corpus.source, corpus.location], ["pubtator", join(BC5CDR_DIR!, "pubtator")]);
    assertEquals(SPLITS.map((s) => corpus.splits[s].length), [500, 500, 500]);
  },
});

Deno.test("no BC5CDR_DIR, empty cache, hub unreachable: one error that says what to set", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const { port } = listener.addr as Deno.NetAddr;
    listener.close(); // nothing listens there now
    const script = join(dir, "load.ts");
    await Deno.writeTextFile(
      script,
      `import { readBc5cdr } from "${projectPath("lib", "corpus", "readers", "bc5cdr.ts")}";\n` +
        `await readBc5cdr({ hub: { cacheDir: "${dir}/cache", attempts: 1, progress: false } });\n`,
    );
    // A child process, so that BC5CDR_DIR can be unset without touching this test process's environment.
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", projectPath("deno.json"), script],
      env: { BC5CDR_DIR: "", BC5CDR_SOURCE: "", HF_ENDPOINT: `http://127.0.0.1:${port}`, NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.success, false);
    assertStringIncludes(
      stderr,
      `BC5CDR corpus not found: BC5CDR_DIR is not set, ${dir}/cache has no parquet files`,
    );
    assertStringIncludes(stderr, "Are you offline?");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
