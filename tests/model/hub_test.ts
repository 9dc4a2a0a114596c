import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  downloadModel,
  isHubModelId,
  isLocalModelPath,
  loadTokenClassifier,
  resolveModelDir,
} from "../../lib/model/mod.ts";
import { DownloadError } from "../../lib/util/download.ts";
import { FIXTURES, maxAbsDifference, reference, referenceBatch, TINY_BERT } from "./reference.ts";

await initBackend();

/**
 * A stand-in for the hub on 127.0.0.1 with HF's URL layout `/<id>/resolve/<revision>/<file>`, serving the
 * committed fixture files. "test-org/tiny-bert" has model.safetensors; "test-org/old-bert" only
 * pytorch_model.bin (as older hub models).
 */
function startHub() {
  const repos: Record<string, Record<string, string>> = {
    "test-org/tiny-bert": {
      "config.json": `${TINY_BERT}/config.json`,
      "vocab.txt": `${TINY_BERT}/vocab.txt`,
      "model.safetensors": `${TINY_BERT}/model.safetensors`,
    },
    "test-org/old-bert": {
      "config.json": `${TINY_BERT}/config.json`,
      "vocab.txt": `${TINY_BERT}/vocab.txt`,
      "pytorch_model.bin": `${FIXTURES}variants/legacy/pytorch_model.bin`,
    },
  };
  const requests: { path: string; authorization: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    requests.push({ path, authorization: request.headers.get("authorization") });
    const match = path.match(/^\/(.+)\/resolve\/main\/([^/]+)$/);
    const file = match && repos[match[1]]?.[match[2]];
    if (!file) return new Response("Entry not found", { status: 404 });
    return new Response(await Deno.readFile(file));
  });
  return { server, requests, endpoint: `http://127.0.0.1:${server.addr.port}` };
}

Deno.test("downloadModel fetches config, vocab and safetensors over HTTP, then serves them from the cache", async () => {
  const hub = startHub();
  const cacheDir = await Deno.makeTempDir();
  try {
    const options = { cacheDir, endpoint: hub.endpoint, token: "hf_secret", log: () => {} };
    const dir = await downloadModel("test-org/tiny-bert", options);
    assertEquals(dir, join(cacheDir, "test-org/tiny-bert"));
    assertEquals(hub.requests.map((r) => r.path), [
      "/test-org/tiny-bert/resolve/main/config.json",
      "/test-org/tiny-bert/resolve/main/vocab.txt",
      "/test-org/tiny-bert/resolve/main/model.safetensors",
    ]);
    assert(hub.requests.every((r) => r.authorization === "Bearer hf_secret"));
    assertEquals(
      await Deno.readFile(join(dir, "model.safetensors")),
      await Deno.readFile(`${TINY_BERT}/model.safetensors`),
    );

    await downloadModel("test-org/tiny-bert", options);
    assertEquals(hub.requests.length, 3, "a cached model needs no request");
  } finally {
    await hub.server.shutdown();
  }
});

Deno.test("a repository without safetensors falls back to pytorch_model.bin; HF_ENDPOINT picks the server", async () => {
  const hub = startHub();
  const cacheDir = await Deno.makeTempDir();
  const previous = Deno.env.get("HF_ENDPOINT");
  Deno.env.set("HF_ENDPOINT", hub.endpoint);
  try {
    const model = await loadTokenClassifier("test-org/old-bert", { download: { cacheDir }, log: () => {} });
    assertEquals(hub.requests.map((r) => r.path.split("/").pop()), [
      "config.json",
      "vocab.txt",
      "model.safetensors",
      "pytorch_model.bin",
    ]);
    assert(await maxAbsDifference(model.forward(referenceBatch()), reference.logits) < 1e-4);
    model.dispose();
  } finally {
    if (previous === undefined) Deno.env.delete("HF_ENDPOINT");
    else Deno.env.set("HF_ENDPOINT", previous);
    await hub.server.shutdown();
  }
});

Deno.test("an unknown model is a 404 error naming it; an unreachable hub says you may be offline", async () => {
  const hub = startHub();
  const cacheDir = await Deno.makeTempDir();
  try {
    const missing = await assertRejects(
      () => downloadModel("test-org/nope", { cacheDir, endpoint: hub.endpoint, log: () => {} }),
      DownloadError,
    );
    assertStringIncludes((missing as Error).message, "model test-org/nope: HTTP 404");
  } finally {
    await hub.server.shutdown();
  }
  // The server is gone: nothing listens on its port any more.
  const offline = await assertRejects(
    () =>
      downloadModel("test-org/tiny-bert", { cacheDir, endpoint: hub.endpoint, attempts: 1, log: () => {} }),
    DownloadError,
  );
  assertStringIncludes((offline as Error).message, "Are you offline?");
  assertStringIncludes((offline as Error).message, join(cacheDir, "test-org/tiny-bert/config.json"));
});

Deno.test("hub ids are told apart from paths", () => {
  assert(isHubModelId("dmis-lab/biobert-base-cased-v1.1"));
  assert(isHubModelId("bert-base-cased"));
  assert(!isHubModelId("./outputs/run/best"));
  assert(!isHubModelId("../secret/x"));
  assert(!isHubModelId("/abs/path"));
});

Deno.test("a mistyped model folder is a path: never looked up on the hub; a failed download leaves no folders", async () => {
  const hub = startHub();
  const cacheDir = await Deno.makeTempDir();
  const previous = Deno.env.get("HF_ENDPOINT");
  Deno.env.set("HF_ENDPOINT", hub.endpoint);
  try {
    for (
      const typo of ["./outputs/biobrt", "outputs/biobrt", "outputs/run/bets", "/no/such/model", "~/model"]
    ) {
      assert(await isLocalModelPath(typo), typo);
      await assertRejects(
        () => resolveModelDir(typo, { cacheDir, log: () => {} }),
        Error,
        `model folder "${typo}" does not exist (a path: not looked up on the hub)`,
      );
    }
    assertEquals(hub.requests, []);
    assert(!await isLocalModelPath("dmis-lab/biobert-base-cased-v1.1"));
    // A hub id that the hub does not have: an error, and no empty folders left in the cache.
    await assertRejects(() => resolveModelDir("test-org/nope", { cacheDir, log: () => {} }), DownloadError);
    assertEquals([...Deno.readDirSync(cacheDir)], []);
  } finally {
    if (previous === undefined) Deno.env.delete("HF_ENDPOINT");
    else Deno.env.set("HF_ENDPOINT", previous);
    await hub.server.shutdown();
    await Deno.remove(cacheDir, { recursive: true });
  }
});
