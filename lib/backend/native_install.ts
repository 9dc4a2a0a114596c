/**
 * The npm-only route to TensorFlow's CPU library, for machines where tfjs-node's own install script cannot
 * download libtensorflow (it fetches from storage.googleapis.com; only the npm registry is reachable here).
 *
 * The npm package `tfjs-node-lambda-releases@1.6.1` holds `nodejs12.x-tf2.7.0.br`: a brotli-compressed tar
 * of a complete tfjs-node 2.7.0 install, with `deps/lib/libtensorflow.so.1.15.0` and an N-API binding
 * (`lib/napi-v6/tfjs_binding.node`). That binding's N-API surface is what tfjs-node 4.22's JS expects, so we
 * put its `deps/` and binding (as `lib/napi-v8/…`, where node-pre-gyp looks under Deno) into the tfjs-node
 * 4.22.0 package that `deno install` left without native parts.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createBrotliDecompress } from "node:zlib";
import { BINDING_SUBPATH, libtensorflowVersion, nativeInstalled, tfjsNodePackageDir } from "./native.ts";
import { extractTar } from "./tar.ts";
import { PROJECT_ROOT } from "../util/paths.ts";

/** The npm package carrying the prebuilt libtensorflow, pinned: its size is checked after download. */
export const RELEASES_PACKAGE = { spec: "tfjs-node-lambda-releases@1.6.1", size: 194_920_996 };
const RELEASE_ENTRY = "package/nodejs12.x-tf2.7.0.br";
const INSTALL_PREFIX = "node_modules/@tensorflow/tfjs-node/";
const RELEASE_BINDING = `${INSTALL_PREFIX}lib/napi-v6/tfjs_binding.node`;

/** Options of {@link installNativeTensorflow}. */
export interface NativeInstallOptions {
  /** The tfjs-node package folder to complete. Default: the one `deno install` made for this project. */
  packageDir?: string;
  /** Folder for the download's scratch space (removed afterwards). Default: data/cache/. */
  cacheDir?: string;
  /** The npm command. Default "npm". */
  npm?: string;
  /** The package to `npm pack` and its exact size in bytes. Default {@link RELEASES_PACKAGE}. */
  releases?: { spec: string; size: number };
  /** Progress messages. Default: none. */
  log?: (message: string) => void;
}

/** What {@link installNativeTensorflow} did. */
export interface NativeInstallResult {
  status: "present" | "installed";
  packageDir: string;
  libtensorflow: string;
}

/**
 * Puts libtensorflow and the tfjs-node binding into the tfjs-node package, from the npm registry only.
 * Idempotent: returns at once when both are there (from an earlier run or tfjs-node's official install).
 * The binding is moved in last, so an interrupted run leaves the package "not installed", never half.
 *
 * @example
 * ```ts
 * const { status, libtensorflow } = await installNativeTensorflow({ log: console.error });
 * ```
 */
export async function installNativeTensorflow(
  options: NativeInstallOptions = {},
): Promise<NativeInstallResult> {
  const log = options.log ?? (() => {});
  const packageDir = options.packageDir ?? tfjsNodePackageDir("@tensorflow/tfjs-node");
  if (!packageDir) throw new Error("@tensorflow/tfjs-node is not in node_modules: run `deno install` first");
  if (nativeInstalled(packageDir)) {
    return { status: "present", packageDir, libtensorflow: libtensorflowVersion(packageDir)! };
  }
  const cacheDir = options.cacheDir ?? join(PROJECT_ROOT, "data", "cache");
  await Deno.mkdir(cacheDir, { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: cacheDir, prefix: "tfjs-native-" });
  const staging = join(packageDir, ".native-staging");
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  try {
    const archive = await npmPack(options.releases ?? RELEASES_PACKAGE, scratch, options.npm ?? "npm", log);
    log(`unpacking ${RELEASE_ENTRY}`);
    const [release] = await extractTar(
      (await Deno.open(archive)).readable.pipeThrough(new DecompressionStream("gzip")),
      {
        destination: scratch,
        select: (entry) => entry.path === RELEASE_ENTRY ? "release.tar.br" : undefined,
      },
    );
    if (!release) throw new Error(`${(options.releases ?? RELEASES_PACKAGE).spec} has no ${RELEASE_ENTRY}`);
    log("extracting libtensorflow and the binding (brotli + tar, ~370 MB)");
    const brotliTar = createReadStream(join(scratch, release)).pipe(createBrotliDecompress());
    const written = await extractTar(brotliTar, {
      destination: staging,
      select: ({ path }) =>
        path === RELEASE_BINDING
          ? BINDING_SUBPATH
          : path.startsWith(`${INSTALL_PREFIX}deps/`)
          ? path.slice(INSTALL_PREFIX.length)
          : undefined,
    });
    if (!written.includes(BINDING_SUBPATH) || !libtensorflowVersion(staging)) {
      throw new Error(
        `${RELEASE_ENTRY} lacks the binding or libtensorflow (found ${written.length} entries)`,
      );
    }
    await Deno.remove(join(packageDir, "deps"), { recursive: true }).catch(() => {});
    await Deno.rename(join(staging, "deps"), join(packageDir, "deps"));
    await Deno.mkdir(join(packageDir, BINDING_SUBPATH, ".."), { recursive: true });
    await Deno.rename(join(staging, BINDING_SUBPATH), join(packageDir, BINDING_SUBPATH));
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
  return { status: "installed", packageDir, libtensorflow: libtensorflowVersion(packageDir)! };
}

/** `npm pack`s a package into `folder` and checks its size; returns the archive's path. */
async function npmPack(
  pkg: { spec: string; size: number },
  folder: string,
  npm: string,
  log: (message: string) => void,
): Promise<string> {
  log(`npm pack ${pkg.spec} (${(pkg.size / 1e6).toFixed(0)} MB)`);
  const output = await new Deno.Command(npm, {
    args: ["pack", pkg.spec, "--pack-destination", folder, "--silent"],
    stdout: "piped",
    stderr: "piped",
  }).output().catch((error) => {
    throw new Error(`cannot run ${npm} (needed to fetch ${pkg.spec}): ${error.message}`);
  });
  const stderr = new TextDecoder().decode(output.stderr).trim();
  if (!output.success) throw new Error(`npm pack ${pkg.spec} failed: ${stderr || `exit ${output.code}`}`);
  const name = new TextDecoder().decode(output.stdout).trim().split("\n").pop()!;
  const archive = join(folder, name);
  const { size } = await Deno.stat(archive);
  if (size !== pkg.size) {
    throw new Error(`${archive}: ${size} bytes, expected ${pkg.size} (corrupt download?)`);
  }
  return archive;
}
