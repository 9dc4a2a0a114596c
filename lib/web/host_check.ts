/**
 * Host and Origin checks against DNS rebinding and cross-site requests: a page on another site can make the
 * browser send requests to 127.0.0.1 (a rebinding DNS name resolves to it), but it cannot choose the Host
 * header (its own name) or the Origin header (its own origin). Only requests naming an allowed host pass.
 *
 * @module
 */

/** The names of this machine's loopback interface: the default allow-list. */
export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];

/** The host name of a Host header value (`name[:port]`, `[v6][:port]`), lower-cased; null when malformed. */
function hostName(value: string): string | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+)(?::\d{1,5})?$/.exec(value.trim());
  return match ? match[1].toLowerCase() : null;
}

/**
 * Why a request's Host or Origin is refused, or null when both are allowed. A missing Origin passes (same
 * origin navigations and non-browser clients send none); a missing Host does not (HTTP/1.1 requires it).
 *
 * @example
 * ```ts
 * hostRefusal(new Headers({ host: "evil.example:8000" }), LOOPBACK_HOSTS);
 * // 'Host "evil.example:8000" is not served here (allowed: localhost, 127.0.0.1, [::1])'
 * ```
 */
export function hostRefusal(headers: Headers, allowedHosts: readonly string[]): string | null {
  return hostChecker(allowedHosts)(headers);
}

/**
 * {@link hostRefusal} with the allow-list prepared once, for a server that checks every request.
 *
 * @example
 * ```ts
 * const refusal = hostChecker(LOOPBACK_HOSTS);
 * refusal(new Headers({ host: "127.0.0.1:8000" })); // null
 * ```
 */
export function hostChecker(allowedHosts: readonly string[]): (headers: Headers) => string | null {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  const list = `(allowed: ${[...allowed].join(", ")}; see --allow-host)`;
  return (headers) => refusalOf(headers, allowed, list);
}

function refusalOf(headers: Headers, allowed: ReadonlySet<string>, list: string): string | null {
  const host = headers.get("host");
  if (host === null) return "the request has no Host header";
  const name = hostName(host);
  if (name === null || !allowed.has(name)) return `Host "${host}" is not served here ${list}`;
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string | null = null;
  try {
    const url = new URL(origin);
    if (url.protocol === "http:" || url.protocol === "https:") originHost = hostName(url.host);
  } catch {
    // "null" (sandboxed frames, file: pages) and garbage: refused below
  }
  if (originHost === null || !allowed.has(originHost)) {
    return `Origin "${origin}" may not use this API ${list}`;
  }
  return null;
}
