/**
 * Helpers of the static page's tests: a static file server for a page folder (what any static server does:
 * files by path, a content type by extension, 404 otherwise), a word-level model trained here in seconds, and
 * a Chromium page on the served folder.
 *
 * @module
 */
import { extname, join, normalize } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Serves `root`'s files from 127.0.0.1 (a free port); `requests` lists every path asked for. */
export function serveStatic(root: string): { url: string; requests: string[]; close(): Promise<void> } {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    requests.push(path);
    const file = join(root, normalize(path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root)) return new Response("not found", { status: 404 });
    const body = await Deno.readFile(file).catch(() => undefined);
    if (!body) return new Response("not found", { status: 404 });
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    return new Response(body, { headers: { "content-type": type } });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/`, requests, close: () => server.shutdown() };
}
