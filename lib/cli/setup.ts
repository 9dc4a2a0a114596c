/**
 * `deno task setup`: installs what the project needs on a fresh machine that has only node + npm.
 * Every step is idempotent and says on stderr what it did or why it skipped.
 *
 * - npm packages of the import map (into node_modules/);
 * - from Debian, when we are root and apt works: Jupyter (nbconvert + client; `jupyter trust` to sign executed
 *   notebooks; the classic Notebook server the browser test drives), Chromium, GNU parallel, strace (the
 *   durable-write test traces fsyncs) and lavapipe (Mesa's Vulkan-on-CPU driver + the Vulkan loader: a real WebGPU
 *   adapter for the WebGPU tests);
 * - the Deno Jupyter kernel spec;
 * - the bundler of `deno bundle` (esbuild, which Deno fetches from npm into its own cache on first use), which
 *   `deno task page` runs (lib/page/build.ts).
 *
 * @module
 */
// Local modules only: this runs before node_modules/ exists.
import { runCommand } from "../util/exit_error.ts";
import { pathExistsSync } from "../util/exists.ts";

function log(message: string): void {
  console.error(`[setup] ${message}`);
}

async function run(cmd: string, args: string[], options: { quiet?: boolean } = {}): Promise<boolean> {
  const output = await new Deno.Command(cmd, {
    args,
    stdout: options.quiet ? "null" : "inherit",
    stderr: options.quiet ? "null" : "inherit",
  }).output().catch(() => ({ success: false }));
  return output.success;
}

async function have(cmd: string): Promise<boolean> {
  return await run("sh", ["-c", `command -v ${cmd}`], { quiet: true });
}

async function installNpmPackages(): Promise<void> {
  log("npm packages (deno install)");
  if (!await run(Deno.execPath(), ["install", "--quiet"])) throw new Error("deno install failed");
}

async function installDebianPackages(): Promise<void> {
  // What shows each is installed, and its Debian packages. Vulkan paths are per architecture (x86_64, aarch64…).
  const wanted: [() => boolean, string][] = [
    [() => pathExistsSync("/usr/bin/jupyter"), "jupyter-nbconvert jupyter-client"],
    [() => pathExistsSync("/usr/bin/jupyter-trust"), "jupyter-nbformat"],
    [() => pathExistsSync("/usr/bin/jupyter-notebook"), "jupyter-notebook"],
    [() => pathExistsSync("/usr/bin/chromium"), "chromium"],
    // GNU parallel: the multi-process recipe of docs/corpus-scale.md, run by tests/cli/ner_workers_test.ts.
    [() => pathExistsSync("/usr/bin/parallel"), "parallel"],
    // strace: tests/util/atomic_test.ts checks that durable writes fsync before and after the rename.
    [() => pathExistsSync("/usr/bin/strace"), "strace"],
    [() => hasFileMatching("/usr/share/vulkan/icd.d", /^lvp_icd\..*\.json$/), "mesa-vulkan-drivers"],
    [() => hasFileMatching(`/usr/lib/${Deno.build.arch}-linux-gnu`, /^libvulkan\.so\.1$/), "libvulkan1"],
  ];
  const missing = wanted.filter(([installed]) => !installed()).map(([, pkgs]) => pkgs);
  if (missing.length === 0) {
    return log("Debian packages (Jupyter, Chromium, parallel, strace, lavapipe): present");
  }
  if (Deno.uid?.() !== 0 || !await have("apt-get")) {
    return log(
      `not root or no apt-get: skipping ${missing.join(", ")} ` +
        `(notebooks run through the extractor; WebGPU tests skip without a Vulkan adapter)`,
    );
  }
  log(`apt-get install ${missing.join(" ")}`);
  const env = "DEBIAN_FRONTEND=noninteractive";
  const ok = await run("sh", [
    "-c",
    `apt-get update -qq && ${env} apt-get install -y -qq --no-install-recommends ${
      missing.join(" ")
    } >/dev/null`,
  ]);
  if (!ok) log("apt-get failed: continuing without these packages");
}

async function installDenoKernel(): Promise<void> {
  if (!pathExistsSync("/usr/bin/jupyter")) return;
  log("Deno Jupyter kernel spec");
  await run(Deno.execPath(), ["jupyter", "--install", "--force"], { quiet: true });
}

/** TensorFlow's CPU library for tfjs-node from the npm registry alone (lib/backend/native_install.ts). */
async function installNativeBackend(): Promise<void> {
  const backend = await import("../backend/mod.ts");
  try {
    const result = await backend.installNativeTensorflow({
      log: (message) => log(`native TensorFlow: ${message}`),
    });
    if (result.status === "present") {
      return log(`native TensorFlow: present (libtensorflow ${result.libtensorflow})`);
    }
    const { detail } = await backend.useBackend("native");
    log(`native TensorFlow: installed and verified (${detail})`);
  } catch (error) {
    log(`native TensorFlow: FAILED, tfjs falls back to wasm/cpu (slower): ${(error as Error).message}`);
  }
}

/** Bundles a one-line module once, so that Deno has fetched its bundler (esbuild) before `deno task page` needs it. */
async function fetchBundler(): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/entry.js`, "export const ready = true;\n");
    const ok = await run(Deno.execPath(), ["bundle", "--quiet", "-o", `${dir}/out.js`, `${dir}/entry.js`], {
      quiet: true,
    });
    log(
      ok ? "deno bundle (esbuild): ready" : "deno bundle failed: `deno task page` will fail until it works",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function hasFileMatching(dir: string, name: RegExp): boolean {
  try {
    return [...Deno.readDirSync(dir)].some((entry) => name.test(entry.name));
  } catch {
    return false;
  }
}

/** Runs the command with `args`; returns the exit code. */
export function main(_args: string[]): Promise<number> {
  return runCommand("setup", async () => {
    await installNpmPackages();
    await installNativeBackend();
    await installDebianPackages();
    await installDenoKernel();
    await fetchBundler();
    log("done");
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
