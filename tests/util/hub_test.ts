/**
 * The hub client shared by datasets and models: URL layout, cache layout, and the token header — from
 * `HF_TOKEN` as set in-process after the module loaded — checked against a real server on 127.0.0.1.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { downloadHubFile, hubCacheDir, hubFileUrl } from "../../lib/util/hub.ts";
import { DownloadError } from "../../lib/util/download.ts";

Deno.test("hub URLs: models at the root, datasets under /datasets, the revision escaped", () => {
  const options = { endpoint: "https://hub.example/" };
  assertEquals(
    hubFileUrl({ kind: "model", id: "org/bert" }, "vocab.txt", options),
    "https://hub.example/org/bert/resolve/main/vocab.txt",
  );
  assertEquals(
    hubFileUrl({ kind: "dataset", id: "org/data" }, "cfg/x.parquet", { ...options, revision: "refs/pr/1" }),
    "https://hub.example/datasets/org/data/resolve/refs%2Fpr%2F1/cfg/x.parquet",
  );
});

Deno.test("hub cache layout: <root>/<id>, with @<revision> unless main", () => {
  assertEquals(hubCacheDir("/cache", "org/bert"), "/cache/org/bert");
  assertEquals(hubCacheDir("/cache", "org/bert", "v2"), "/cache/org/bert@v2");
});

Deno.test("downloadHubFile sends HF_TOKEN read at call time, uses HF_ENDPOINT, names the repository on errors", async () => {
  const seen: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push(request.headers.get("authorization"));
    const path = new URL(request.url).pathname;
    if (path === "/datasets/org/data/resolve/main/a.txt") return new Response("hello");
    return new Response("Entry not found", { status: 404 });
  });
  const dir = await Deno.makeTempDir();
  const saved = { endpoint: Deno.env.get("HF_ENDPOINT"), token: Deno.env.get("HF_TOKEN") };
  Deno.env.set("HF_ENDPOINT", `http://127.0.0.1:${server.addr.port}`);
  Deno.env.set("HF_TOKEN", "hf_late");
  try {
    const repo = { kind: "dataset", id: "org/data" } as const;
    const dest = await downloadHubFile(repo, "a.txt", join(dir, "a.txt"), { log: () => {} });
    assertEquals(await Deno.readTextFile(dest), "hello");
    const error = await assertRejects(
      () => downloadHubFile(repo, "b.txt", join(dir, "b.txt"), { log: () => {}, token: "hf_option" }),
      DownloadError,
    );
    assertStringIncludes(error.message, "dataset org/data: HTTP 404");
    assertEquals(seen, ["Bearer hf_late", "Bearer hf_option"]);
  } finally {
    for (const [name, value] of [["HF_ENDPOINT", saved.endpoint], ["HF_TOKEN", saved.token]] as const) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
