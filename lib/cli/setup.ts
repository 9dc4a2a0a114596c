/**
 * `deno task setup`: installs what the project needs on a fresh machine that has only node + npm.
 * Every step is idempotent and says on stderr what it did or why it skipped.
 *
 * - npm packages of the import map (into node_modules/);
 * - from Debian, when we are root and apt works: Jupyter (nbconvert + client; `jupyter trust` to sign executed
 *   notebooks; the classic Notebook server the browser test drives) and Chromium;
 * - the Deno Jupyter kernel spec.
 *
 * @module
 */

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
  const wanted: [string, string][] = [
    ["/usr/bin/jupyter", "jupyter-nbconvert jupyter-client"],
    ["/usr/bin/jupyter-trust", "jupyter-nbformat"],
    ["/usr/bin/jupyter-notebook", "jupyter-notebook"],
    ["/usr/bin/chromium", "chromium"],
  ];
  const missing = wanted.filter(([path]) => !existsSync(path)).map(([, pkgs]) => pkgs);
  if (missing.length === 0) return log("Jupyter (nbconvert, trust, notebook) and Chromium: present");
  if (Deno.uid?.() !== 0 || !await have("apt-get")) {
    return log(
      `not root or no apt-get: skipping ${missing.join(", ")} (notebooks run through the extractor)`,
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
  if (!existsSync("/usr/bin/jupyter")) return;
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

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  await installNpmPackages();
  await installNativeBackend();
  await installDebianPackages();
  await installDenoKernel();
  log("done");
}
