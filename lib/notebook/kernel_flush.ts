/**
 * Makes a cell's displays reach the frontend before the cell ends, in the Deno Jupyter kernel.
 *
 * Why: Deno's kernel (cli/js/jupyter_kernel.js, since the JS rewrite of 2.9) hands every `display_data` the
 * cell broadcasts to an unbounded channel that a separate loop (`iopubDrainer`) drains, HMAC-signing each
 * message asynchronously before it writes it to the iopub socket. `handleExecute` sends `execute_reply` and
 * `status: idle` as soon as the cell's promise resolves, without waiting for that channel. A display still
 * queued or being signed is then published after `idle`; Jupyter clients stop listening to a request at its
 * `idle` (nbclient's `_async_poll_output_msg`, classic Notebook's and JupyterLab's per-request callbacks), so
 * it is dropped — the cell's last output goes missing, more often the larger it is.
 *
 * The fix: the drainer publishes in order, one message at a time, to every iopub subscriber in turn. So the
 * cell subscribes to the kernel's own iopub socket (its address is in the connection file the kernel was
 * started with), broadcasts a marker — a `status: busy` message, which every client ignores while the cell
 * is busy anyway — and waits until the marker comes back. By then every display broadcast before it has
 * been written to every subscriber, the frontend included, so the cell's `idle` can only come after them.
 * Nothing is waited for by time: a marker sent before the subscription was registered is resent.
 *
 * @module
 */

const MARKER_FIELD = "deno_display_flush";
/** How long to wait for a marker before resending it (only the first flush of a kernel may need to). */
const RESEND_MS = 200;
/** Give up (with a warning) after this long: the displays are still sent, merely not confirmed. */
const GIVE_UP_MS = 30_000;

interface ConnectionInfo {
  ip: string;
  iopub_port: number;
  transport?: string;
}

/**
 * The connection file of the kernel this process runs (`deno jupyter --kernel --conn FILE`), read from the
 * process's command line; undefined when this is not a kernel (or not Linux, where /proc is missing).
 */
function kernelConnectionFile(): string | undefined {
  let args: string[];
  try {
    args = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
  } catch {
    return undefined;
  }
  const at = args.indexOf("--conn");
  return at >= 0 && args.includes("--kernel") ? args[at + 1] : undefined;
}

const READ_CHUNK = 65536;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
const DELIMITER = "<IDS|MSG>";

/** A minimal ZMTP 3.0 SUB socket (NULL mechanism) that reports the markers it sees. */
class IopubMarkerListener {
  #waiters = new Map<string, () => void>();
  /** Bytes read past the last frame. */
  #buffer = new Uint8Array(0);

  private constructor(private readonly conn: Deno.TcpConn) {}

  static async connect(info: ConnectionInfo): Promise<IopubMarkerListener> {
    if ((info.transport ?? "tcp") !== "tcp") throw new Error(`transport ${info.transport} is not tcp`);
    const conn = await Deno.connect({ hostname: info.ip, port: info.iopub_port });
    conn.setNoDelay(true);
    const listener = new IopubMarkerListener(conn);
    // Greeting: signature, version 3.0, mechanism NULL, as-server 0.
    const greeting = new Uint8Array(64);
    greeting[0] = 0xff;
    greeting[9] = 0x7f;
    greeting[10] = 3;
    greeting.set(ENCODER.encode("NULL"), 12);
    await writeAll(conn, greeting);
    await listener.#read(64);
    await writeAll(conn, frame(readyCommand("SUB"), { command: true }));
    await listener.#readFrame(); // the peer's READY
    await writeAll(conn, frame(Uint8Array.of(1))); // subscribe to every topic
    listener.#listen();
    return listener;
  }

  /** Calls `onSeen` when the marker `id` comes back on iopub (register before broadcasting it). */
  expect(id: string, onSeen: () => void): void {
    this.#waiters.set(id, onSeen);
  }

  forget(id: string): void {
    this.#waiters.delete(id);
  }

  async #listen(): Promise<void> {
    try {
      while (true) {
        const frames: Uint8Array[] = [];
        let more = true;
        while (more) {
          const next = await this.#readFrame();
          more = next.more;
          frames.push(next.body);
        }
        const id = markerOf(frames);
        if (id !== undefined) this.#waiters.get(id)?.();
      }
    } catch {
      // Kernel shutting down: the connection closed.
    }
  }

  /** The next `n` bytes; large frames are read straight into their buffer (no regrowing copies). */
  async #read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let filled = Math.min(n, this.#buffer.length);
    out.set(this.#buffer.subarray(0, filled));
    this.#buffer = this.#buffer.subarray(filled);
    while (filled < n) {
      const chunk = n - filled >= READ_CHUNK ? out.subarray(filled) : new Uint8Array(READ_CHUNK);
      const got = await this.conn.read(chunk);
      if (got === null) throw new Error("iopub connection closed");
      if (chunk.buffer === out.buffer) {
        filled += got;
      } else {
        const take = Math.min(got, n - filled);
        out.set(chunk.subarray(0, take), filled);
        filled += take;
        this.#buffer = chunk.subarray(take, got);
      }
    }
    return out;
  }

  async #readFrame(): Promise<{ body: Uint8Array; more: boolean }> {
    const [flags] = await this.#read(1);
    const size = flags & 0x02
      ? Number(new DataView((await this.#read(8)).buffer).getBigUint64(0))
      : (await this.#read(1))[0];
    return { body: await this.#read(size), more: (flags & 0x01) !== 0 };
  }
}

/** The marker id of a Jupyter message, when it is one of ours. */
function markerOf(frames: Uint8Array[]): string | undefined {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && DECODER.decode(f) === DELIMITER);
  // [<IDS|MSG>, signature, header, parent_header, metadata, content, …]
  if (at < 0 || frames.length < at + 6) return undefined;
  // Only small status messages can be markers: skip decoding large outputs.
  if (frames[at + 5].length > 256) return undefined;
  try {
    const header = JSON.parse(DECODER.decode(frames[at + 2]));
    if (header.msg_type !== "status") return undefined;
    const id = JSON.parse(DECODER.decode(frames[at + 5]))[MARKER_FIELD];
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

function frame(body: Uint8Array, options: { command?: boolean } = {}): Uint8Array {
  const long = body.length > 255;
  const head = long ? 9 : 2;
  const out = new Uint8Array(head + body.length);
  out[0] = (long ? 0x02 : 0) | (options.command ? 0x04 : 0);
  if (long) new DataView(out.buffer).setBigUint64(1, BigInt(body.length));
  else out[1] = body.length;
  out.set(body, head);
  return out;
}

function readyCommand(socketType: string): Uint8Array {
  const name = ENCODER.encode("READY");
  const key = ENCODER.encode("Socket-Type");
  const value = ENCODER.encode(socketType);
  const body = new Uint8Array(1 + name.length + 1 + key.length + 4 + value.length);
  let o = 0;
  body[o++] = name.length;
  body.set(name, o);
  o += name.length;
  body[o++] = key.length;
  body.set(key, o);
  o += key.length;
  new DataView(body.buffer).setUint32(o, value.length);
  body.set(value, o + 4);
  return body;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}

/** undefined: not tried yet; null: not a kernel, or the connection failed (flushing is then a no-op). */
let listener: Promise<IopubMarkerListener | null> | undefined;

function iopubListener(): Promise<IopubMarkerListener | null> {
  listener ??= (async () => {
    const file = kernelConnectionFile();
    if (!file) return null;
    try {
      return await IopubMarkerListener.connect(JSON.parse(await Deno.readTextFile(file)));
    } catch (error) {
      console.error(`display flush unavailable (${(error as Error).message}): late outputs may be lost`);
      return null;
    }
  })();
  return listener;
}

let warned = false;

/**
 * Waits until everything the cell has displayed so far has been published to the frontend (see the module
 * doc). Returns at once outside the Deno Jupyter kernel. {@link displayBundle} calls it after every display.
 *
 * @example
 * ```ts
 * await Deno.jupyter.display({ "text/plain": "hello" }, { raw: true });
 * await flushKernelOutputs();
 * ```
 */
export async function flushKernelOutputs(): Promise<void> {
  const sub = await iopubListener();
  if (!sub) return;
  const deadline = performance.now() + GIVE_UP_MS;
  const sent: string[] = [];
  // Any of this call's markers coming back proves that what was broadcast before it has been published.
  let markerSeen!: () => void;
  const back = new Promise<true>((resolve) => markerSeen = () => resolve(true));
  try {
    while (performance.now() < deadline) {
      const id = crypto.randomUUID();
      sent.push(id);
      sub.expect(id, markerSeen);
      await Deno.jupyter.broadcast("status", { execution_state: "busy", [MARKER_FIELD]: id });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const resend = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), RESEND_MS));
      const ok = await Promise.race([back, resend]);
      clearTimeout(timer);
      if (ok) return;
    }
    if (!warned) {
      warned = true;
      console.error("display flush: no marker came back on iopub; late outputs may be lost");
    }
  } finally {
    for (const id of sent) sub.forget(id);
  }
}
