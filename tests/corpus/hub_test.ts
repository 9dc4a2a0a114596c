/**
 * The hub download path, tested for real against a Deno.serve on 127.0.0.1 that imitates the Hugging Face
 * hub (tests/util/fake_hub.ts): `resolve/<revision>/…` answers with a redirect to a file server that
 * honours Range requests.
 * The files it serves are generated here in the `bc5cdr_source` schema.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import {
  downloadHubParquet,
  HF_DATASET,
  HF_PARQUET_FILES,
  hubParquetUrl,
} from "../../lib/corpus/readers/bc5cdr_hub.ts";
import { readBc5cdr } from "../../lib/corpus/readers/bc5cdr.ts";
import { type Split, SPLITS } from "../../lib/corpus/types.ts";
import { DownloadError } from "../../lib/util/download.ts";
import {
  fixtureDocuments,
  hfRowsFromDocuments,
  writeHfParquet,
} from "../../data/fixtures/corpus/generate.ts";
import { readHfParquet } from "../../lib/corpus/readers/hf_parquet.ts";
import { type FakeHub, startFakeHub } from "../util/fake_hub.ts";

interface BcHub extends FakeHub {
  files: Record<Split, Uint8Array>;
}

async function startBc5cdrHub(): Promise<BcHub> {
  const dir = await Deno.makeTempDir();
  const files = {} as Record<Split, Uint8Array>;
  for (const split of SPLITS) {
    const path = join(dir, HF_PARQUET_FILES[split]);
    await writeHfParquet(path, hfRowsFromDocuments(fixtureDocuments(split)));
    files[split] = await Deno.readFile(path);
  }
  await Deno.remove(dir, { recursive: true });
  const prefix = `/datasets/${HF_DATASET}/resolve/main/bc5cdr_source/`;
  const hub = startFakeHub(Object.fromEntries(SPLITS.map((s) => [prefix + HF_PARQUET_FILES[s], files[s]])));
  return { ...hub, files };
}

async function withHub(fn: (hub: BcHub, cacheDir: string) => Promise<void>): Promise<void> {
  const hub = await startBc5cdrHub();
  const cacheDir = await Deno.makeTempDir();
  try {
    await fn(hub, cacheDir);
  } finally {
    await hub.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

const sizesOf = (hub: BcHub) => Object.fromEntries(SPLITS.map((s) => [s, hub.files[s].length]));

Deno.test("hub URLs follow the resolve/<revision>/bc5cdr_source layout", () => {
  assertEquals(
    hubParquetUrl("dev", { endpoint: "https://huggingface.co/" }),
    "https://huggingface.co/datasets/masaenger/bc5cdr/resolve/main/bc5cdr_source/validation-00000-of-00001.parquet",
  );
});

Deno.test("readBc5cdr({source: 'hub'}) downloads the three files over HTTP into the cache and reads them", async () => {
  await withHub(async (hub, cacheDir) => {
    const corpus = await readBc5cdr({
      source: "hub",
      hub: { endpoint: hub.endpoint, cacheDir, sizes: sizesOf(hub), progress: false },
    });
    assertEquals(corpus.source, "hub");
    for (const split of SPLITS) {
      assertEquals(await Deno.readFile(join(cacheDir, HF_PARQUET_FILES[split])), hub.files[split]);
      assertEquals(corpus.splits[split], await readHfParquet(join(cacheDir, HF_PARQUET_FILES[split])));
      assertEquals(corpus.splits[split].map((d) => d.id), fixtureDocuments(split).map((d) => d.id));
    }
    assertEquals(hub.ranges.length, 3);
    // Cached files are not fetched again.
    await downloadHubParquet({ endpoint: hub.endpoint, cacheDir, sizes: sizesOf(hub), progress: false });
    assertEquals(hub.ranges.length, 3);
  });
});

Deno.test("an interrupted download resumes from its .part file with a Range request", async () => {
  await withHub(async (hub, cacheDir) => {
    const half = Math.floor(hub.files.train.length / 2);
    const dest = join(cacheDir, HF_PARQUET_FILES.train);
    await Deno.writeFile(`${dest}.part`, hub.files.train.slice(0, half));
    await downloadHubParquet({
      endpoint: hub.endpoint,
      cacheDir,
      splits: ["train"],
      sizes: sizesOf(hub),
      progress: false,
    });
    assertEquals(hub.ranges, [`bytes=${half}-`]);
    assertEquals(await Deno.readFile(dest), hub.files.train);
  });
});

Deno.test("server errors (5xx) are retried", async () => {
  await withHub(async (hub, cacheDir) => {
    hub.failNext(2);
    await downloadHubParquet({
      endpoint: hub.endpoint,
      cacheDir,
      splits: ["test"],
      sizes: sizesOf(hub),
      backoffMs: 1,
      progress: false,
    });
    assertEquals(hub.ranges.length, 3);
    assertEquals(await Deno.readFile(join(cacheDir, HF_PARQUET_FILES.test)), hub.files.test);
  });
});

Deno.test("a size mismatch is an error and leaves no file in the cache", async () => {
  await withHub(async (hub, cacheDir) => {
    const error = await assertRejects(
      () =>
        downloadHubParquet({
          endpoint: hub.endpoint,
          cacheDir,
          splits: ["dev"],
          sizes: { dev: 7 },
          progress: false,
        }),
      DownloadError,
    );
    assertStringIncludes(error.message, "size mismatch");
    assertEquals([...Deno.readDirSync(cacheDir)].map((e) => e.name), []);
  });
});

Deno.test("offline: a clear error that says where to put the file", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close(); // nothing listens there now
  const cacheDir = await Deno.makeTempDir();
  try {
    const error = await assertRejects(
      () =>
        downloadHubParquet({
          endpoint: `http://127.0.0.1:${port}`,
          cacheDir,
          splits: ["train"],
          attempts: 2,
          backoffMs: 1,
          progress: false,
        }),
      DownloadError,
    );
    assertStringIncludes(error.message, "Are you offline?");
    assertStringIncludes(error.message, join(cacheDir, HF_PARQUET_FILES.train));
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});
