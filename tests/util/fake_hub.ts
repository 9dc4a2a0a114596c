/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, for the download tests of datasets: `…/resolve/<rev>/…`
 * answers with a redirect to a file server that honours Range requests (as the hub's CDN does), can be told
 * to fail the next requests with 503, and records the Range header of every file request.
 */

/** A running stand-in hub. */
export interface FakeHub {
  /** Its base URL (what HF_ENDPOINT would be). */
  endpoint: string;
  /** Range header of each file request ("" when none), in order. */
  ranges: string[];
  /** Make the next n file requests fail with 503. */
  failNext(n: number): void;
  close(): Promise<void>;
}

/**
 * Serves `files`, keyed by their hub URL path (`/datasets/<id>/resolve/<revision>/<path>`, the revision
 * URL-escaped as the client sends it); anything else is 404.
 */
export function startFakeHub(files: Readonly<Record<string, Uint8Array>>): FakeHub {
  const paths = Object.keys(files);
  const ranges: string[] = [];
  let failures = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { pathname } = new URL(request.url);
    const index = paths.indexOf(pathname);
    if (index >= 0) return Response.redirect(new URL(`/cdn/${index}`, request.url), 302);
    const cdn = /^\/cdn\/(\d+)$/.exec(pathname);
    const body = cdn ? files[paths[Number(cdn[1])]] : undefined;
    if (!body) return new Response("not found", { status: 404 });
    ranges.push(request.headers.get("range") ?? "");
    if (failures > 0) {
      failures--;
      return new Response("busy", { status: 503 });
    }
    const from = Number(/^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "")?.[1] ?? 0);
    if (from >= body.length && from > 0) return new Response(null, { status: 416 });
    return new Response(body.slice(from), {
      status: from > 0 ? 206 : 200,
      headers: { "content-length": String(body.length - from) },
    });
  });
  return {
    endpoint: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    ranges,
    failNext: (n) => (failures = n),
    close: () => server.shutdown(),
  };
}
