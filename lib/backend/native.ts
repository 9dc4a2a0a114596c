/**
 * TensorFlow's C library through `@tensorflow/tfjs-node` (CPU) or `@tensorflow/tfjs-node-gpu` (CUDA).
 *
 * Either package's native part may come from its official install script (downloads libtensorflow 2.9.1;
 * needs internet) or, for the CPU package, from the npm-only route of `deno task setup`
 * (see native_install.ts). Both put a `deps/lib/libtensorflow.so.*` and `lib/napi-v8/tfjs_binding.node` into
 * the package folder, which is all this module looks at.
 *
 * @module
 */
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import util from "node:util";
import { PROJECT_ROOT } from "../util/paths.ts";
import { activateTfjsBackend } from "./check.ts";
import { checkCudaLibraries } from "./cuda_libs.ts";
import { type ActiveBackend, type BackendCandidate, BackendUnavailableError } from "./select.ts";
import { envValue, setEnv } from "../util/config.ts";

/** The two native packages: CPU and CUDA builds. */
export type TfjsNodePackage = "@tensorflow/tfjs-node" | "@tensorflow/tfjs-node-gpu";

/** Where node-pre-gyp looks for the binding under Deno (N-API 8 is the newest tfjs-node lists). */
export const BINDING_SUBPATH = join("lib", "napi-v8", "tfjs_binding.node");

/** File whose presence means an NVIDIA driver is loaded. */
const NVIDIA_DRIVER_FILE = "/proc/driver/nvidia/version";

/**
 * The real folder of an installed tfjs-node package (Deno keeps it under node_modules/.deno/…), or
 * undefined when `deno install` has not put it there.
 *
 * @example
 * ```ts
 * tfjsNodePackageDir("@tensorflow/tfjs-node"); // ".../node_modules/.deno/@tensorflow+tfjs-node@4.22.0/..."
 * ```
 */
export function tfjsNodePackageDir(pkg: TfjsNodePackage, root = PROJECT_ROOT): string | undefined {
  const link = join(root, "node_modules", pkg);
  return existsSync(link) ? realpathSync(link) : undefined;
}

/**
 * The libtensorflow version installed in a tfjs-node package folder (from `deps/lib/libtensorflow.so.X.Y.Z`),
 * or undefined.
 *
 * @example
 * ```ts
 * declare const dir: any; // the example's inputs
 * libtensorflowVersion(dir); // "1.15.0" (npm-only route) or "2.9.1" (official install)
 * ```
 */
export function libtensorflowVersion(packageDir: string): string | undefined {
  const libDir = join(packageDir, "deps", "lib");
  if (!existsSync(libDir)) return undefined;
  const versions = readdirSync(libDir).map((f) => /^libtensorflow\.so\.(\d+\.\d+\.\d+)$/.exec(f)?.[1]);
  return versions.find((v) => v !== undefined);
}

/**
 * Whether both the binding and libtensorflow are in place in `packageDir`.
 *
 * @example
 * ```ts
 * nativeInstalled(tfjsNodePackageDir("@tensorflow/tfjs-node")!); // true after `deno task setup`
 * ```
 */
export function nativeInstalled(packageDir: string): boolean {
  return existsSync(join(packageDir, BINDING_SUBPATH)) && libtensorflowVersion(packageDir) !== undefined;
}

// tfjs-node calls util.isNullOrUndefined, which Node deprecated and Deno's node:util no longer has.
function polyfillNodeUtil(): void {
  const legacy = util as unknown as Record<string, unknown>;
  legacy.isNullOrUndefined ??= (value: unknown) => value === null || value === undefined;
}

/** Process-wide marker (environment variables are shared by every isolate of a process): "<pid>:<isolate>". */
const NATIVE_OWNER_ENV = "NER_NATIVE_BINDING_OWNER";
const ISOLATE_TOKEN = crypto.randomUUID();

/**
 * The tfjs-node binding keeps its tensor-id table in the shared library, once per process, and
 * `deno test --parallel` runs test files as isolates of ONE process: two isolates using it would delete each
 * other's tensors ("Delete called on a Tensor not referenced"). The first isolate claims it; the others get a
 * reason to skip. A marker inherited by a child process carries the parent's pid and is ignored.
 */
function claimNativeBinding(): void {
  const [pid, owner] = (envValue(NATIVE_OWNER_ENV) ?? "").split(":");
  if (pid === String(Deno.pid) && owner !== ISOLATE_TOKEN) {
    throw new BackendUnavailableError(
      "another isolate of this process (deno test --parallel worker) already uses the tfjs-node binding, " +
        "whose tensor ids are process-global",
    );
  }
  setEnv(NATIVE_OWNER_ENV, `${Deno.pid}:${ISOLATE_TOKEN}`);
}

let loaded: { pkg: TfjsNodePackage; promise: Promise<void> } | undefined;

/** Imports a tfjs-node package once per process (both register the same "tensorflow" backend). */
async function loadTfjsNode(pkg: TfjsNodePackage): Promise<void> {
  if (loaded && loaded.pkg !== pkg) {
    throw new BackendUnavailableError(`${loaded.pkg} is already loaded in this process`);
  }
  if (!loaded) {
    claimNativeBinding();
    polyfillNodeUtil();
    // libtensorflow logs CPU features and XLA start-up at INFO level on every load.
    if (envValue("TF_CPP_MIN_LOG_LEVEL") === undefined) setEnv("TF_CPP_MIN_LOG_LEVEL", "2");
    // TensorFlow's own best-fit-with-coalescing pool for CPU tensors instead of malloc, read when its first
    // context starts. With malloc every activation above the mmap threshold is a fresh mapping whose pages
    // fault in (BERT-base 32×128 training: ~8 M page faults and ~15 s of system time a step); the pool keeps
    // its regions and reuses them. Measured (docs/benchmarks.md): BERT-base training steps ~20 % faster at
    // 8×128 and 32×128, peak RSS within a few per cent.
    if (envValue("TF_CPU_ALLOCATOR_USE_BFC") === undefined) setEnv("TF_CPU_ALLOCATOR_USE_BFC", "true");
    // node-pre-gyp (finding the binding at import) parses process.argv as its own options: a CLI flag such as
    // `--dir x` would be taken for `--directory` and break loading. Hide the arguments during the import.
    const args = process.argv.splice(2);
    const restoreArgs = () => void process.argv.push(...args);
    const promise = (pkg === "@tensorflow/tfjs-node"
      ? import("@tensorflow/tfjs-node").then(() => {})
      : import("@tensorflow/tfjs-node-gpu").then(() => {})).finally(restoreArgs);
    // A binding that fails to load registers nothing: let the other package try.
    loaded = { pkg, promise: promise.catch((error) => (loaded = undefined, Promise.reject(error))) };
  }
  await loaded.promise;
}

/**
 * Activates the native backend of `pkg` after checking its files (and whatever `checkBeforeLoad` checks), so
 * a missing install is a clear reason rather than a loader error.
 */
async function activateTfjsNode(
  pkg: TfjsNodePackage,
  installHint: string,
  checkBeforeLoad?: () => Promise<void>,
): Promise<ActiveBackend> {
  const dir = tfjsNodePackageDir(pkg);
  if (!dir) throw new BackendUnavailableError(`${pkg} is not in node_modules (run \`deno install\`)`);
  if (!nativeInstalled(dir)) {
    throw new BackendUnavailableError(`${pkg} has no native binding/libtensorflow (${installHint})`);
  }
  await checkBeforeLoad?.();
  await loadTfjsNode(pkg);
  await activateTfjsBackend("tensorflow");
  const version = libtensorflowVersion(dir)!;
  const route = version.startsWith("1.") ? "npm-only route (tfjs-node-lambda-releases)" : "official install";
  return { tfjsName: "tensorflow", detail: `${pkg} with libtensorflow ${version}, ${route}` };
}

/** Names the CUDA/cuDNN libraries libtensorflow-gpu would fail to open (instead of TensorFlow's opaque error). */
async function requireCudaLibraries(): Promise<void> {
  const wrong = (await checkCudaLibraries()).filter((library) => library.status !== "ok");
  if (wrong.length > 0) {
    throw new BackendUnavailableError(
      `tfjs-node-gpu (libtensorflow 2.9.1) needs CUDA 11.x + cuDNN 8 libraries: ` +
        wrong.map((library) => library.message).join("; "),
    );
  }
}

/** TensorFlow with CUDA; never imported unless an NVIDIA driver is loaded. */
export const gpuCandidate: BackendCandidate = {
  name: "gpu",
  activate() {
    if (!existsSync(NVIDIA_DRIVER_FILE)) {
      return Promise.reject(new BackendUnavailableError(`no NVIDIA driver (${NVIDIA_DRIVER_FILE} absent)`));
    }
    return activateTfjsNode(
      "@tensorflow/tfjs-node-gpu",
      "needs `deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu` with internet, CUDA 11.2, cuDNN 8.1",
      requireCudaLibraries,
    );
  },
};

/** TensorFlow's CPU library: the fastest CPU backend. */
export const nativeCandidate: BackendCandidate = {
  name: "native",
  activate: () => activateTfjsNode("@tensorflow/tfjs-node", "run `deno task setup`"),
};
