/**
 * The CUDA and cuDNN libraries tfjs-node-gpu needs, found (or not) the way the dynamic loader finds them.
 *
 * tfjs-node-gpu 4.22 ships libtensorflow 2.9.1 built with CUDA 11.2 and cuDNN 8.1. TensorFlow's DSO loader
 * dlopens `lib<name>.so.<version>` with the versions of that build (tensorflow/stream_executor/platform/
 * default/dso_loader.cc: cudart "11.0", cublas and cublasLt "11", cufft "10", curand "10", cusolver "11",
 * cusparse "11", cudnn "8"), plus the driver's `libcuda.so.1`. A machine with only a newer CUDA (12.x, 13.x)
 * has `libcudart.so.12`… — other sonames, which TensorFlow never opens: the GPU then fails to initialise with
 * an opaque error. This module names each library that is missing or of the wrong version.
 *
 * @module
 */
import { basename, join } from "node:path";
import { envValue } from "../util/config.ts";

/** One library TensorFlow opens. */
export interface CudaLibrary {
  /** What dlopen asks for, e.g. `libcudart.so.11.0`. */
  soname: string;
  /** Where it comes from, for the user. */
  from: string;
  /** Oldest full version that works (checked on the real file name, e.g. `libcudnn.so.8.1.0`), if any. */
  minimumVersion?: string;
}

/** The libraries of libtensorflow 2.9.1 (tfjs-node-gpu 4.22), CUDA 11.2 / cuDNN 8.1 build. */
export const TFJS_NODE_GPU_LIBRARIES: readonly CudaLibrary[] = [
  { soname: "libcuda.so.1", from: "the NVIDIA driver" },
  { soname: "libcudart.so.11.0", from: "CUDA 11.x runtime (cuda-cudart-11-x)", minimumVersion: "11.2" },
  { soname: "libcublas.so.11", from: "CUDA 11.x cuBLAS (libcublas-11-x)" },
  { soname: "libcublasLt.so.11", from: "CUDA 11.x cuBLAS (libcublas-11-x)" },
  { soname: "libcufft.so.10", from: "CUDA 11.x cuFFT (libcufft-11-x)" },
  { soname: "libcurand.so.10", from: "CUDA 11.x cuRAND (libcurand-11-x)" },
  { soname: "libcusolver.so.11", from: "CUDA 11.x cuSOLVER (libcusolver-11-x)" },
  { soname: "libcusparse.so.11", from: "CUDA 11.x cuSPARSE (libcusparse-11-x)" },
  { soname: "libcudnn.so.8", from: "cuDNN 8 for CUDA 11 (libcudnn8)", minimumVersion: "8.1" },
];

/** How one library was found. */
export interface CudaLibraryStatus {
  soname: string;
  from: string;
  /** ok; missing (no file of any version); wrong-version (only other sonames, or older than required). */
  status: "ok" | "missing" | "wrong-version";
  /** The file the loader would open. */
  path?: string;
  /** Full version read from the real file name (`libcudart.so.11.2.152` → `11.2.152`), when it has one. */
  version?: string;
  /** Other sonames of the same library that are there (e.g. `libcudart.so.12`). */
  others: string[];
  /** One line for the user. */
  message: string;
}

/** Where to look, as the dynamic loader does: `LD_LIBRARY_PATH` folders first, then the ldconfig cache. */
export interface CudaSearchOptions {
  /** Default: the `LD_LIBRARY_PATH` environment variable. */
  ldLibraryPath?: string;
  /** The output of `ldconfig -p`. Default: runs it (empty when it cannot run). */
  ldconfigOutput?: string;
}

/**
 * Parses `ldconfig -p` output into soname → path (first entry wins, as for the loader).
 *
 * @example
 * ```ts
 * parseLdconfig("\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8");
 * // Map { "libcudnn.so.8" => "/usr/lib/x86_64-linux-gnu/libcudnn.so.8" }
 * ```
 */
export function parseLdconfig(output: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of output.split("\n")) {
    const match = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    // Not the 32-bit entries ("(libc6)"): a 32-bit libcuda.so.1 cannot be loaded by a 64-bit Deno.
    if (match && !entries.has(match[1]) && match[2] !== "libc6") {
      entries.set(match[1], match[3]);
    }
  }
  return entries;
}

async function ldconfigOutput(): Promise<string> {
  for (const ldconfig of ["ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"]) {
    const output = await new Deno.Command(ldconfig, { args: ["-p"], stdout: "piped", stderr: "null" })
      .output().catch(() => undefined);
    if (output?.success) return new TextDecoder().decode(output.stdout);
  }
  return "";
}

/** File names in `dir`, or none when it cannot be read. */
function namesIn(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** `a` ≥ `b` for dotted numeric versions. */
function versionAtLeast(a: string, b: string): boolean {
  const x = a.split(".").map(Number), y = b.split(".").map(Number);
  for (let i = 0; i < y.length; i++) {
    if ((x[i] ?? 0) !== y[i]) return (x[i] ?? 0) > y[i];
  }
  return true;
}

/**
 * Finds every library of `libraries` as the dynamic loader would, and says which are missing or of the wrong
 * version.
 *
 * @example
 * ```ts
 * const statuses = await checkCudaLibraries();
 * for (const s of statuses.filter((s) => s.status !== "ok")) console.error(s.message);
 * ```
 */
export async function checkCudaLibraries(
  options: CudaSearchOptions = {},
  libraries: readonly CudaLibrary[] = TFJS_NODE_GPU_LIBRARIES,
): Promise<CudaLibraryStatus[]> {
  const cache = parseLdconfig(options.ldconfigOutput ?? await ldconfigOutput());
  const searchDirs = (options.ldLibraryPath ?? envValue("LD_LIBRARY_PATH") ?? "").split(":").filter(Boolean);
  // Every candidate soname → path, LD_LIBRARY_PATH before the cache (the loader's order).
  const available = new Map<string, string>();
  for (const dir of searchDirs) {
    for (const name of namesIn(dir)) if (!available.has(name)) available.set(name, join(dir, name));
  }
  for (const [name, path] of cache) if (!available.has(name)) available.set(name, path);

  return libraries.map(({ soname, from, minimumVersion }) => {
    const stem = soname.slice(0, soname.indexOf(".so.") + 4); // "libcudart.so."
    const others = [...available.keys()]
      // Not the soname itself, nor the fully versioned file it links to (libcudart.so.11.0.*).
      .filter((name) => name.startsWith(stem) && name !== soname && !name.startsWith(`${soname}.`))
      .sort();
    const path = available.get(soname);
    if (!path) {
      const message = others.length > 0
        ? `${soname} missing (wrong version: only ${others.join(", ")}); install ${from}`
        : `${soname} missing; install ${from}`;
      return { soname, from, status: others.length > 0 ? "wrong-version" : "missing", others, message };
    }
    const version = fullVersion(path, soname);
    if (minimumVersion && version && !versionAtLeast(version, minimumVersion)) {
      return {
        soname,
        from,
        status: "wrong-version",
        path,
        version,
        others,
        message: `${soname} is ${version} (${path}), needs ≥ ${minimumVersion}; install ${from}`,
      };
    }
    const message = `${soname} found: ${path}${version ? ` (${version})` : ""}`;
    return { soname, from, status: "ok", path, version, others, message };
  });
}

/**
 * The full version in the name of the file a soname link resolves to (`libcudart.so.11.0` →
 * `libcudart.so.11.2.152` gives `11.2.152`), or undefined when the file is the soname itself: a soname's own
 * number is not the library's version (libcudart.so.11.0 is every CUDA 11.x runtime).
 */
function fullVersion(path: string, soname: string): string | undefined {
  let real = path;
  try {
    real = Deno.realPathSync(path);
  } catch {
    // A cache entry whose file is gone: no version to read.
  }
  const name = basename(real);
  const stem = soname.slice(0, soname.indexOf(".so.") + 4); // "libcudart.so."
  return name !== soname && name.startsWith(stem) ? name.slice(stem.length) : undefined;
}
