/**
 * The corpus front door (lib/corpus/load.ts) and the registry: folders and files a user brings, the MTL-2016
 * corpora by name, Hugging Face `tokens` + `ner_tags` datasets through the hub client (against a stand-in hub
 * on 127.0.0.1), BC5CDR as an ordinary entry, and the one-line errors of bad input.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { basename, join } from "node:path";
import { type Corpus, tokenReport } from "../../lib/corpus/corpus.ts";
import { loadCorpus } from "../../lib/corpus/load.ts";
import { CORPORA } from "../../lib/corpus/registry.ts";
import { convertDocuments } from "../../lib/bio/convert.ts";
import { projectPath } from "../../lib/util/paths.ts";
import { downloadHubTokenDataset } from "../../lib/corpus/readers/token_hub.ts";
import { readHfTokenParquet } from "../../lib/corpus/readers/hf_tokens.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { TokenCorpusSize } from "../../lib/corpus/token_conversion.ts";
import { DownloadError } from "../../lib/util/download.ts";
import { readParquetFile } from "../../lib/corpus/readers/parquet_file.ts";
import { startFakeHub } from "../util/fake_hub.ts";
import { readInChild } from "../util/read_in_child.ts";
import { tokenFeatures, tokenParquet, type TokenRow } from "./token_parquet.ts";
import { withTempDir } from "../util/temp_dir.ts";

const tokens = (corpus: Corpus, split: "train" | "dev" | "test") =>
  corpus.conversion(split).sentences.map((s) => s.words.map((w) => w.text));

Deno.test("a folder of CoNLL files: train/devel/test by name, the tokens kept", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "train.tsv"), "IL-2\tB-GENE\ngene\tI-GENE\n\nx\tO\n");
    await Deno.writeTextFile(join(dir, "devel.tsv"), "p53\tB-GENE\n");
    await Deno.writeTextFile(join(dir, "test.conll"), "none\tO\n");
    await Deno.writeTextFile(join(dir, "README.md"), "not a split\n");
    const corpus = await loadCorpus(dir);
    assertEquals([corpus.name, corpus.source, corpus.title], [
      dir,
      "tokens",
      `${basename(dir)} (your corpus)`,
    ]);
    assertEquals([tokens(corpus, "train"), tokens(corpus, "dev"), tokens(corpus, "test")], [
      [["IL-2", "gene"], ["x"]],
      [["p53"]],
      [["none"]],
    ]);
    assertEquals(corpus.conversion("dev").sentences[0].tags, ["B-GENE"]);
    // Its documents are rebuilt from the tokens, one sentence a line.
    assertEquals(corpus.splits.train.map((d) => d.text), ["IL-2 gene", "x"]);
  });
});

Deno.test("one file is the train split; the other splits are empty", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mine.iob");
    await Deno.writeTextFile(file, "a B-X\n");
    const corpus = await loadCorpus(file);
    assertEquals([
      tokens(corpus, "train"),
      corpus.conversion("dev").sentences,
      corpus.conversion("test").sentences,
    ], [
      [["a"]],
      [],
      [],
    ]);
  });
});

Deno.test("bad folders and names: one clear line each", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "dev.tsv"), "a\tO\n");
    let error = await assertRejects(() => loadCorpus(dir), Error);
    assertStringIncludes(error.message, `${dir}: no train file`);
    await Deno.writeTextFile(join(dir, "train.tsv"), "a\tB-X\n");
    await Deno.writeTextFile(join(dir, "train.conll"), "a\tB-X\n");
    error = await assertRejects(() => loadCorpus(dir), Error);
    assertEquals(error.message, `${dir}: two train files (train.conll, train.tsv): keep one`);
    await Deno.remove(join(dir, "train.conll"));
    await Deno.writeTextFile(join(dir, "test.tsv"), "a\tS-X\n");
    error = await assertRejects(() => loadCorpus(dir), Error);
    assertEquals(
      error.message,
      `mixed tag schemes: ${join(dir, "train.tsv")} is IOB2, ${
        join(dir, "test.tsv")
      } is IOBES; convert them to one scheme`,
    );
  });
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "train.tsv"), "a\tB-X\n");
    await Deno.writeTextFile(join(dir, "test.tsv"), "\n\n \n");
    const error = await assertRejects(() => loadCorpus(dir), CorpusFormatError);
    assertEquals(
      error.message,
      `${join(dir, "test.tsv")}:1: the test split has no sentences: no token lines`,
    );
    await Deno.writeFile(
      join(dir, "test.parquet"),
      tokenParquet([{ id: "0", tokens: [], ner_tags: [] }], tokenFeatures(NAMES)),
    );
    await Deno.remove(join(dir, "test.tsv"));
    const rows = await assertRejects(() => loadCorpus(dir), CorpusFormatError);
    assertEquals(
      rows.message,
      `${join(dir, "test.parquet")}:1: the test split has no sentences: 1 row(s), none with tokens`,
    );
  });
  const error = await assertRejects(() => loadCorpus("no-such-corpus"), Error);
  assertEquals(
    error.message,
    `unknown corpus "no-such-corpus": not a file or folder, and not one of ${
      Object.keys(CORPORA).join(", ")
    }`,
  );
  const unset = await assertRejects(() => loadCorpus("bionlp13cg", { mtl2016Dir: "" }), Error);
  assertStringIncludes(unset.message, "set MTL2016_DIR to the folder holding BioNLP13CG-IOB/");
});

Deno.test("MTL-2016 corpora by name under MTL2016_DIR (train.tsv, devel.tsv, test.tsv)", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "BioNLP13CG-IOB"));
    const files = { "train.tsv": "TGF\tB-Gene_or_gene_product\n", "devel.tsv": "Cell\tB-Cell\n" };
    for (const [file, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, "BioNLP13CG-IOB", file), text);
    }
    let error = await assertRejects(() => loadCorpus("bionlp13cg", { mtl2016Dir: dir }), Error);
    assertEquals(error.message, `${join(dir, "BioNLP13CG-IOB")}: no test.tsv`);
    await Deno.writeTextFile(join(dir, "BioNLP13CG-IOB", "test.tsv"), "x\tO\n");
    const corpus = await loadCorpus("bionlp13cg", { mtl2016Dir: dir });
    assertEquals([corpus.name, corpus.location], ["bionlp13cg", join(dir, "BioNLP13CG-IOB")]);
    assertEquals(corpus.conversion("dev").sentences[0].tags, ["B-Cell"]);
    error = await assertRejects(
      () => loadCorpus("linnaeus", { mtl2016Dir: join(dir, "missing") }),
      Error,
    );
    assertStringIncludes(error.message, "no train.tsv, devel.tsv, test.tsv");
  });
});

const NAMES = ["O", "B-Disease", "I-Disease"];
const ROWS: Record<string, TokenRow[]> = {
  train: [
    { id: "0", tokens: ["Identification", "of", "APC2"], ner_tags: [0, 0, 0] },
    { id: "1", tokens: ["colorectal", "cancer"], ner_tags: [1, 2] },
  ],
  validation: [{ id: "0", tokens: [], ner_tags: [] }, { id: "1", tokens: ["ataxia"], ner_tags: [1] }],
  test: [{ id: "0", tokens: ["x"], ner_tags: [0] }],
};
const NCBI = CORPORA["ncbi-disease"].hub!;
const ncbiPath = (split: string) =>
  `/datasets/${NCBI.repo}/resolve/${encodeURIComponent(NCBI.revision)}/ncbi_disease/${split}/0000.parquet`;

function ncbiHub(features: unknown = tokenFeatures(NAMES)) {
  return startFakeHub(
    Object.fromEntries(
      Object.entries(ROWS).map(([split, rows]) => [ncbiPath(split), tokenParquet(rows, features)]),
    ),
  );
}

Deno.test("a hub dataset by name: downloaded through the hub client, tags named by its ClassLabel features", async () => {
  const hub = ncbiHub();
  await withTempDir(async (cacheDir) => {
    try {
      const corpus = await loadCorpus("ncbi-disease", {
        hub: { endpoint: hub.endpoint, cacheDir, progress: false },
      });
      assertEquals(corpus.conversion("train").sentences.map((s) => s.tags), [["O", "O", "O"], [
        "B-Disease",
        "I-Disease",
      ]]);
      assertEquals(corpus.splits.train[1].mentions[0].text, "colorectal cancer");
      assertEquals(tokenReport(corpus, "dev")?.emptySentences, 1);
      assertEquals(corpus.conversion("dev").sentences.map((s) => s.docId), ["1"]);
      assertEquals(hub.ranges.length, 3);
      // Cached: not fetched again.
      await loadCorpus("ncbi-disease", { hub: { endpoint: hub.endpoint, cacheDir, progress: false } });
      assertEquals(hub.ranges.length, 3);
    } finally {
      await hub.close();
    }
  });
});

Deno.test("hub downloads use HF_ENDPOINT, resume from a .part file and retry 5xx", async () => {
  const hub = ncbiHub();
  const saved = Deno.env.get("HF_ENDPOINT");
  Deno.env.set("HF_ENDPOINT", hub.endpoint);
  await withTempDir(async (cacheDir) => {
    try {
      const whole = tokenParquet(ROWS.train, tokenFeatures(NAMES));
      const dest = join(cacheDir, "ncbi", "ncbi_disease@refs--convert--parquet", "train.parquet");
      await Deno.mkdir(join(dest, ".."), { recursive: true });
      await Deno.writeFile(`${dest}.part`, whole.slice(0, 100));
      hub.failNext(1);
      const paths = await downloadHubTokenDataset({ ...NCBI, files: { train: NCBI.files.train } }, {
        cacheDir,
        progress: false,
        backoffMs: 1,
      });
      assertEquals(paths, { train: dest });
      assertEquals(hub.ranges, ["bytes=100-", "bytes=100-"]);
      assertEquals(await Deno.readFile(dest), whole);
    } finally {
      if (saved === undefined) Deno.env.delete("HF_ENDPOINT");
      else Deno.env.set("HF_ENDPOINT", saved);
      await hub.close();
    }
  });
});

Deno.test("a dataset whose features have no ClassLabel names: one clear line", async () => {
  for (const features of [tokenFeatures(null), undefined]) {
    await withTempDir(async (dir) => {
      const path = join(dir, "train.parquet");
      await Deno.writeFile(path, tokenParquet(ROWS.train, features));
      const error = await assertRejects(() => readHfTokenParquet(path), Error);
      assertEquals(
        error.message,
        `${path}: the dataset's features give no ClassLabel names for ner_tags (${
          features ? "its huggingface metadata has none" : "no huggingface metadata"
        }), so its tag ids cannot be named`,
      );
    });
  }
});

Deno.test("a damaged dataset row is refused with file and row", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "train.parquet");
    const rows = [ROWS.train[0], { id: "1", tokens: ["a", "b"], ner_tags: [0, 7] }];
    await Deno.writeFile(path, tokenParquet(rows, tokenFeatures(NAMES)));
    const error = await assertRejects(() => readHfTokenParquet(path), CorpusFormatError);
    assertEquals(error.message, `${path}:2: ner_tags[1] is 7, not a class id 0–2`);
    // A missing tag is not class 0 (`O`): the old reader made it one, silently.
    await Deno.writeFile(
      path,
      tokenParquet(
        [{ id: "0", tokens: ["colorectal", "cancer"], ner_tags: [1, null] }],
        tokenFeatures(NAMES),
      ),
    );
    const missing = await assertRejects(() => readHfTokenParquet(path), CorpusFormatError);
    assertEquals(missing.message, `${path}:1: ner_tags[1] is null, not a class id 0–2`);
    await Deno.writeFile(
      path,
      tokenParquet([{ id: "0", tokens: ["a"], ner_tags: [0, 0] }], tokenFeatures(NAMES)),
    );
    const short = await assertRejects(() => readHfTokenParquet(path), CorpusFormatError);
    assertEquals(short.message, `${path}:1: "ner_tags" is not a list as long as "tokens" (1)`);
  });
});

Deno.test("rows of one document id must be consecutive; the same id after another is refused", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "train.parquet");
    const row = (id: string) => ({ id, tokens: ["colorectal", "cancer"], ner_tags: [1, 2] });
    // Consecutive rows of one id are the sentences of one document.
    await Deno.writeFile(path, tokenParquet([row("a"), row("a"), row("b")], tokenFeatures(NAMES)));
    const corpus = await loadCorpus(path);
    assertEquals(corpus.splits.train.map((d) => d.id), ["a", "b"]);
    // The old reader made two documents "a" (exit 0, `changedTokens: 2` in report.json, nothing said).
    await Deno.writeFile(path, tokenParquet([row("a"), row("b"), row("a")], tokenFeatures(NAMES)));
    const error = await assertRejects(() => loadCorpus(path), CorpusFormatError);
    assertEquals(
      error.message,
      `${path}:3: document id "a" again, after other documents (it began at ${path}:1): ` +
        `the sentences of one document must be consecutive`,
    );
  });
});

Deno.test("a parquet split whose footer counts more than the corpus limits is refused before its rows are read", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "train.parquet");
    await Deno.writeFile(path, tokenParquet(ROWS.train, tokenFeatures(NAMES)));
    const read = (limits: { sentences: number; tokens: number }) =>
      readHfTokenParquet(path, { size: new TokenCorpusSize(limits) });
    assertEquals((await read({ sentences: 2, tokens: 5 })).sentences.length, 2);
    const error = await assertRejects(() => read({ sentences: 1, tokens: 5 }), Error);
    assertEquals(
      error.message,
      `${path}: 2 rows with 5 token values: the corpus has more than 1 sentences (all its splits together), ` +
        `over the limit (docs/reliability.md); refused`,
    );
    await assertRejects(() => read({ sentences: 2, tokens: 4 }), Error, "more than 4 tokens");
  });
});

Deno.test("split files that are symbolic links are read as the files they point to", async () => {
  await withTempDir(async (dir) => {
    const real = join(dir, "real"), links = join(dir, "links");
    await Deno.mkdir(real);
    await Deno.mkdir(links);
    await Deno.writeTextFile(join(real, "train.tsv"), "IL-2\tB-GENE\n\nIt\tO\n");
    await Deno.writeTextFile(join(real, "devel.tsv"), "p53\tB-GENE\n");
    await Deno.symlink(join(real, "train.tsv"), join(links, "train.tsv"));
    await Deno.symlink(join(real, "devel.tsv"), join(links, "devel.tsv"));
    // The old reader skipped links: "no train file", or a linked devel.tsv read as an empty dev split.
    const corpus = await loadCorpus(links);
    assertEquals([tokens(corpus, "train"), tokens(corpus, "dev")], [[["IL-2"], ["It"]], [["p53"]]]);
    assertEquals(corpus.conversion("dev").report.entities, { GENE: 1 });
    // A link to nothing, or to a folder, is refused in one line (not skipped: the split would be empty).
    await Deno.symlink(join(real, "missing.tsv"), join(links, "test.tsv"));
    const dangling = await assertRejects(() => loadCorpus(links), Error);
    assertEquals(
      dangling.message,
      `${join(links, "test.tsv")}: a link to ${
        join(real, "missing.tsv")
      }, which does not exist: link it to the file`,
    );
    await Deno.remove(join(links, "test.tsv"));
    await Deno.symlink(real, join(links, "test.tsv"));
    await assertRejects(() => loadCorpus(links), Error, "which is not a file");
  });
});

Deno.test("a damaged token parquet file is refused in one line by the parquet checks, never a hang", async () => {
  await withTempDir(async (dir) => {
    const valid = tokenParquet(ROWS.train, tokenFeatures(NAMES));
    // Byte 12: in the first column's v2 page header; 168 drops its level lengths, which made hyparquet's
    // offset NaN and the reader spin forever (found by fuzzing single bytes of this file).
    const spinning = valid.slice();
    spinning[12] = 168;
    const cases: [string, Uint8Array, string][] = [
      ["spin.parquet", spinning, "a v2 data page header without its counts and level lengths"],
      ["truncated.parquet", valid.slice(0, valid.length - 20), `no "PAR1" at its end`],
    ];
    for (const [name, bytes, what] of cases) {
      const path = join(dir, name);
      await Deno.writeFile(path, bytes);
      const { code, stdout } = await readInChild(
        "lib/corpus/readers/hf_tokens.ts",
        "readHfTokenParquet",
        path,
      );
      assertEquals(code, 0, `${path}: the child did not finish`);
      assertStringIncludes(stdout, `${path}: damaged parquet file: `);
      assertStringIncludes(stdout, what);
      assertEquals(stdout.split("\n").length, 1);
    }
    const path = join(dir, "valid.parquet");
    await Deno.writeFile(path, valid);
    const { rows } = await readParquetFile(path); // the valid file reads
    assertEquals(rows.length, ROWS.train.length);
  });
});

Deno.test("offline: the hub client's clear error, naming the dataset", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  await withTempDir(async (cacheDir) => {
    const error = await assertRejects(
      () =>
        loadCorpus("ncbi-disease", {
          hub: { endpoint: `http://127.0.0.1:${port}`, cacheDir, progress: false, attempts: 1 },
        }),
      DownloadError,
    );
    assertStringIncludes(error.message, "dataset ncbi/ncbi_disease:");
    assertStringIncludes(error.message, "Are you offline?");
    // A corpus the MTL-2016 collection has: the error also says where a local copy goes.
    const bc2gm = await assertRejects(
      () =>
        loadCorpus("bc2gm", {
          mtl2016Dir: "",
          hub: { endpoint: `http://127.0.0.1:${port}`, cacheDir, progress: false, attempts: 1 },
        }),
      DownloadError,
    );
    assertStringIncludes(bc2gm.message, "dataset spyysalo/bc2gm_corpus:");
    assertStringIncludes(bc2gm.message, "Or set MTL2016_DIR to a folder holding BC2GM-IOB/.");
  });
});

Deno.test("BC5CDR is an ordinary registry entry: documents as read, sentences converted once, on first use", async () => {
  const documentFiles = { dir: projectPath("data", "fixtures", "corpus"), source: "pubtator" as const };
  const corpus = await loadCorpus("bc5cdr", { documentFiles });
  assertEquals([corpus.name, corpus.source, corpus.title], ["bc5cdr", "pubtator", CORPORA.bc5cdr.title]);
  assertEquals(corpus.entry, CORPORA.bc5cdr);
  const train = corpus.conversion("train");
  assertEquals(train, convertDocuments(corpus.splits.train));
  assertEquals(corpus.conversion("train") === train, true);
  assertEquals(tokenReport(corpus, "train"), undefined);
  // Without a name: the default corpus.
  assertEquals((await loadCorpus(undefined, { documentFiles })).name, "bc5cdr");
});

Deno.test({
  name: "every MTL-2016 folder of MTL2016_DIR is a registry name, and reads by it",
  ignore: !Deno.env.get("MTL2016_DIR"),
  async fn() {
    const dir = Deno.env.get("MTL2016_DIR")!;
    const folders = [];
    for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) folders.push(entry.name);
    const named = Object.values(CORPORA).flatMap((entry) => entry.mtl2016 ?? []);
    assertEquals(named.sort(), folders.sort());
    const corpus = await loadCorpus("ex-ptm");
    assertEquals([corpus.location, corpus.conversion("train").sentences.length], [
      join(dir, "Ex-PTM-IOB"),
      1377,
    ]);
  },
});
