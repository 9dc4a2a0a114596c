/**
 * Debian's classic Jupyter Notebook server (6.4) for browser tests: on 127.0.0.1, a free port, token auth, the
 * Deno kernelspec in a temporary JUPYTER_PATH and its own temporary Jupyter data folder (notebook secret and
 * signature database), serving the project folder.
 */
import { join } from "node:path";
import { writeKernelSpec } from "../../lib/notebook/run.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

export const JUPYTER_NOTEBOOK = "/usr/bin/jupyter-notebook";

export interface NotebookServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** Environment of the server's Jupyter (JUPYTER_PATH, JUPYTER_DATA_DIR, …): use it for `jupyter trust`. */
  env: Record<string, string>;
  /** The URL that opens a notebook of the project (path relative to the project root). */
  notebookUrl(path: string): string;
  close(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts the server and waits (at most 60 s) until its API answers. */
export async function startNotebookServer(): Promise<NotebookServer> {
  const dir = await Deno.makeTempDir({ prefix: "classic-notebook-" });
  await writeKernelSpec(join(dir, "path"));
  const token = crypto.randomUUID().replaceAll("-", "");
  const port = freePort();
  const env = {
    JUPYTER_PATH: join(dir, "path"),
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
  };
  const child = new Deno.Command(JUPYTER_NOTEBOOK, {
    args: [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${PROJECT_ROOT}`,
      // CI runs as root; the server refuses that without the flag.
      ...(Deno.uid() === 0 ? ["--allow-root"] : []),
    ],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log.push(chunk);
  })();
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await reading;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/api/status?token=${token}`).then(
      (r) => (r.body?.cancel(), r.ok),
      () => false,
    );
    if (ok) break;
    if (exited || Date.now() > deadline) {
      await close();
      throw new Error(
        `jupyter notebook ${exited ? "exited" : `did not answer on ${url} within 60 s`}:\n${
          log.join("").slice(-2000)
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    token,
    env,
    notebookUrl: (path) => `${url}/notebooks/${path}?token=${token}`,
    close,
  };
}
